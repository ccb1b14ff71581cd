import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { existsSync } from 'node:fs';

/** How writeFileAtomic writes. */
export interface WriteFileOptions {
  /** Flush to disk before the rename (the default), so a power cut cannot lose the new bytes. */
  durable?: boolean;
  /** Folder for the temporary file (inside .dashsync/), instead of beside the target. */
  tmpDir?: string | undefined;
}

/**
 * Writes a file so that readers (and a crash at any moment) see either the old bytes or the new,
 * never a mix: write a temp file beside it, flush it to disk, rename it over the target.
 * `durable: false` skips the flush: for caches and the sync state, which a power cut may lose
 * without harm (a process crash never tears them either way).
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  { durable = true, tmpDir }: WriteFileOptions = {},
): Promise<void> {
  const name = `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`;
  // With tmpDir (inside .dashsync/), a crash never leaves litter in the user's git tree.
  const tmp = join(tmpDir ?? dirname(path), name);
  let fh;
  try {
    fh = await open(tmp, 'w', 0o644);
  } catch (e) {
    // The folder is made only when missing: one mkdir per file would cost more than the write.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dirname(tmp), { recursive: true });
    fh = await open(tmp, 'w', 0o644);
  }
  try {
    await fh.writeFile(data, 'utf8');
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path).catch(async (e: unknown) => {
      // The target's folder is made only when missing (a new project folder, with tmpDir).
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || tmpDir === undefined) throw e;
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
    });
  } catch (e) {
    // Another file system (a --dir elsewhere): write beside the target instead.
    if ((e as NodeJS.ErrnoException).code === 'EXDEV' && tmpDir !== undefined) {
      await unlink(tmp).catch(() => undefined);
      return writeFileAtomic(path, data, { durable });
    }
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** The name writeFileAtomic gives its temporary files. */
const TMP_NAME = /^\..+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes temporary files a killed run left: everything in `tmpDir`, and (from older versions, or a
 * --dir on another file system) `.<name>.<hex>.tmp` files in the given folders. Only call it while
 * holding the folder's lock, so no live writer's file is removed.
 */
export async function removeLeftoverTemps(tmpDir: string, folders: string[]): Promise<void> {
  await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  for (const folder of folders) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) if (TMP_NAME.test(name)) await unlink(join(folder, name)).catch(() => undefined);
  }
}

/** Forward-slash path for display. */
export function displayPath(path: string): string {
  return path.split('\\').join('/');
}

/** Writes a small file only when it is missing (e.g. a .gitignore). */
export async function ensureFile(path: string, data: string): Promise<void> {
  if (!existsSync(path)) await writeFileAtomic(path, data, { durable: false });
}
