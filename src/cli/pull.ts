import type { Command } from 'commander';
import { withGlobals, reporterFor, commonOptions, runState } from './shared.js';
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
    const reporter = reporterFor(options);
    const [{ pull }, { pullOutput }, { pullExitCode }] = await Promise.all([
      import('../commands/pull.js'),
      import('../report/command-output.js'),
      import('../exit-codes.js'),
    ]);
    const prune = options.prune === true;
    const result = await pull({ ...commonOptions(options, reporter, paths), prune, force: options.force === true });
    pullOutput(result, options);
    runState.exitCode = pullExitCode(result);
  });
}
