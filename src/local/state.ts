import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash } from '../core/canonical.js';
import type { DashboardContent, RemoteDashboard, SyncBase } from '../core/types.js';
import { BaseStore } from './base-store.js';
import { byteHash } from './dashboard-file.js';
import { definedOnly } from '../util/defined.js';
import { ensureFile, writeFileAtomic } from './fsutil.js';
import { readStateFile } from './regular-file.js';
import type { Fence } from './fsutil.js';

/** What is recorded per dashboard at a successful sync. */
export interface StateEntry extends SyncBase {
  /** The server's updated_at at that time, when it gives one. */
  updatedAt?: string;
  /** The file's path and byte hash at that time. */
  path?: string;
  fileHash?: string;
}

/**
 * The local sync state: per workspace, per dashboard id, what both sides held at the last sync (its
 * hash), and the store of those contents themselves (base-store.ts), read only for a three-way
 * comparison.
 */
export interface SyncState {
  version: 1;
  workspaces: Record<string, Record<string, StateEntry>>;
  /** The contents behind the hashes; absent for a state not read from a folder. */
  bases?: BaseStore;
  /**
   * Per workspace, the creates whose answer was lost or late (see remote/create.ts), kept for
   * DOUBT_KEPT_MS: a server can still commit a second copy of one, which plan and apply then stop on.
   */
  doubts?: Record<string, CreateInDoubt[]>;
}

/** A create whose answer was lost or late at some point, and the dashboard it was settled on. */
export interface CreateInDoubt {
  projectId: string;
  name: string;
  /** The id this run recorded for it. */
  id: string;
  /** When (ISO time) the run settled on it. */
  at: string;
}

/** How long a create in doubt is remembered: a server that commits later than this is not waited for. */
export const DOUBT_KEPT_MS = 24 * 60 * 60 * 1000;

/** Folder of the local sync state, beside dashsync.yaml. Safe to delete; ignored by git. */
export const STATE_DIR = '.dashsync';

/** The fence of what dashsync keeps in `.dashsync/`: that folder, which may not be a symbolic link. */
export function stateFence(root: string): Fence {
  return { folder: join(root, STATE_DIR), linkAllowed: false };
}

/** The key of one workspace in the state: URL and scope, never the token. */
export function workspaceKey(url: string, scope: string): string {
  return `${url}#${scope}`;
}

/**
 * One workspace's entries in the state, by dashboard id (made, empty, when it has none): what both
 * sides held at the last sync. Commands record into them with the functions below.
 */
export function syncedIn(state: SyncState, key: string): Record<string, StateEntry> {
  return (state.workspaces[key] ??= {});
}

// The hashes the state's records refer to.
function hashesOf(state: SyncState): Set<string> {
  return new Set(Object.values(state.workspaces).flatMap((entries) => Object.values(entries).map((e) => e.hash)));
}

/** Reads the state; a missing or unreadable state is an empty one (the files then win). */
export async function loadState(root: string): Promise<SyncState> {
  let state: SyncState = { version: 1, workspaces: {} };
  try {
    state = healed(JSON.parse(readStateFile(join(root, STATE_DIR, 'state.json'))));
  } catch {
    // no state yet, or a damaged one: start afresh
  }
  // What the state refers to was stored when it was written: kept again, it is not written twice.
  return { ...state, bases: new BaseStore(join(root, STATE_DIR), stateFence(root), hashesOf(state)) };
}

/**
 * Keeps the content both sides hold now, under its hash, for a later three-way comparison: called
 * beside each record of a dashboard whose content is at hand (a save, a pull, a get seen equal).
 */
export function keepBase(
  state: SyncState,
  content: DashboardContent,
  hashed?: string | { hash: string; json: string },
): void {
  state.bases?.keep(content, hashed);
}

