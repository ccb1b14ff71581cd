import type { Problem } from '../core/types.js';
import type { ActionEvent } from './execution.js';
import type { WatchResult } from './results.js';

/*
 * What `watch` tells while it runs, as data: each notice is shown as a `watch` event with the
 * moment it happened, and report/watch-text.ts decides how it looks (time of day, colours, inert
 * server text). A new kind of watch output is a new notice here and a case there.
 */

/** One thing watch tells the user. */
export type WatchNotice =
  /** A step of executing a plan (only its end: done, failed or skipped). */
  | { kind: 'action'; event: ActionEvent }
  /** apps: a saved app was published (its file says `publish: true`). */
  | { kind: 'published'; path: string; id: string }
  /** apps: a saved app's new checkpoint was bookmarked (its file's `bookmark:` label). */
  | { kind: 'bookmarked'; path: string; versionId: string; label: string }
  /** A sentence from the shared steps watch runs (the planner's warnings). */
  | { kind: 'warning'; text: string }
  /** Watch waits for changes, with this many valid files in sync. */
  | { kind: 'waiting'; dir: string; filesInSync: number }
  /** A file that is not valid: reported and not sent. */
  | { kind: 'problem'; problem: Problem }
  /** A file that was invalid is valid again. */
  | { kind: 'valid-again'; path: string }
  /** A file whose id another file holds too: neither is synced. */
  | { kind: 'shared-id'; path: string }
  /** A file deleted without --prune: its dashboard stays in the workspace. */
  | { kind: 'delete-kept'; path: string; name: string }
  /** A project folder that disappeared (a branch switch): its dashboards stay. */
  | { kind: 'folder-gone'; folder: string; dashboards: number }
  /** At start: a dashboard in a project folder that no file claims; watch never deletes it. */
  | { kind: 'unmanaged'; folder: string; name: string; prune: boolean }
  /** A dashboard changed in the workspace since the last sync, left for pull (seen at start, or at a check). */
  | { kind: 'remote-changed'; path: string; name: string; seen: 'start' | 'check' }
  /** A dashboard created in the workspace, with no file. */
  | { kind: 'remote-created'; projectId: string; name: string; id: string }
  /** HEAD moved (a checkout): the folder was read again whole; `gone` files left with it, none deleted. */
  | { kind: 'checkout'; head: string; gone: number }
  /** A new dashboard's id kept aside, not written into its file, which git tracks: apply or pull writes it. */
  | { kind: 'id-kept'; path: string; id: string }
  /** The first sync failed (the server away): every file waits as a pending change. */
  | { kind: 'start-failed'; message: string }
  /** A batch failed: its changes are kept and retried after `retryInMs`. */
  | { kind: 'batch-failed'; message: string; pendingChanges: number; retryInMs: number }
  /** A check of the workspace failed; the next one will try again. */
  | { kind: 'check-failed'; message: string }
  /** Watch ended: what it did, and the changes it had not applied yet. */
  | { kind: 'stopped'; result: WatchResult; pendingChanges: number };
