import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { STATE_DIR } from './state.js';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock older than this is taken over even when its owner cannot be checked (another host). */
const STALE_MS = 60 * 60 * 1000;

/**
 * Takes the folder's lock (`.dashsync/lock`) so that two dashsync processes never change the same
 * folder and workspace at once. A lock left by a process that is gone (same host) or older than an
 * hour is taken over; a live one is waited for up to `waitMs`, then a clear error names its owner.
 * Returns the release function.
 */
export async function acquireLock(root: string, command: string, waitMs = 10_000): Promise<() => Promise<void>> {
  const dir = join(root, STATE_DIR);
  const path = join(dir, 'lock');
  await mkdir(dir, { recursive: true });
  const me: LockInfo = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(JSON.stringify(me));
      await fh.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: LockInfo | undefined;
    try {
      owner = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    } catch {
      owner = undefined; // being written right now, or torn by a crash: judge it by age below
    }
    const age = owner ? Date.now() - Date.parse(owner.since) : 0;
    const dead = owner !== undefined && ((owner.host === me.host && !alive(owner.pid)) || age > STALE_MS);
    if (dead || (owner === undefined && Date.now() > deadline)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new UsageError(
        `another dashsync (${owner!.command}, pid ${owner!.pid} on ${owner!.host}, since ${owner!.since}) is working on this folder`,
        `wait for it to finish; if it is gone for good, delete ${join(STATE_DIR, 'lock')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
