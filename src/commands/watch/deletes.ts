import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectFolder } from '../../core/types.js';
import { executePlan } from '../execute.js';
import { planFiles } from '../load-plan.js';
import { projectFolderOf } from './watched-folder.js';
import type { WatchStep } from './watched-folder.js';

/**
 * Deletes the dashboards whose files were deleted, through the same plan and executor as
 * `apply --prune`, so the same guards hold: a dashboard changed in the workspace since the last
 * sync is skipped as a conflict, a project whose folder was emptied is refused, and a folder that
 * is gone (a branch switch) deletes nothing. Without --prune, each is reported and kept.
 */
export async function deleteRemovedFiles(step: WatchStep): Promise<void> {
  const { ctx, options, folder } = step;
  const { deleted } = folder;
  // A deleted file whose id reappears in another file was moved or renamed: nothing to delete.
  const liveIds = folder.liveIds();
  for (const [path, f] of deleted) if (f.id === undefined || liveIds.has(f.id)) deleted.delete(path);
  if (!options.prune) {
    for (const f of deleted.values()) step.tell({ kind: 'delete-kept', path: f.path, name: f.name });
    deleted.clear();
    return;
  }
  const folders: ProjectFolder[] = [];
  for (const name of new Set([...deleted.values()].map((f) => f.folder))) {
    const projectFolder = projectFolderOf(ctx, name);
    // A project holding an invalid file is never pruned: its deletes wait until the file is valid.
    if (folder.holdsInvalidFile(projectFolder.path)) continue;
    if (existsSync(join(ctx.settings.dir, name))) folders.push(projectFolder);
    else {
      const lost = [...deleted].filter(([, f]) => f.folder === name);
      step.tell({ kind: 'folder-gone', folder: projectFolder.path, dashboards: lost.length });
      for (const [path] of lost) deleted.delete(path);
    }
  }
  if (folders.length === 0) return;
  const inFolders = new Set(folders.map((f) => f.folder));
  const files = [...folder.files.values()].filter((f) => inFolders.has(f.folder));
  const loaded = await planFiles(ctx, files, folders, {
    prune: true,
    force: false,
    drift: step.drift,
    runner: 'watch',
    scope: step.scope,
    outside: folder.outside.filter((f) => inFolders.has(f.folder)),
  });
  const ids = new Set([...deleted.values()].map((f) => f.id!));
  // Only the deletes of these files, and the planner's refusal to empty a project, are carried out.
  const actions = loaded.plan.actions.filter(
    (a) => (a.kind === 'delete' && ids.has(a.id)) || (a.kind === 'error' && a.name === '' && inFolders.has(a.folder)),
  );
  const outcomes = await executePlan(ctx, { ...loaded, plan: { ...loaded.plan, actions } }, { force: false });
  await step.record(outcomes);
  const retry = new Set(
    outcomes
      .filter((x) => x.outcome === 'failed' && x.action.kind === 'delete')
      .map((x) => (x.action as { id: string }).id),
  );
  // Decided (done, skipped, refused, or already gone from the workspace): forgotten; failed: kept.
  for (const [path, f] of deleted) if (inFolders.has(f.folder) && !retry.has(f.id!)) deleted.delete(path);
  if (retry.size) throw new Error(`${retry.size} ${retry.size === 1 ? 'delete' : 'deletes'} failed`);
}
