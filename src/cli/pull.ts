import type { Command } from 'commander';
import { withGlobals, outputFor, commonOptions, runState } from './shared.js';
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
    const output = outputFor('pull', options);
    const [{ pull }, { pullExitCode }] = await Promise.all([import('../commands/pull.js'), import('../exit-codes.js')]);
    const prune = options.prune === true;
    const result = await pull({ ...commonOptions(options, output.reporter), prune, force: options.force === true });
    await output.end({ command: 'pull', result });
    runState.exitCode = pullExitCode(result);
  });
}
