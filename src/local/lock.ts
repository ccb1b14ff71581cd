import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { link, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { enterFence } from './fsutil.js';
import { MAX_CONFIG_BYTES, NotReadable, readRegularFile } from './regular-file.js';
import { STATE_DIR, stateFence } from './state.js';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Unique per holder: a process only ever removes a lock that holds its own nonce. */
  nonce?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock from another host not refreshed for this long is taken over (its owner cannot be checked). */
const STALE_MS = 60 * 60 * 1000;
/** How often a holder refreshes its lock's mtime, so that a long-lived owner never looks stale. */
const REFRESH_MS = 5 * 60 * 1000;
/** A lock file that does not hold a valid owner is damaged once it is this old (else being written). */
const DAMAGED_MS = 2000;

// The owner a lock file names; undefined when it names none (damaged, or being written).
function ownerOf(text: string): LockInfo | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockInfo> | null;
    if (
      owner &&
      typeof owner === 'object' &&
      !Array.isArray(owner) &&
      typeof owner.pid === 'number' &&
      typeof owner.host === 'string'
    ) {
      return {
        pid: owner.pid,
        host: owner.host,
        command: String(owner.command ?? '?'),
        since: String(owner.since ?? '?'),
        ...(typeof owner.nonce === 'string' ? { nonce: owner.nonce } : {}),
      };
    }
  } catch {
    // damaged: judged by age
  }
  return undefined;
}

// Creates `path` holding `text`, whole or not at all: written to a private file, then hard-linked
// (link fails when the target exists, like open 'wx', but readers never see it half-written).
async function createWhole(path: string, text: string): Promise<boolean> {
  const mine = `${path}.${randomBytes(6).toString('hex')}.new`;
  await writeFile(mine, text);
  try {
    await link(mine, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: exclusive create (a reader may then briefly see it empty,
    // which counts as damaged only once it is DAMAGED_MS old).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')
      return createExclusive(path, text);
    throw e;
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    await writeFile(path, text, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Removes the lock at `path` if it still holds exactly `judged` (the text found stale), under a
 * short-lived break lock so that two processes that judged the same stale lock never remove a
 * fresh one that the faster of them has taken meanwhile.
 */
async function breakStale(path: string, judged: string): Promise<void> {
  const guard = `${path}.break`;
  if (!(await createWhole(guard, String(process.pid)))) {
    // A break in progress; one left by a killed process is cleared once it is clearly old.
    const st = await stat(guard).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 10_000) await rm(guard, { force: true });
    return;
  }
  try {
    const now = readLockText(path);
    if (now === judged) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

// A file system error on the lock's path, as a message that names what stands in the way.
function lockPathProblem(error: unknown, dir: string, path: string): never {
  const isDir = error instanceof NotReadable && statSync(path, { throwIfNoEntry: false })?.isDirectory();
  const code = isDir ? 'EISDIR' : (error as NodeJS.ErrnoException).code;
  if (error instanceof NotReadable && !isDir)
    throw new UsageError(
      `${join(STATE_DIR, 'lock')} is not a dashsync lock: ${error.message}`,
      `remove it (rm -r ${path}) and run again`,
    );
  if (code === 'EISDIR')
    throw new UsageError(
      `${join(STATE_DIR, 'lock')} is a directory, not a dashsync lock`,
      `remove it (rm -r ${path}) and run again`,
    );
  if (code === 'ENOTDIR' || code === 'EEXIST')
    throw new UsageError(
      `${STATE_DIR} in ${dir} is a file, not dashsync's state folder`,
      `move or delete that file (dashsync keeps its local state in a folder of that name) and run again`,
    );
  throw error;
}

/**
 * Takes the folder's lock (`.dashsync/lock`) so that two dashsync processes never change the same
 * folder and workspace at once. A live owner on this host is waited for (up to `waitMs`, then a
 * clear error names it), however old its lock; a lock whose owner is gone (same host), one from
 * another host not refreshed for an hour, or a damaged one is taken over, atomically. The holder
 * refreshes its lock while it runs, and release removes the lock only if it is still its own.
 */
export async function acquireLock(root: string, command: string, waitMs = 10_000): Promise<() => Promise<void>> {
  const dir = join(root, STATE_DIR);
  const path = join(dir, 'lock');
  // .dashsync is made when missing, and refused when it is a link or a file. It is removed again at
  // release when nothing is left in it (a first pull that failed leaves no trace).
  const enter = (): void => {
    try {
      enterFence(dir, stateFence(root));
    } catch (error) {
      lockPathProblem(error, root, path);
    }
  };
  enter();
  const me: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const text = JSON.stringify(me);
  const deadline = Date.now() + waitMs;
  for (;;) {
    let created: boolean;
    try {
      created = await createWhole(path, text);
    } catch (e) {
      // The folder went meanwhile (another run that made it removed it, empty): made again.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        enter();
        continue;
      }
      lockPathProblem(e, root, path);
    }
    if (created) return holding(path, text, root);
    let current: string | undefined;
    let mtimeMs = Date.now();
    try {
      current = readRegularFile(path, LOCK_FILE).toString('utf8');
      mtimeMs = (await stat(path)).mtimeMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      lockPathProblem(e, root, path);
    }
    const owner = ownerOf(current);
    const age = Date.now() - mtimeMs;
    const stale = owner ? (owner.host === me.host ? !alive(owner.pid) : age > STALE_MS) : age > DAMAGED_MS;
    if (stale) {
      await breakStale(path, current);
      continue;
    }
    if (Date.now() > deadline) {
      const who = owner
        ? `${owner.command}, pid ${owner.pid} on ${owner.host}, since ${owner.since}`
        : 'a lock being written';
      throw new UsageError(
        `another dashsync (${who}) is working on this folder`,
        `wait for it to finish; if it is gone for good, delete ${join(STATE_DIR, 'lock')}`,
      );
    }
    await new Promise((resume) => setTimeout(resume, 100));
  }
}

// The release function of a lock just taken; keeps the lock fresh while it is held. At release, the
// .dashsync of `root` goes if nothing is left in it (whichever of several runs ends last removes it).
function holding(path: string, text: string, root: string): () => Promise<void> {
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, REFRESH_MS);
  refresh.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    const now = readLockText(path);
    if (now === text) await rm(path, { force: true });
    await removeIfEmpty(root);
  };
}

// Removes .dashsync's tmp folder, then .dashsync, when they hold nothing (rmdir removes only an
// empty folder, so another run's lock or state is never touched); never through a link.
async function removeIfEmpty(root: string): Promise<void> {
  const dir = join(root, STATE_DIR);
  try {
    if (enterFence(join(dir, 'tmp'), stateFence(root), { create: false })) await rmdir(join(dir, 'tmp'));
    if (enterFence(dir, stateFence(root), { create: false })) await rmdir(dir);
  } catch {
    // not empty, or not ours to judge: left as it is
  }
}

// What a lock file holds (read under the one rule of local/regular-file.ts), or undefined.
const LOCK_FILE = { maxBytes: MAX_CONFIG_BYTES, kind: 'a lock' };
function readLockText(path: string): string | undefined {
  try {
    return readRegularFile(path, LOCK_FILE).toString('utf8');
  } catch {
    return undefined;
  }
}
