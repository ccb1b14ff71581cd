import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SyncBase } from '../core/types.js';
import { ensureFile, writeFileAtomic } from './fsutil.js';

/** What is recorded per dashboard at a successful sync. */
export interface StateEntry extends SyncBase {
  /** The server's updated_at at that time, when it gives one. */
  updatedAt?: string;
  /** The file's path and byte hash at that time. */
  path?: string;
  fileHash?: string;
}

/** The local sync state: per workspace, per dashboard id, what both sides held at the last sync. */
export interface SyncState {
  version: 1;
  workspaces: Record<string, Record<string, StateEntry>>;
  /**
   * Workspaces this folder mirrors whole: the first pull found no project folder and brought every
   * project. Later pulls (a re-run after a crash among them) keep bringing every project.
   */
  mirrors?: Record<string, boolean>;
}

/** Folder of the local sync state, beside dashsync.yaml. Safe to delete; ignored by git. */
export const STATE_DIR = '.dashsync';

/** The key of one workspace in the state: URL and scope, never the token. */
export function workspaceKey(url: string, scope: string): string {
  return `${url}#${scope}`;
}

/** Reads the state; a missing or unreadable state is an empty one (the files then win). */
export async function loadState(root: string): Promise<SyncState> {
  try {
    const s = JSON.parse(await readFile(join(root, STATE_DIR, 'state.json'), 'utf8')) as SyncState;
    if (s && s.version === 1 && typeof s.workspaces === 'object' && s.workspaces !== null) return s;
  } catch {
    // no state yet, or a damaged one: start afresh
  }
  return { version: 1, workspaces: {} };
}

/** Writes the state atomically, with a .gitignore so it never lands in the repository. */
export async function saveState(root: string, state: SyncState): Promise<void> {
  await ensureFile(join(root, STATE_DIR, '.gitignore'), '*\n');
  await writeFileAtomic(join(root, STATE_DIR, 'state.json'), JSON.stringify(state), false);
}
