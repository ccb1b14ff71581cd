import type { PullChange, PullResult } from '../contract/results.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import type { Style } from './style.js';
import { inert } from './inert.js';
import { inKindColour, quoted } from './style.js';

/* What `pull` prints: one line per file it changed or chose not to change, then a summary. */

/** The action kind whose symbol and colour a pulled change shares (a new file is a create...). */
const AS_ACTION = { new: 'create', updated: 'update', linked: 'link', removed: 'delete' } as const;

function symbolOf(kind: PullChange['kind'], style: Style): string {
  if (kind in AS_ACTION) {
    const actionKind = AS_ACTION[kind as keyof typeof AS_ACTION];
    return inKindColour(style, actionKind, ACTION_KINDS[actionKind].symbol);
  }
  // Pull's own outcomes: a file kept, a dashboard gone from the workspace, one that cannot be a file.
  return { kept: style.yellow('!'), 'gone-remotely': style.dim('?'), refused: style.red('x') }[
    kind as 'kept' | 'gone-remotely' | 'refused'
  ];
}

/** One line per change, in the order given. */
export function pullChangeLines(changes: readonly PullChange[], style: Style): string[] {
  return changes.map((change) => {
    const message = change.message ? style.dim(`  ${inert(change.message)}`) : '';
    return `  ${symbolOf(change.kind, style)} ${inert(change.path)}  ${quoted(change.name)}${message}`;
  });
}

/**
 * `Pull complete: 1 new, 0 updated, 0 removed, 3 unchanged.`, with what was kept or not pulled;
 * `Pull interrupted: ...` when Ctrl-C left `notPulled` dashboards unfetched.
 */
export function pullSummaryLine(result: PullResult & { notPulled?: number }): string {
  const count = (kind: PullChange['kind']): number => result.changes.filter((change) => change.kind === kind).length;
  const kept = count('kept');
  const refused = count('refused');
  const counts =
    `${count('new')} new, ${count('updated')} updated, ${count('removed')} removed, ` +
    `${result.unchanged + count('linked')} unchanged`;
  const keptNote = kept ? `; ${kept} kept (see above)` : '';
  const refusedNote = refused ? `; ${refused} not pulled (see above)` : '';
  if (result.notPulled !== undefined)
    return `Pull interrupted: ${counts}${keptNote}${refusedNote}; ${result.notPulled} not fetched.`;
  return `Pull complete: ${counts}${keptNote}${refusedNote}.`;
}
