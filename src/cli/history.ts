import type { Command } from 'commander';
import { withGlobals, outputFor, commonOptions } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync history`: its argument, help and what it runs. */
export function historyCommand(program: Command): void {
  withGlobals(
    program
      .command('history')
      .argument('<file>', 'an app file, e.g. dashboards/sales/top-customers.yaml')
      .description(
        "api: apps: the app's versions (number, time, author, bookmark, published) beside its file's commits",
      )
      .addHelpText(
        'after',
        [
          '',
          'A version whose bookmark label is a commit hash (apply --bookmark "$GITHUB_SHA" in CI) is shown beside',
          'that commit of the file. Bring one back with dashsync restore FILE --version N.',
        ].join('\n'),
      ),
  ).action(async (file: string, options: GlobalCliOptions) => {
    const output = await outputFor('history', options);
    const { history } = await import('../commands/history.js');
    const result = await history({ ...commonOptions(options, output.reporter), file });
    await output.end({ command: 'history', result });
  });
}
