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

/** What apply does with an action in conflict, said under each one in plan text and Markdown. */
export const APPLY_SKIPS_CONFLICT = 'apply skips it unless --force';

/** Why apply skipped an action in conflict, and what would apply it or take the other side. */
export function skippedConflictMessage(action: Action): string {
  const conflict = conflictOf(action) ?? 'both-changed';
  const remedy = {
    'both-changed': 'not applied (pull --force takes theirs, apply --force takes yours)',
    'deleted-remotely-edited-locally':
      'not re-created (apply --force re-creates it, pull --prune --force removes the file)',
    'changed-remotely-file-gone': 'not deleted (apply --prune --force deletes it, pull brings it back)',
  }[conflict];
  return `${CONFLICT_WORDS[conflict]}; ${remedy}`;
}

/** True for an action that would overwrite a change made on the other side since the last sync. */
export function isConflict(action: Action): boolean {
  return conflictOf(action) !== undefined;
}
