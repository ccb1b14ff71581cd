import type { Command } from 'commander';
import { quitOnInterrupt } from '../terminal.js';
import { reporterFor } from './shared.js';

/** Defines `dashsync init`: its flags, help and what it runs. */
export function initCommand(program: Command): void {
  program
    .command('init')
    .description('scaffold a dashsync repository: dashsync.yaml, dashboards/, .gitignore')
    .option('--url <url>', 'API base URL to write into dashsync.yaml')
    .option('--force', 'overwrite an existing dashsync.yaml')
    .option('--json', 'machine-readable output on stdout')
    .addHelpText('after', '\nExample:\n  $ dashsync init --url https://api.prometheux.ai/jarvispy/acme/me')
    .action(async (options: { url?: string; force?: boolean; json?: boolean }) => {
      const reporter = reporterFor(options);
      quitOnInterrupt('interrupted: init stopped; each file it wrote is whole, run it again to finish');
      const [{ init }, { initOutput }] = await Promise.all([
        import('../commands/init.js'),
        import('../report/command-output.js'),
      ]);
      const url = options.url ? { url: options.url } : {};
      const result = await init({ cwd: process.cwd(), ...url, force: options.force === true, reporter });
      initOutput(result, options);
    });
}
