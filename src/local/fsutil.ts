import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { existsSync } from 'node:fs';

/**
 * Writes a file so that readers (and a crash at any moment) see either the old bytes or the new,
 * never a mix: write a temp file beside it, flush it to disk, rename it over the target.
 * `durable: false` skips the flush: for caches and the sync state, which a power cut may lose
 * without harm (a process crash never tears them either way).
 */
export async function writeFileAtomic(path: string, data: string, durable = true): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  let fh;
  try {
    fh = await open(tmp, 'w', 0o644);
  } catch (e) {
    // The folder is made only when missing: one mkdir per file would cost more than the write.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dirname(path), { recursive: true });
    fh = await open(tmp, 'w', 0o644);
  }
  try {
    await fh.writeFile(data, 'utf8');
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Forward-slash path for display. */
export function displayPath(p: string): string {
  return p.split('\\').join('/');
}

/** Writes a small file only when it is missing (e.g. a .gitignore). */
export async function ensureFile(path: string, data: string): Promise<void> {
  if (!existsSync(path)) await writeFileAtomic(path, data, false);
}
