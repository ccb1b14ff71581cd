import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import type { DeployOptions, Json } from '../core/types.js';
import { ensureFile, writeFileAtomic } from './fsutil.js';
import { readStateFile } from './regular-file.js';
import { STATE_DIR, stateFence } from './state.js';

/** What is remembered of a valid dashboard file, so that unchanged bytes need no parse. */
export interface CachedFile {
  byteHash: string;
  fileId?: string;
  /** The rendered name. */
  name: string;
  /** contentHash() of the rendered content. */
  contentHash: string;
  /** Line of the `id` (or `name`) key, for messages. */
  idLine: number;
  /**
   * The file's own steps after a save (apps: `publish:`, `bookmark:`): not content, so not in its
   * hash, but a file read from the cache must not lose them.
   */
  deploy?: DeployOptions;
  /**
   * Size and modification time (ns) when the bytes were hashed, and when that was: like git's
   * index, a file whose size and mtime are unchanged is not read again, unless it was modified
   * within two seconds of being hashed (a change then might not move the mtime).
   */
  size?: number;
  mtimeNs?: string;
  checkedNs?: string;
  /**
   * Change time (ns) and inode, as git's index compares them too: tools that restore an old mtime
   * (touch -d, tar x, rsync -t, git checkouts) cannot restore the ctime, nor keep the inode of a
   * file they replace.
   */
  ctimeNs?: string;
  ino?: string;
}

/**
 * An id written back into a file during a run: the file's new byte hash and id; `edited` when the
 * file had been edited since it was planned (its entry is then dropped, so it is read again).
 */
export interface WrittenBack {
  byteHash: string;
  fileId: string;
  edited?: boolean;
}

/** The stat of a file, as the cache compares it. */
export interface FileStamp {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** True when the stamp shows the cached bytes unchanged, without reading them. */
export function unchangedByStamp(cached: CachedFile, stamp: FileStamp): boolean {
  if (cached.size !== stamp.size || cached.mtimeNs !== String(stamp.mtimeNs) || cached.checkedNs === undefined)
    return false;
  if (cached.ctimeNs !== String(stamp.ctimeNs) || cached.ino !== String(stamp.ino)) return false;
  const recent = BigInt(cached.checkedNs) - 2_000_000_000n;
  return stamp.mtimeNs < recent && stamp.ctimeNs < recent;
}

interface CacheFile {
  version: 1;
  /** By fingerprint of what rendering depends on (the variables) and of the dashsync version. */
  sets: Record<string, Record<string, CachedFile>>;
}

const FILE = 'files.json';

/** The fingerprint under which files read with these variables are cached. */
export function cacheFingerprint(version: string, variables: object): string {
  // Canonical JSON (keys sorted at every depth): a key-list replacer would drop nested settings.
  return createHash('sha256')
    .update(`${version}\u0000${canonicalJson(variables as Json)}`)
    .digest('hex')
    .slice(0, 16);
}

/** Loads the cached files for a fingerprint; empty when there is none or the cache is damaged. */
export async function loadFileCache(root: string, fingerprint: string): Promise<Map<string, CachedFile>> {
  try {
    const cache = JSON.parse(readStateFile(join(root, STATE_DIR, FILE))) as CacheFile;
    const set = cache?.version === 1 ? cache.sets?.[fingerprint] : undefined;
    // Damaged entries are dropped (those files are read afresh), never trusted.
    if (set && typeof set === 'object') return new Map(Object.entries(set).filter(([, entry]) => validEntry(entry)));
  } catch {
    // none yet, or damaged: everything is read afresh
  }
  return new Map();
}

function validEntry(entry: unknown): entry is CachedFile {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return false;
  const fields = entry as Record<string, unknown>;
  return (
    typeof fields.byteHash === 'string' &&
    typeof fields.name === 'string' &&
    typeof fields.contentHash === 'string' &&
    typeof fields.idLine === 'number' &&
    (fields.fileId === undefined || typeof fields.fileId === 'string') &&
    (fields.deploy === undefined || validDeploy(fields.deploy))
  );
}

function validDeploy(deploy: unknown): deploy is DeployOptions {
  if (deploy === null || typeof deploy !== 'object' || Array.isArray(deploy)) return false;
  const { publish, bookmark } = deploy as Record<string, unknown>;
  return (
    (publish === undefined || typeof publish === 'boolean') && (bookmark === undefined || typeof bookmark === 'string')
  );
}

/** Saves the cached files of a fingerprint, keeping those of at most three others. */
export async function saveFileCache(root: string, fingerprint: string, files: Map<string, CachedFile>): Promise<void> {
  // No file to remember and no cache yet: none is made (a refused first run leaves no .dashsync).
  if (files.size === 0 && !existsSync(join(root, STATE_DIR, FILE))) return;
  let cache: CacheFile = { version: 1, sets: {} };
  try {
    const old = JSON.parse(readStateFile(join(root, STATE_DIR, FILE))) as CacheFile;
    if (old?.version === 1 && old.sets && typeof old.sets === 'object' && !Array.isArray(old.sets)) cache = old;
  } catch {
    // start afresh
  }
  // A few other fingerprints are kept: switching between environments does not read everything afresh.
  const others = Object.entries(cache.sets)
    .filter(([otherFingerprint]) => otherFingerprint !== fingerprint)
    .slice(-3);
  cache.sets = { ...Object.fromEntries(others), [fingerprint]: Object.fromEntries(files) };
  await ensureFile(join(root, STATE_DIR, '.gitignore'), '*\n', stateFence(root));
  await writeFileAtomic(join(root, STATE_DIR, FILE), JSON.stringify(cache), {
    fence: stateFence(root),
    durable: false,
  });
}

/**
 * Keeps in `read` (the entries of a read just done) the entries of `previous` for files that read
 * did not look at (another --project's), so that reading part of the folder forgets nothing.
 */
export function keepUnreadEntries(
  read: Map<string, CachedFile>,
  previous: ReadonlyMap<string, CachedFile>,
  readPaths: Iterable<string>,
): void {
  const looked = new Set(readPaths);
  for (const [path, entry] of previous) if (!read.has(path) && !looked.has(path)) read.set(path, entry);
}

/**
 * Brings the entries of files whose id was written back up to date, so that the next run does not
 * parse them again only because an id line was added. A file edited meanwhile loses its entry.
 */
export function learnWriteBacks(cache: Map<string, CachedFile>, written: ReadonlyMap<string, WrittenBack>): void {
  for (const [path, back] of written) {
    const entry = cache.get(path);
    if (!entry) continue;
    if (back.edited) {
      cache.delete(path);
      continue;
    }
    // The stat fields go (the write changed them): the next run hashes the bytes, finds them known, and
    // does not parse the file again.
    const { size: _size, mtimeNs: _mtime, checkedNs: _checked, ctimeNs: _ctime, ino: _ino, ...rest } = entry;
    void _size;
    void _mtime;
    void _checked;
    void _ctime;
    void _ino;
    cache.set(path, { ...rest, byteHash: back.byteHash, fileId: back.fileId });
  }
}
