import { CONFLICT_WORDS } from './conflicts.js';
import { whoChanged } from './who-changed.js';
import type { SyncBase } from './types.js';

/** What pull does with a file whose dashboard the workspace has. */
export type PullDecision =
  | { kind: 'unchanged' }
  /** Same content, and the file has no id yet: write the id. */
  | { kind: 'link' }
  /** Take the workspace's content. */
  | { kind: 'rewrite' }
  | { kind: 'kept'; message: string };

/**
 * Decides pull's step for one file and its remote dashboard, by the same rule plan follows in the
 * other direction (whoChanged): only a change made in the workspace alone (drift) is taken without
 * `force`; a local edit, a conflict, or a difference no sync record explains keeps the file.
 */
export function decidePull(
  file: { projectId: string; contentHash: string; id?: string },
  remote: { projectId: string; hash: string },
  base: SyncBase | undefined,
  { force }: { force: boolean },
): PullDecision {
  if (file.projectId !== remote.projectId)
    return {
      kind: 'kept',
      message: `the file is in the folder of project ${file.projectId}, the dashboard in ${remote.projectId}`,
    };
  if (file.contentHash === remote.hash) return file.id === undefined ? { kind: 'link' } : { kind: 'unchanged' };
  const reason = whoChanged(base, file.contentHash, remote.hash);
  if (reason === 'drift' || force) return { kind: 'rewrite' };
  const message =
    reason === 'conflict'
      ? `CONFLICT: ${CONFLICT_WORDS['both-changed']}; kept the local file (pull --force takes theirs)`
      : reason === 'local-edit'
        ? 'edited locally and not applied yet; kept (apply sends it, pull --force discards it)'
        : 'differs from the workspace and there is no sync record to tell who changed it; ' +
          'kept the local file (pull --force takes theirs)';
  return { kind: 'kept', message };
}

/** What pull does with a file whose dashboard is no longer in the workspace. */
export type PullRemoval = { kind: 'gone-remotely' | 'kept' | 'remove'; message: string };

/**
 * A file whose dashboard was deleted in the workspace: reported without `prune`; kept when it was
 * edited locally since the last sync (unless `force`), the mirror of apply's deleted-remotely conflict.
 */
export function decideRemoval(
  file: { contentHash: string },
  base: SyncBase | undefined,
  { prune, force }: { prune: boolean; force: boolean },
): PullRemoval {
  if (!prune) {
    // A file edited since the last sync is removed only with --force too: say so.
    const edited = base !== undefined && file.contentHash !== base.hash;
    const flags = edited ? 'pull --prune --force (it was edited locally)' : 'pull --prune';
    return {
      kind: 'gone-remotely',
      message: `not in the workspace (deleted there?); file kept: ${flags} removes it, apply creates it again`,
    };
  }
  if (base && file.contentHash !== base.hash && !force)
    return {
      kind: 'kept',
      message:
        `${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ` +
        'kept (apply creates it again, pull --prune --force removes it)',
    };
  return { kind: 'remove', message: 'deleted in the workspace' };
}
