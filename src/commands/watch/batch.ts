import { lstatSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { LocalFile } from '../../core/types.js';
import { byteHash } from '../../local/dashboard-file.js';
import { crossCheck } from '../../local/cross-check.js';
import { readDashboardFile, readDashboardFileBytes } from '../../local/read-dashboard-file.js';
import { executePlan } from '../execute.js';
import { planFiles } from '../load-plan.js';
import type { RemoteContext } from '../open-run.js';
import { withWorkspaceIds } from '../read-local.js';
import { deleteRemovedFiles } from './deletes.js';
import { projectFolderOf } from './watched-folder.js';
import type { WatchStep } from './watched-folder.js';
import { keepAside } from './watched-folder.js';

/**
 * Syncs a batch of changed paths: deletes first, then the files to save, through the shared
 * planner and executor. True when it did or reported anything. Throws when a change failed, so
 * that the caller keeps the batch pending and retries it.
 */
export async function syncChangedPaths(step: WatchStep, paths: string[]): Promise<boolean> {
  const { ctx, folder } = step;
  const { changed, acted } = await readChangedFiles(step, paths);
  // Files that fail the cross-file checks (a copied file with the same id...) are reported and skipped.
  const problems = crossCheck([...folder.files.values()]);
  const blocked = new Set(problems.map((p) => p.path));
  for (const problem of problems) if (paths.includes(problem.path)) step.tell({ kind: 'problem', problem });
  // An id held by two files blocks both (the check names only one of them): neither is synced
  // until one of them loses the id, as validate and plan refuse the folder.
  for (const path of folder.holdersOfSharedIds()) {
    if (!blocked.has(path) && paths.includes(path)) step.tell({ kind: 'shared-id', path });
    blocked.add(path);
  }
  const toSync = changed.filter((f) => !blocked.has(f.path));
  // Deleted files are handled first, and kept until they are: a failure of either half (the server
  // away) retries both, so no delete is forgotten.
  if (folder.deleted.size) await deleteRemovedFiles(step);
  if (toSync.length === 0) return acted;
  const loaded = await planFiles(ctx, toSync, [], {
    prune: false,
    force: false,
    drift: step.drift,
    runner: 'watch',
    outside: folder.outside,
  });
  const outcomes = await executePlan(ctx, loaded, { force: false, ...keepAside(step) });
  await step.record(outcomes);
  const failedPaths = outcomes
    .filter((x) => x.outcome === 'failed' && x.action.kind !== 'error' && 'path' in x.action)
    .map((x) => (x.action as { path: string }).path);
  for (const path of failedPaths) folder.forget(path);
  if (failedPaths.length)
    throw new Error(`${failedPaths.length} ${failedPaths.length === 1 ? 'change' : 'changes'} failed`);
  return true;
}

/** Reads each changed path: deleted, invalid, unchanged (our own write-back), or a change to sync. */
async function readChangedFiles(step: WatchStep, paths: string[]): Promise<{ changed: LocalFile[]; acted: boolean }> {
  const { ctx, folder } = step;
  let acted = false;
  const changed: LocalFile[] = [];
  for (const path of paths) {
    const absPath = join(ctx.cwd, path);
    // Gone only when nothing is there: a link (even a dangling one) in its place is not a delete.
    if (!lstatSync(absPath, { throwIfNoEntry: false })) {
      folder.noteGone(path);
      // Deleted by the user (a checkout is told apart before): an id kept for it has no file now.
      await ctx.pendingIds.forget(path);
      acted = true;
      continue;
    }
    folder.deleted.delete(path);
    // Read as every command reads a dashboard file (no link, no pipe); what cannot be read is reported below.
    let hash: string | undefined;
    try {
      hash = byteHash(readDashboardFileBytes(absPath));
    } catch {
      hash = undefined;
    }
    if (hash !== undefined && folder.syncedBytes.get(path) === hash && folder.files.get(path)?.byteHash === hash)
      continue;
    const projectFolder = path.slice(ctx.dirShown === '.' ? 0 : ctx.dirShown.length + 1).split('/')[0]!;
    const read = await readDashboardFile(
      absPath,
      path,
      projectFolderOf(ctx, projectFolder),
      ctx.settings.variables,
      ctx.flavour.reading,
    );
    if (Array.isArray(read)) {
      folder.files.delete(path);
      for (const problem of read) step.tell({ kind: 'problem', problem });
      folder.invalid.add(path);
      acted = true;
      continue;
    }
    if (folder.invalid.delete(path)) {
      step.tell({ kind: 'valid-again', path });
      acted = true;
    }
    const file = withWorkspaceIds(ctx, [read])[0]!;
    folder.files.set(path, file);
    // Our own id write-back (or a touch without a change): refresh the index, nothing to sync.
    if (folder.syncedBytes.get(path) === read.byteHash) continue;
    if (unchangedSinceSynced(ctx, file)) {
      folder.syncedBytes.set(path, read.byteHash);
      continue;
    }
    changed.push(file);
  }
  return { changed, acted };
}

/**
 * True when the file holds what was last synced, in the same project folder (a rename there is no
 * change). A file moved to another project's folder goes to the plan, which says what is wrong with it.
 */
function unchangedSinceSynced(ctx: RemoteContext, file: LocalFile): boolean {
  const synced = file.id !== undefined ? ctx.synced[file.id] : undefined;
  return (
    synced !== undefined &&
    synced.hash === file.contentHash &&
    (synced.path === undefined || posix.dirname(synced.path) === posix.dirname(file.path))
  );
}
