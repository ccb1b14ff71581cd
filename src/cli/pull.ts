import type { Command } from 'commander';
import { interruptOn } from '../terminal.js';
import { withGlobals, reporterFor, commonOptions, runState } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync pull`: its flags, help and what it runs. */
export function pullCommand(program: Command): void {
  withGlobals(
    program
      .command('pull')
      .description('write the workspace into the files')
      .option('--prune', 'remove files whose dashboards were deleted in the workspace')
      .option('--force', 'overwrite (or, with --prune, remove) files edited locally')
      .addHelpText('after', '\nExample:\n  $ dashsync pull --project sales'),
  ).action(async (options: GlobalCliOptions & { prune?: boolean; force?: boolean }) => {
    const reporter = reporterFor(options);
    const interrupt = interruptOn(reporter.warn, 'interrupted: finishing the files in flight and recording them');
    try {
      const [{ pull }, { pullOutput }, { pullExitCode }] = await Promise.all([
        import('../commands/pull.js'),
        import('../report/command-output.js'),
        import('../exit-codes.js'),
      ]);
      const prune = options.prune === true;
      const common = { ...commonOptions(options, reporter), signal: interrupt.signal };
      const result = await pull({ ...common, prune, force: options.force === true });
      pullOutput(result, options);
      runState.exitCode = pullExitCode(result);
    } finally {
      interrupt.done();
    }
  });
}
