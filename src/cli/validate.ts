import type { Command } from 'commander';
import { withGlobals, reporterFor, commonOptions, runState, PATHS_HELP } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync validate`: its flags, help and what it runs. */
export function validateCommand(program: Command): void {
  withGlobals(
    program
      .command('validate')
      .argument('[paths...]', PATHS_HELP)
      .description('check every dashboard file and dashsync.yaml, offline')
      .addHelpText(
        'after',
        [
          '',
          'Example:',
          '  $ dashsync validate',
          '  dashboards/sales/overview.yaml:3:3: unknown key "widgets" (allowed: id, name, definition)',
        ].join('\n'),
      ),
    { remote: false, folder: true },
  ).action(async (paths: string[], options: GlobalCliOptions) => {
    const reporter = reporterFor(options);
    const [{ validate }, { validateOutput }, { validateExitCode }] = await Promise.all([
      import('../commands/validate.js'),
      import('../report/command-output.js'),
      import('../exit-codes.js'),
    ]);
    const result = await validate(commonOptions(options, reporter, paths));
    validateOutput(result, options);
    runState.exitCode = validateExitCode(result);
  });
}
