import type { ActionEvent } from '../contract/execution.js';
import type { WatchResult } from '../contract/results.js';
import type { WatchNotice } from '../contract/watch.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import { problemLine } from '../core/words.js';
import type { TextOutlet } from './outlet.js';
import type { Style } from './style.js';
import { changeLines } from './change-text.js';
import { deployStepText } from './deploy-text.js';
import { inert } from './inert.js';
import { OUTCOME_LOOK, dashboardName, inKindColour, inOutcomeColour, quoted } from './style.js';

/*
 * What `watch` prints: one line per event and per notice, each with the time of day. Notices go
 * to `info` (hidden by --quiet); failures and the stopped line to `result` (--quiet keeps them);
 * warnings to `warn`, with the time after "warning:".
 */

/** The time of day, `HH:MM:SS`, at the head of every watch line. */
export const timeOfDay = (at: Date = new Date()): string => at.toTimeString().slice(0, 8);

/** One action event as a watch line: time, symbol, where, name and what became of it. */
export function watchEventLine(event: ActionEvent, out: { style: Style }, at: Date = new Date()): string {
  const style = out.style;
  const action = event.action;
  const where = inert('path' in action ? action.path : `${action.folder}/`);
  const symbol = inKindColour(style, action.kind, ACTION_KINDS[action.kind].symbol);
  const verb = action.kind === 'error' ? '' : ACTION_KINDS[action.kind].verb;
  // The message may carry what a server said: made inert here, where it meets the terminal.
  const why = inert(event.message ?? '');
  const outcome =
    event.phase === 'done'
      ? inOutcomeColour(style, 'done', verb)
      : event.phase === 'failed'
        ? inOutcomeColour(style, 'failed', `${OUTCOME_LOOK.failed.word}: ${why}`)
        : inOutcomeColour(style, 'skipped', `${OUTCOME_LOOK.skipped.word}: ${why}`);
  const id = event.id && event.phase === 'done' ? style.dim(` (id ${inert(event.id)})`) : '';
  // A refusal about a whole project folder names the folder alone: it is about no one dashboard.
  const name = action.kind === 'error' && action.name === '' ? '' : `${dashboardName(action.name)}  `;
  return `${style.dim(timeOfDay(at))}  ${symbol} ${where}  ${name}${outcome}${id}`;
}

/** Shows a watch notice on the terminal, stamped with the time it happened. */
export function showWatchNotice(e: { at: Date; notice: WatchNotice }, out: TextOutlet): void {
  const { style } = out;
  const time = timeOfDay(e.at);
  const info = (text: string): void => out.info(`${style.dim(time)}  ${text}`);
  const warn = (text: string): void => out.warn(`${time}  ${text}`);
  const notice = e.notice;
  switch (notice.kind) {
    case 'action': {
      if (notice.event.phase === 'started') return;
      const line = watchEventLine(notice.event, out, e.at);
      const { action, idNotWritten } = notice.event;
      // Saved, but its id was recorded nowhere: the user must act (out.warn makes the text inert).
      if (idNotWritten) warn(`${'path' in action ? action.path : `${action.folder}/`}: ${idNotWritten}`);
      // A failure is an error: --quiet still shows it.
      if (notice.event.phase === 'failed') return out.result(line);
      out.info(line);
      // What a save changed, in words, under its line (aligned under the path); a new file's whole
      // content would flood a burst (a checkout) of new files.
      if (notice.event.phase === 'done' && notice.event.action.kind === 'update')
        for (const change of changeLines(notice.event.action, '            ')) out.info(change);
      return;
    }
    case 'published':
      return info(`${inOutcomeColour(style, 'done')}  ${deployStepText({ ...notice, type: 'published' }, style)}`);
    case 'bookmarked':
      return info(`${inOutcomeColour(style, 'done')}  ${deployStepText({ ...notice, type: 'bookmarked' }, style)}`);
    case 'warning':
      return warn(notice.text);
    case 'waiting': {
      const files = `${notice.filesInSync} ${notice.filesInSync === 1 ? 'file' : 'files'}`;
      return info(style.dim(`watching ${inert(notice.dir)}/ (${files} in sync); Ctrl-C to stop`));
    }
    case 'problem':
      return warn(problemLine(notice.problem));
    case 'valid-again':
      return info(`${inert(notice.path)}: valid again`);
    case 'shared-id':
      return warn(`${inert(notice.path)}: not synced: its id is also in another file (dashsync validate shows which)`);
    case 'delete-kept':
      return info(
        style.dim(
          `${inert(notice.path)} deleted locally; ${quoted(notice.name)} stays in the workspace (--prune deletes it)`,
        ),
      );
    case 'folder-gone': {
      const stay = notice.dashboards === 1 ? 'dashboard stays' : 'dashboards stay';
      return warn(
        `the folder ${inert(notice.folder)} is gone; its ${notice.dashboards} ${stay} in the workspace (dashsync apply --prune deletes what has no file, after showing it)`,
      );
    }
    case 'unmanaged': {
      const notDeleted = notice.prune
        ? '; watch does not delete it (dashsync apply --prune does, after showing it)'
        : '';
      return info(
        style.dim(`not managed here (no file): ${inert(notice.folder)}/ ${quoted(notice.name)}${notDeleted}`),
      );
    }
    case 'remote-changed': {
      const text = `changed in the workspace: ${inert(notice.path)} ${quoted(notice.name)} differs from its file (dashsync pull takes it; --self-heal reverts it)`;
      // At start it is a warning, like every problem found before watching; at a check, a notice.
      return notice.seen === 'start' ? warn(text) : info(style.yellow(text));
    }
    case 'remote-created':
      return info(
        style.yellow(
          `created in the workspace, no file: ${inert(notice.projectId)}/ ${quoted(notice.name)} (id ${inert(notice.id)}); dashsync pull brings it in`,
        ),
      );
    case 'checkout': {
      const gone = notice.gone
        ? `; ${notice.gone} ${notice.gone === 1 ? 'file' : 'files'} gone with it, not deleted in the workspace`
        : '';
      return warn(`HEAD moved to ${inert(notice.head)}: read the folder again${gone}`);
    }
    case 'id-kept':
      return info(
        style.dim(
          `${inert(notice.path)}: its id ${inert(notice.id)} is kept in .dashsync/, not written into the file ` +
            '(git tracks it: a change would block a checkout); the next apply or pull writes it',
        ),
      );
    case 'start-failed':
      return warn(`initial sync failed: ${inert(notice.message)}; will retry with the next change or check`);
    case 'batch-failed': {
      const changes = `${notice.pendingChanges} pending ${notice.pendingChanges === 1 ? 'change' : 'changes'}`;
      return warn(`${inert(notice.message)}; ${changes} kept, retrying in ${notice.retryInMs / 1000} s`);
    }
    case 'check-failed':
      return warn(`remote check failed: ${inert(notice.message)}`);
    case 'stopped':
      return out.result(`${style.dim(time)}  stopped: ${stoppedCounts(notice.result, notice.pendingChanges)}.`);
  }
}

/** What a watch did, and the changes it had not applied yet. */
function stoppedCounts(result: WatchResult, pendingChanges: number): string {
  const counts = `${result.created} created, ${result.updated} updated, ${result.deleted} deleted, ${result.failed} failed`;
  return `${counts}${pendingChanges ? `; ${pendingChanges} ${pendingChanges === 1 ? 'change' : 'changes'} not yet applied` : ''}`;
}
