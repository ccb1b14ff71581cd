import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { interruptOn } from '../terminal.js';
import { driftOption, withGlobals, outputFor, commonOptions, PATHS_HELP } from './shared.js';
import type { DriftPolicy } from '../core/types.js';
import type { GlobalCliOptions } from './shared.js';

/** The flags of `dashsync watch`, as Commander parses them. */
type WatchCliOptions = GlobalCliOptions & {
  prune?: boolean;
  interval: string;
  selfHeal?: boolean;
  drift?: DriftPolicy;
  settle: string;
};

/** Defines `dashsync watch`: its flags, help and what it runs. */
export function watchCommand(program: Command): void {
  withGlobals(
    program
      .command('watch')
      .argument('[paths...]', PATHS_HELP)
      .description('apply every change to the files as it is saved, until Ctrl-C')
      .option(
        '--prune',
        'delete remotely the dashboards whose files are deleted while watching (with the guards of apply --prune)',
      )
      .option('--interval <seconds>', 'check the workspace for remote changes this often; 0 turns it off', '30')
      .option(
        '--self-heal',
        "revert remote changes to the files' content instead of only reporting them: --drift revert",
      )
      .addOption(driftOption('keep: report it and leave it for pull'))
      .option('--settle <ms>', 'quiet time after the last file event before applying', '200')
      .addHelpText('after', '\nExample:\n  $ dashsync watch --project sales --interval 10'),
  ).action(async (paths: string[], options: WatchCliOptions) => {
    const output = await outputFor('watch', options);
    const common = commonOptions(options, output.reporter, paths);
    const interval = Number(options.interval);
    const settleMs = Number(options.settle);
    if (!Number.isFinite(interval) || interval < 0)
      throw new UsageError(`--interval must be a number of seconds, 0 or more, not "${options.interval}"`);
    if (!Number.isFinite(settleMs) || settleMs < 0 || settleMs > 60_000)
      throw new UsageError(`--settle must be a number of milliseconds from 0 to 60000, not "${options.settle}"`);
    const interrupt = interruptOn(output.reporter.warn, 'stopping: finishing the calls in flight', [
      'SIGINT',
      'SIGTERM',
    ]);
    const { watch } = await import('../commands/watch/watch.js');
    // Every notice is an event the formats see as it happens (--format json: a line each).
    const result = await watch({
      ...common,
      prune: options.prune === true,
      interval,
      settleMs,
      selfHeal: options.selfHeal === true,
      ...(options.drift ? { drift: options.drift } : {}),
      signal: interrupt.signal,
    });
    await output.end({ command: 'watch', result });
  });
}
