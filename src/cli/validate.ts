import type { Command } from 'commander';
import { quitOnInterrupt } from '../terminal.js';
import { withGlobals, outputFor, commonOptions, runState, PATHS_HELP } from './shared.js';
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
    const output = await outputFor('validate', options);
    quitOnInterrupt('interrupted: validation stopped; nothing was changed', (error, exitCode) =>
      output.fail(error, exitCode),
    );
    const [{ validate }, { validateExitCode }] = await Promise.all([
      import('../commands/validate.js'),
      import('../exit-codes.js'),
    ]);
    const result = await validate(commonOptions(options, output.reporter, paths));
    await output.end({ command: 'validate', result });
    runState.exitCode = validateExitCode(result);
  });
}
