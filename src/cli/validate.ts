import type { Command } from 'commander';
import { quitOnInterrupt } from '../terminal.js';
import { withGlobals, reporterFor, commonOptions, runState } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync validate`: its flags, help and what it runs. */
export function validateCommand(program: Command): void {
  withGlobals(
    program
      .command('validate')
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
  ).action(async (options: GlobalCliOptions) => {
    const reporter = reporterFor(options);
    quitOnInterrupt('interrupted: validation stopped; nothing was changed');
    const [{ validate }, { validateOutput }, { validateExitCode }] = await Promise.all([
      import('../commands/validate.js'),
      import('../report/command-output.js'),
      import('../exit-codes.js'),
    ]);
    const result = await validate(commonOptions(options, reporter));
    validateOutput(result, options);
    runState.exitCode = validateExitCode(result);
  });
}
