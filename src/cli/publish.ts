import type { Command } from 'commander';
import { interruptOn } from '../terminal.js';
import { withGlobals, outputFor, commonOptions, terminalConfirm, runState, PATHS_HELP } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync publish` and `dashsync unpublish` (apps): their flags, help and what they run. */
export function publishCommands(program: Command): void {
  for (const run of ['publish', 'unpublish'] as const) {
    withGlobals(
      program
        .command(run)
        .argument('[paths...]', PATHS_HELP)
        .description(
          run === 'publish'
            ? "api: apps: publish each selected app whose viewers do not see its draft (its file must equal the workspace's)"
            : 'api: apps: take each selected published app back to draft only',
        )
        .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
        .addHelpText(
          'after',
          [
            '',
            'Examples:',
            `  $ dashsync ${run} dashboards/sales/top-customers.yaml`,
            `  $ dashsync ${run} --yes --project sales`,
            '',
            "Any answer but 'yes' at the confirmation cancels (exit 1); nothing is changed.",
          ].join('\n'),
        ),
    ).action(async (paths: string[], options: GlobalCliOptions & { yes?: boolean }) => {
      const output = await outputFor(run, options);
      const { reporter } = output;
      const interrupt = interruptOn(reporter.warn, `interrupted: finishing the calls in flight`);
      try {
        const [{ publish }, { publishExitCode }] = await Promise.all([
          import('../commands/publish.js'),
          import('../exit-codes.js'),
        ]);
        const result = await publish({
          ...commonOptions(options, reporter, paths),
          run,
          yes: options.yes === true,
          signal: interrupt.signal,
          ...(await terminalConfirm(output)),
        });
        await output.end({ command: run, result });
        runState.exitCode = publishExitCode(result);
      } finally {
        interrupt.done();
      }
    });
  }
}
