import type { Action } from './types.js';

/**
 * The ways an action can overwrite a change made on the other side since the last sync, or another
 * dashboard: both changed one place, deleted on one side and edited on the other, or a new file
 * whose name is taken in its project by a dashboard with other content.
 */
export type ConflictKind =
  'both-changed' | 'deleted-remotely-edited-locally' | 'changed-remotely-file-gone' | 'same-name';

/**
 * What each conflict is, in words said once: plan text, Markdown, apply's skip message and pull's
 * decisions all start from these, and add what their own command does about it.
 */
export const CONFLICT_WORDS: Record<ConflictKind, string> = {
  'both-changed': 'changed both locally and in the workspace since the last sync',
  'deleted-remotely-edited-locally': 'deleted in the workspace, and edited locally, since the last sync',
  'changed-remotely-file-gone': 'changed in the workspace since the last sync, but its file is gone',
  'same-name': 'a dashboard of that name, with other content, is already in its project',
};

/** The words of a change both sides made in different places: not a conflict, a merge to make in the file. */
export const MERGE_WORDS = 'changed both locally and in the workspace since the last sync, in different places';

/** Which conflict an action is in, if any. */
export function conflictOf(action: Action): ConflictKind | undefined {
  if (action.kind === 'update' && action.adopt && action.adoptAsked !== true) return 'same-name';
  if (action.kind === 'update' && action.reason === 'conflict') return 'both-changed';
  if (action.kind === 'create' && action.deletedRemotely === 'conflict') return 'deleted-remotely-edited-locally';
  if (action.kind === 'delete' && action.conflict === true) return 'changed-remotely-file-gone';
  return undefined;
}

/** Why apply holds an action back: a conflict, or the workspace's changes to merge into the file first. */
export type HoldKind = ConflictKind | 'merge';

/** Why apply holds an action back, if it does. */
export function holdOf(action: Action): HoldKind | undefined {
  return conflictOf(action) ?? (action.kind === 'update' && action.reason === 'merge' ? 'merge' : undefined);
}

/**
 * True when apply carries the action out: one held back only with --force, and an adoption that
 * would replace another dashboard only when asked for with --adopt (never by --force alone).
 */
export function carriedOut(action: Action, force: boolean): boolean {
  const hold = holdOf(action);
  if (hold === undefined) return true;
  return hold !== 'same-name' && force;
}

/** What apply does with an action in conflict, said under each one in plan text and Markdown. */
export const APPLY_SKIPS_CONFLICT = 'apply skips it unless --force';

/** What apply does with an adoption that would replace another dashboard. */
export const APPLY_SKIPS_NAMESAKE = 'apply skips it unless --adopt';

/** The words of the dashboard an adoption would replace: its id, and when it was last changed where known. */
export function namesakeWords(action: Extract<Action, { kind: 'update' }>): string {
  const when = action.namesakeUpdatedAt ? `, last changed ${action.namesakeUpdatedAt}` : '';
  return `dashboard ${action.id}${when}`;
}

/** How to settle a held-back action: what each flag or command does with it. */
export function remedyOf(action: Action): string {
  const path = 'path' in action ? action.path : '';
  switch (holdOf(action)) {
    case 'same-name':
      return (
        `adopt it explicitly: dashsync apply --adopt ${path} replaces its content with the file's; ` +
        'or rename the file to make a new dashboard'
      );
    case 'merge':
      return (
        `dashsync pull ${path} merges the workspace's changes into the file (then review and apply); ` +
        "apply --force takes the file's version"
      );
    case 'deleted-remotely-edited-locally':
      return 'apply --force re-creates it, pull --prune --force removes the file';
    case 'changed-remotely-file-gone':
      return 'apply --prune --force deletes it, pull brings it back';
    default:
      return (
        'settle it in the file: hold theirs at each place changed two ways (your other edits stay, as a local edit); ' +
        `or apply --force ${path} keeps yours, pull --force ${path} takes theirs whole`
      );
  }
}

/** Why apply skipped a held-back action, and what would apply it or take the other side. */
export function skippedConflictMessage(action: Action): string {
  const hold = holdOf(action) ?? 'both-changed';
  if (hold === 'same-name' && action.kind === 'update')
    return `${CONFLICT_WORDS['same-name']} (${namesakeWords(action)}); not replaced: ${remedyOf(action)}`;
  const what = hold === 'merge' ? MERGE_WORDS : CONFLICT_WORDS[hold];
  const verb = {
    'both-changed': 'not applied',
    merge: 'not applied',
    'same-name': 'not applied',
    'deleted-remotely-edited-locally': 'not re-created',
    'changed-remotely-file-gone': 'not deleted',
  }[hold];
  return `${what}; ${verb} (${remedyOf(action)})`;
}

/** True for an action that would overwrite a change made on the other side since the last sync. */
export function isConflict(action: Action): boolean {
  return conflictOf(action) !== undefined;
}
