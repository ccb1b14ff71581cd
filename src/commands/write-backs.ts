import { loadFileCache, learnWriteBacks, saveFileCache } from '../local/file-cache.js';
import type { RemoteContext } from './open-run.js';
import { fileCacheFingerprint } from './read-local.js';

/*
 * The bookkeeping of id write-backs: the executor notes in `ctx.written` each file it wrote an id
 * into; once the run has saved its state, the file cache learns them here.
 */

/**
 * Brings the file cache up to date with the ids written back during this run, so that the next
 * command does not parse those files again only because an id line was added.
 */
export async function rememberWrittenFiles(ctx: RemoteContext): Promise<void> {
  if (ctx.written.size === 0 || ctx.snapshot) return;
  const fingerprint = fileCacheFingerprint(ctx);
  const cache = ctx.fileCache ?? (await loadFileCache(ctx.settings.root, fingerprint));
  learnWriteBacks(cache, ctx.written);
  await saveFileCache(ctx.settings.root, fingerprint, cache).catch((e: unknown) =>
    ctx.reporter.debug(`file cache not saved: ${String(e)}`),
  );
}
