import type { PullChange, PullLiteral, PullResult } from '../contract/results.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import type { Style } from './style.js';
import { inert } from './inert.js';
import { inKindColour, quoted } from './style.js';

/* What `pull` prints: one line per file it changed or chose not to change, then a summary. */

/** The action kind whose symbol and colour a pulled change shares (a new file is a create...). */
const AS_ACTION = { new: 'create', updated: 'update', merged: 'update', linked: 'link', removed: 'delete' } as const;

function symbolOf(kind: PullChange['kind'], style: Style): string {
  if (kind in AS_ACTION) {
    const actionKind = AS_ACTION[kind as keyof typeof AS_ACTION];
    return inKindColour(style, actionKind, ACTION_KINDS[actionKind].symbol);
  }
  // Pull's own outcomes: a file kept, a dashboard gone from the workspace, a file deleted here and
  // kept deleted, one that cannot be a file.
  return {
    kept: style.yellow('!'),
    'gone-remotely': style.dim('?'),
    'deleted-locally': style.dim('?'),
    refused: style.red('x'),
  }[kind as 'kept' | 'gone-remotely' | 'deleted-locally' | 'refused'];
}

/**
 * The changes the summary line points to ("see above"): shown even with --quiet, so that they are
 * above. A file deleted here and kept deleted is one of them, as are those kept and not pulled.
 */
export const SEE_ABOVE: ReadonlySet<PullChange['kind']> = new Set(['kept', 'deleted-locally', 'refused']);

/** One line per change, in the order given (a change about a whole project folder has no name). */
export function pullChangeLines(changes: readonly PullChange[], style: Style): string[] {
  return changes.map((change) => {
    const message = change.message ? style.dim(`  ${inert(change.message)}`) : '';
    const name = change.name || change.id ? `  ${quoted(change.name)}` : '';
    return `  ${symbolOf(change.kind, style)} ${inert(change.path)}${name}${message}`;
  });
}

/** A warning per variable value that pull wrote into a file literally: the file now holds one environment's value. */
export function pullLiteralLines(literals: readonly PullLiteral[]): string[] {
  return literals.map(
    (literal) =>
      `${inert(literal.path)}: ${inert(literal.at)} holds the value of variable ${inert(literal.variable)} ` +
      `as plain text: write \${{ var.${inert(literal.variable)} }} there if it differs between environments`,
  );
}

/**
 * `Pull complete: 1 new, 0 updated, 0 removed, 3 unchanged.`, with what was kept or not pulled;
 * `Pull interrupted: ...` when Ctrl-C or a failure left `notPulled` dashboards not pulled (fetched or not).
 */
export function pullSummaryLine(result: Pick<PullResult, 'changes' | 'unchanged'> & { notPulled?: number }): string {
  const count = (kind: PullChange['kind']): number => result.changes.filter((change) => change.kind === kind).length;
  const kept = count('kept');
  const deletedHere = count('deleted-locally');
  // A refusal is of a dashboard (not pulled), or of a whole folder (the --prune guard: nothing removed there).
  const refusedFolders = result.changes.filter((change) => change.kind === 'refused' && change.id === '').length;
  const refused = count('refused') - refusedFolders;
  const counts =
    `${count('new')} new, ${count('updated')} updated, ${count('removed')} removed, ` +
    `${result.unchanged + count('linked')} unchanged`;
  const keptNote = kept ? `; ${kept} kept (see above)` : '';
  const refusedNote =
    (refused ? `; ${refused} not pulled (see above)` : '') +
    (refusedFolders ? `; ${refusedFolders} ${refusedFolders === 1 ? 'folder' : 'folders'} not pruned (see above)` : '');
  const merged = count('merged');
  const mergedNote = merged ? `; ${merged} merged with local edits (apply sends them)` : '';
  const deletedNote = deletedHere ? `; ${deletedHere} deleted locally, not brought back (see above)` : '';
  const notes = `${mergedNote}${keptNote}${deletedNote}${refusedNote}`;
  if (result.notPulled !== undefined) return `Pull interrupted: ${counts}${notes}; ${result.notPulled} left to pull.`;
  return `Pull complete: ${counts}${notes}.`;
}
