import type { WatchResult } from '../commands/watch.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import { showResult } from './quiet.js';
import type { ActionEvent, LegacyReporter as Reporter } from './reporter.js';
import { inKindColour, inert, quoted } from './style.js';

/* What `watch` prints: one line per event and per notice, each with the time of day. */

/** The time of day, `HH:MM:SS`, at the head of every watch line. */
export const timeOfDay = (): string => new Date().toTimeString().slice(0, 8);

/** One action event as a watch line: time, symbol, where, name and what became of it. */
export function watchEventLine(event: ActionEvent, reporter: Reporter): string {
  const style = reporter.style;
  const action = event.action;
  const where = 'path' in action ? action.path : `${action.folder}/`;
  const symbol = inKindColour(style, action.kind, ACTION_KINDS[action.kind].symbol);
  const verb = action.kind === 'error' ? '' : ACTION_KINDS[action.kind].verb;
  // The message may carry what a server said: made inert here, where it meets the terminal.
  const why = inert(event.message ?? '');
  const outcome =
    event.phase === 'done'
      ? style.green(verb)
      : event.phase === 'failed'
        ? style.red(`FAILED: ${why}`)
        : style.yellow(`skipped: ${why}`);
  const id = event.id && event.phase === 'done' ? style.dim(` (id ${inert(event.id)})`) : '';
  return `${style.dim(timeOfDay())}  ${symbol} ${where}  ${quoted(action.name)}  ${outcome}${id}`;
}

/** A reporter whose lines carry the time of day, as watch prints them; `onEvent` also sees each event. */
export function timedReporter(reporter: Reporter, onEvent?: (event: ActionEvent) => void): Reporter {
  const style = reporter.style;
  return {
    ...reporter,
    info: (text) => reporter.info(`${style.dim(timeOfDay())}  ${text}`),
    warn: (text) => reporter.warn(`${timeOfDay()}  ${text}`),
    event: (event: ActionEvent) => {
      if (event.phase === 'started') return;
      onEvent?.(event);
      const line = watchEventLine(event, reporter);
      // A failure is an error: --quiet still shows it.
      if (event.phase === 'failed') showResult(reporter, line);
      else reporter.info(line);
    },
  };
}

/** The last line of a watch: what it did, and the changes it had not applied yet. */
export function watchStoppedLine(result: WatchResult, pendingChanges: number, reporter: Reporter): string {
  const counts = `${result.created} created, ${result.updated} updated, ${result.deleted} deleted, ${result.failed} failed`;
  return `${reporter.style.dim(timeOfDay())}  stopped: ${counts}${pendingChanges ? `; ${pendingChanges} changes not yet applied` : ''}.`;
}

/** The line that says watch is waiting for changes. */
export function watchingLine(dirShown: string, filesInSync: number, reporter: Reporter): string {
  return reporter.style.dim(
    `watching ${dirShown}/ (${filesInSync} ${filesInSync === 1 ? 'file' : 'files'} in sync); Ctrl-C to stop`,
  );
}
