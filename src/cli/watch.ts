import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { interruptOn } from '../terminal.js';
import type { ActionEvent } from '../commands/events.js';
import { withGlobals, reporterFor, commonOptions } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync watch`: its flags, help and what it runs. */
export function watchCommand(program: Command): void {
  withGlobals(
    program
      .command('watch')
      .description('apply every change to the files as it is saved, until Ctrl-C')
      .option(
        '--prune',
        'delete remotely the dashboards whose files are deleted while watching (with the guards of apply --prune)',
      )
      .option('--interval <seconds>', 'check the workspace for remote changes this often; 0 turns it off', '30')
      .option('--self-heal', "revert remote changes to the files' content instead of only reporting them")
      .option('--settle <ms>', 'quiet time after the last file event before applying', '200')
      .addHelpText('after', '\nExample:\n  $ dashsync watch --project sales --interval 10'),
  ).action(async (o: GlobalCliOptions & { prune?: boolean; interval: string; selfHeal?: boolean; settle: string }) => {
    const reporter = reporterFor(o);
    const common = commonOptions(o, reporter);
    const interval = Number(o.interval);
    const settleMs = Number(o.settle);
    if (!Number.isFinite(interval) || interval < 0)
      throw new UsageError(`--interval must be a number of seconds, 0 or more, not "${o.interval}"`);
    if (!Number.isFinite(settleMs) || settleMs < 0 || settleMs > 60_000)
      throw new UsageError(`--settle must be a number of milliseconds from 0 to 60000, not "${o.settle}"`);
    const interrupt = interruptOn(reporter.warn, 'stopping: finishing the calls in flight', ['SIGINT', 'SIGTERM']);
    const [{ watch }, { watchEventToJson, watchSummaryToJson }] = await Promise.all([
      import('../commands/watch.js'),
      import('../report/result-json.js'),
    ]);
    // --json: one JSON line per event as it happens, then the summary.
    const onEvent = (e: ActionEvent): void =>
      void process.stdout.write(`${JSON.stringify(watchEventToJson(e, new Date()))}\n`);
    const r = await watch({
      ...common,
      prune: o.prune === true,
      interval,
      settleMs,
      selfHeal: o.selfHeal === true,
      signal: interrupt.signal,
      ...(o.json ? { onEvent } : {}),
    });
    if (o.json) process.stdout.write(`${JSON.stringify(watchSummaryToJson(r))}\n`);
  });
}