/** The content both sides held at the last sync, where the state kept it whole. */
export async function baseContentOf(
  state: SyncState,
  entry: StateEntry | undefined,
): Promise<DashboardContent | undefined> {
  return entry?.hash ? state.bases?.load(entry.hash) : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

// The state with every damaged part dropped: what is lost is only knowledge (the next plan fetches
// those dashboards again), never a decision taken on bad data.
function healed(raw: unknown): SyncState {
  const state: SyncState = { version: 1, workspaces: {} };
  if (!isObject(raw) || raw.version !== 1 || !isObject(raw.workspaces)) return state;
  for (const [key, entries] of Object.entries(raw.workspaces)) {
    if (!isObject(entries)) continue;
    const kept: Record<string, StateEntry> = {};
    for (const [id, entry] of Object.entries(entries)) {
      if (!isObject(entry) || typeof entry.hash !== 'string') continue;
      kept[id] = {
        hash: entry.hash,
        ...definedOnly({
          updatedAt: stringOrUndefined(entry.updatedAt),
          path: stringOrUndefined(entry.path),
          fileHash: stringOrUndefined(entry.fileHash),
        }),
      };
    }
    state.workspaces[key] = kept;
  }
  if (isObject(raw.doubts))
    state.doubts = Object.fromEntries(
      Object.entries(raw.doubts).map(([key, list]) => [key, Array.isArray(list) ? list.filter(isDoubt) : []]),
    );
  return state;
}

function isDoubt(value: unknown): value is CreateInDoubt {
  return (
    isObject(value) &&
    ['projectId', 'name', 'id', 'at'].every((key) => typeof value[key] === 'string') &&
    !Number.isNaN(Date.parse(value.at as string))
  );
}

/** Remembers a create in doubt of workspace `key`, settled on `doubt.id`. */
export function recordDoubt(state: SyncState, key: string, doubt: CreateInDoubt): void {
  ((state.doubts ??= {})[key] ??= []).push(doubt);
}

/** The creates in doubt of workspace `key` still remembered at `now` (older ones are forgotten here). */
export function doubtsOf(state: SyncState, key: string, now: Date): CreateInDoubt[] {
  const kept = (state.doubts?.[key] ?? []).filter((doubt) => now.getTime() - Date.parse(doubt.at) < DOUBT_KEPT_MS);
  if (state.doubts) {
    if (kept.length) state.doubts[key] = kept;
    else delete state.doubts[key];
  }
  return kept;
}

/**
 * Writes the state atomically, with a .gitignore so it never lands in the repository; the base
 * contents written meanwhile are waited for, and those no record refers to any more let go.
 */
export async function saveState(root: string, state: SyncState): Promise<void> {
  // Nothing recorded where no state was kept yet: none is written (a watch refused at its start
  // leaves no .dashsync behind).
  const empty = (record: Record<string, object> | undefined): boolean =>
    Object.values(record ?? {}).every((entries) => Object.keys(entries).length === 0);
  if (empty(state.workspaces) && empty(state.doubts) && !existsSync(join(root, STATE_DIR, 'state.json'))) return;
  await ensureFile(join(root, STATE_DIR, '.gitignore'), '*\n', stateFence(root));
  await state.bases?.flush();
  // The base store is the folder beside state.json, not a part of it.
  const { version, workspaces, doubts } = state;
  await writeFileAtomic(join(root, STATE_DIR, 'state.json'), JSON.stringify({ version, workspaces, doubts }), {
    fence: stateFence(root),
    durable: false,
  });
  await state.bases?.prune(hashesOf(state));
}

/** What is known of one dashboard at a moment both sides were seen to agree. */
export interface SyncedFacts {
  /** contentHash() of the content both sides hold. */
  hash: string;
  path?: string;
  /** The file's byte hash, only when the file was seen holding exactly that content. */
  fileHash?: string;
  /** The server's updated_at, only when it was seen together with that content. */
  updatedAt?: string;
}

/**
 * Records that a dashboard is in sync. Every command records through this (and forgetSynced), so
 * what an entry means is decided once: only what was proven to hold `hash` on both sides.
 */
export function recordSynced(entries: Record<string, StateEntry>, id: string, facts: SyncedFacts): void {
  const { hash, path, fileHash, updatedAt } = facts;
  entries[id] = { hash, ...definedOnly({ path, fileHash, updatedAt: updatedAt || undefined }) };
}

/** Records a dashboard that pull wrote into the file at `path` as `text`: both sides now hold it. */
export function recordPulled(
  entries: Record<string, StateEntry>,
  dashboard: RemoteDashboard,
  file: { path: string; text: string },
  hash: string = contentHash(dashboard),
): void {
  recordSynced(entries, dashboard.id, {
    hash,
    path: file.path,
    fileHash: byteHash(file.text),
    ...definedOnly({ updatedAt: dashboard.updatedAt }),
  });
}

/**
 * Records a dashboard seen holding the same content as its file: plan, pull and watch all record
 * this one way. The file must carry the dashboard's id; `updatedAt` only if seen with that content.
 */
export function recordSeenEqual(
  entries: Record<string, StateEntry>,
  id: string,
  file: { contentHash: string; path: string; byteHash: string },
  updatedAt: string | undefined,
): void {
  recordSynced(entries, id, {
    hash: file.contentHash,
    path: file.path,
    fileHash: file.byteHash,
    ...definedOnly({ updatedAt: updatedAt || undefined }),
  });
}

/** Forgets a dashboard (deleted on either side). */
export function forgetSynced(entries: Record<string, StateEntry>, id: string): void {
  delete entries[id];
}

/** The one test of "nothing changed since" is a core rule; it is re-exported here, beside the records it reads. */
export { unchangedSince } from '../core/who-changed.js';

/** True when the workspace still shows the dashboard as it was at the last sync (same updated_at). */
export function remoteUnchangedSince(entry: StateEntry | undefined, updatedAt: string | undefined): boolean {
  return entry?.updatedAt !== undefined && updatedAt !== undefined && entry.updatedAt === updatedAt;
}
