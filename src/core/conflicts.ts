import type { Action } from './types.js';

/** The three ways an action can overwrite a change made on the other side since the last sync. */
export type ConflictKind = 'both-changed' | 'deleted-remotely-edited-locally' | 'changed-remotely-file-gone';

/**
 * What each conflict is, in words said once: plan text, Markdown, apply's skip message and pull's
 * decisions all start from these, and add what their own command does about it.
 */
export const CONFLICT_WORDS: Record<ConflictKind, string> = {
  'both-changed': 'changed both locally and in the workspace since the last sync',
  'deleted-remotely-edited-locally': 'deleted in the workspace, and edited locally, since the last sync',
  'changed-remotely-file-gone': 'changed in the workspace since the last sync, but its file is gone',
};

/** Which conflict an action is in, if any. */
export function conflictOf(action: Action): ConflictKind | undefined {
  if (action.kind === 'update' && action.reason === 'conflict') return 'both-changed';
  if (action.kind === 'create' && action.deletedRemotely === 'conflict') return 'deleted-remotely-edited-locally';
  if (action.kind === 'delete' && action.conflict === true) return 'changed-remotely-file-gone';
  return undefined;
}

/** True for an action that would overwrite a change made on the other side since the last sync. */
export function isConflict(action: Action): boolean {
  return conflictOf(action) !== undefined;
}
