import { runScope } from '../../core/selection.js';
import { executePlan } from '../execute.js';
import { planFiles } from '../load-plan.js';
import { readLocal, withWorkspaceIds } from '../read-local.js';
import { refuseDrift } from '../drift-stop.js';
import type { WatchStep } from './watched-folder.js';
import { keepAside } from './watched-folder.js';

/**
 * Watch's start: a full plan and apply of the folder. Invalid files are reported and skipped, and
 * a project with an invalid file is never pruned (its dashboard might be the one that looks orphaned).
 */
export async function syncWholeFolder(step: WatchStep): Promise<void> {
  const { ctx, options, folder } = step;
  const local = await readLocal(ctx, { scope: step.scope, light: true });
  for (const problem of local.problems) step.tell({ kind: 'problem', problem });
  const invalid = new Set(local.problems.map((p) => p.path));
  for (const path of invalid) folder.invalid.add(path);
  const files = withWorkspaceIds(
    ctx,
    local.files.filter((f) => !invalid.has(f.path)),
  );
  folder.outside = withWorkspaceIds(ctx, local.outside);
  step.scope = runScope(step.scope.selection, local.blocked);
  // With no file to plan, the plan asks the workspace nothing: watch asks once all the same, so that
  // a refused token or a wrong URL ends it now, not at the first file saved.
  if (!files.length && !local.folders.length) await ctx.client.listAll();
  // Unmanaged dashboards are only reported at start: watch deletes nothing it did not see the file
  // of deleted (apply --prune shows such deletes first, and asks).
  const loaded = await planFiles(ctx, files, local.folders, {
    prune: false,
    force: false,
    drift: step.drift,
    runner: 'watch',
    scope: step.scope,
    outside: folder.outside,
  });
  folder.rememberRead(files);
  // Drift (changed in the workspace since the last sync) is what the policy says, as at every
  // check: reverted (--self-heal, --drift revert), or reported and left for pull, or the end of watch.
  for (const a of loaded.plan.drifted ?? [])
    if ('path' in a) step.tell({ kind: 'remote-changed', path: a.path, name: a.name, seen: 'start' });
  refuseDrift(loaded.plan, 'watch');
  await step.record(await executePlan(ctx, loaded, { force: false, ...keepAside(step) }));
  for (const unmanaged of loaded.plan.unmanaged)
    step.tell({ kind: 'unmanaged', folder: unmanaged.folder, name: unmanaged.name, prune: options.prune === true });
}
