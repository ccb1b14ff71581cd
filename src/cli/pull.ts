import type { Command } from 'commander';
import { interruptOn } from '../terminal.js';
import { withGlobals, outputFor, commonOptions, runState } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync pull`: its flags, help and what it runs. */
export function pullCommand(program: Command): void {
  withGlobals(
    program
      .command('pull')
      .argument(
        '[paths...]',
        'project folders (they need not exist yet) or dashboard files to pull into, e.g. dashboards/sales; ' +
          'default: every project of the workspace',
      )
      .description('write the workspace into the files')
      .option('--prune', 'remove files whose dashboards were deleted in the workspace')
      .option('--force', 'overwrite (or, with --prune, remove) files edited locally')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ dashsync pull',
          '  $ dashsync pull dashboards/sales --exclude "sales/scratch-*.yaml"',
          '',
          'A file deleted here (git rm) stays deleted: apply --prune deletes its dashboard, pull --force brings it back.',
        ].join('\n'),
      ),
  ).action(async (paths: string[], options: GlobalCliOptions & { prune?: boolean; force?: boolean }) => {
    const output = await outputFor('pull', options);
    const interrupt = interruptOn(
      output.reporter.warn,
      'interrupted: finishing the files in flight and recording them',
    );
    try {
      const [{ pull }, { pullExitCode }] = await Promise.all([
        import('../commands/pull.js'),
        import('../exit-codes.js'),
      ]);
      const result = await pull({
        ...commonOptions(options, output.reporter, paths),
        signal: interrupt.signal,
        prune: options.prune === true,
        force: options.force === true,
      });
      await output.end({ command: 'pull', result });
      runState.exitCode = pullExitCode(result);
    } finally {
      interrupt.done();
    }
  });
}
