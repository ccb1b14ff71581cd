import type { CommandEvent } from '../contract/events.js';
import type { AppHistory, GitCommit, HistoryVersion } from '../core/history.js';
import { countOf } from '../core/words.js';
import { inert } from './inert.js';
import type { TextOutlet } from './outlet.js';
import type { Style } from './style.js';

/*
 * The terminal text of history, restore and runs at a git ref (--ref).
 */

/** What a commit is called in a line: its short hash and subject. */
const commitText = (commit: GitCommit): string => `${commit.sha.slice(0, 7)} ${commit.subject}`;

/** A time as a person reads it: the date and the minute, UTC. */
const timeText = (iso: string | undefined): string =>
  iso
    ? iso
        .replace('T', ' ')
        .replace(/:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, ' $2')
        .replace(' Z', ' UTC')
    : '';

/** The table of an app's versions, newest first, each beside the commit its bookmark names. */
export function historyLines(history: AppHistory, style: Style): string[] {
  const head = `${history.path}  ${JSON.stringify(history.name)} (id ${history.id}): ${countOf(history.versions.length, { one: 'version', many: 'versions' })}`;
  const rows = history.versions.map((version) => versionCells(version));
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[HEADINGS, ...rows].map((row) => row[column]!.length)));
  const lines = [inert(head), '', style.bold(padRow(HEADINGS, widths))];
  for (const row of rows) lines.push(inert(padRow(row, widths)));
  if (!history.inGit) lines.push('', 'Not in a git repository: no commits to show beside the versions.');
  else {
    const deployed = new Set(history.versions.flatMap((version) => (version.commit ? [version.commit.sha] : [])));
    const undeployed = history.commits.filter((commit) => !deployed.has(commit.sha));
    if (undeployed.length)
      lines.push(
        '',
        style.dim('Commits of the file that no bookmark names (deployed without --bookmark, or not deployed):'),
        ...undeployed.slice(0, 20).map((commit) => inert(`  ${commitText(commit)}`)),
      );
  }
  return lines;
}

const HEADINGS = ['version', 'time', 'author', 'label', 'commit'];

// One version as the cells of its row: number (* published), time, author, label, commit.
function versionCells(version: HistoryVersion): string[] {
  const number = `${version.number ?? version.versionId}${version.published ? ' *' : ''}`;
  const label = version.bookmarked ? (version.label ?? '(bookmarked)') : '';
  const restored = version.restoredFrom !== undefined ? `restore of ${version.restoredFrom}` : '';
  const commit = version.commit ? commitText(version.commit) : restored;
  return [number, timeText(version.createdAt), version.author ?? '', label, commit];
}

function padRow(cells: string[], widths: number[]): string {
  return cells
    .map((cell, at) => (at < widths.length ? cell.padEnd(widths[at]!) : cell))
    .join('  ')
    .trimEnd();
}

/** Shows the events of history, restore and --ref; false for any other event. */
export function showHistoryEvent(event: CommandEvent, outlet: TextOutlet): boolean {
  const { style } = outlet;
  switch (event.type) {
    case 'at-ref':
      outlet.info(
        inert(
          `Files of ${event.dir} as of ${event.ref} (${commitText(event.commit)}); settings from the working tree.`,
        ),
      );
      return true;
    case 'history':
      for (const line of historyLines(event.history, style)) outlet.result(line);
      if (event.history.versions.some((version) => version.published)) outlet.info(style.dim('* published'));
      return true;
    case 'restored':
      outlet.result(
        inert(
          `Restored version ${event.from} of ${event.path}` +
            (event.as !== undefined ? ` as version ${event.as}` : '') +
            ': the file now holds it; review and commit it.',
        ),
      );
      return true;
    case 'ids-not-written':
      for (const created of event.created)
        outlet.warn(
          inert(
            `${created.path}: created as id ${created.id} from the file at ${event.ref}, which has no id; ` +
              'apply --ref writes no file, so once the file is back in the working tree, apply adopts it by its name',
          ),
        );
      return true;
    default:
      return false;
  }
}
