import type { Command } from 'commander';
import { quitOnInterrupt } from '../terminal.js';
import { outputFor, withFormat } from './shared.js';
import type { OutputCliOptions } from './shared.js';

/** Defines `dashsync init`: its flags, help and what it runs. */
export function initCommand(program: Command): void {
  withFormat(
    program
      .command('init')
      .description('scaffold a dashsync repository: dashsync.yaml, dashboards/, .gitignore')
      .option('--url <url>', 'API base URL to write into dashsync.yaml')
      .option('--force', 'overwrite an existing dashsync.yaml'),
  )
    .addHelpText('after', '\nExample:\n  $ dashsync init --url https://api.prometheux.ai/jarvispy/acme/me')
    .action(async (options: OutputCliOptions & { url?: string; force?: boolean }) => {
      const output = await outputFor('init', options);
      quitOnInterrupt(
        'interrupted: init stopped; each file it wrote is whole, run it again to finish',
        (error, exitCode) => output.fail(error, exitCode),
      );
      const { init } = await import('../commands/init.js');
      const url = options.url ? { url: options.url } : {};
      const result = await init({
        cwd: process.cwd(),
        ...url,
        force: options.force === true,
        reporter: output.reporter,
      });
      await output.end({ command: 'init', result });
    });
}
