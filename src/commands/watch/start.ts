import { runScope } from '../../core/selection.js';
import { executePlan } from '../execute.js';
import { planFiles } from '../load-plan.js';
import { readLocal, withWorkspaceIds } from '../read-local.js';
import type { WatchStep } from './watched-folder.js';

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
  // Unmanaged dashboards are only reported at start: watch deletes nothing it did not see the file
  // of deleted (apply --prune shows such deletes first, and asks).
  const loaded = await planFiles(ctx, files, local.folders, {
    prune: false,
    force: false,
    scope: step.scope,
    outside: folder.outside,
  });
  folder.rememberRead(files);
  // A dashboard changed in the workspace since the last sync (drift) is reverted at start only with
  // --self-heal, as at every interval check: otherwise it is reported and left for pull.
  if (!options.selfHeal) {
    const drifted = loaded.plan.actions.filter((a) => a.kind === 'update' && a.reason === 'drift');
    for (const a of drifted)
      if ('path' in a) step.tell({ kind: 'remote-changed', path: a.path, name: a.name, seen: 'start' });
    loaded.plan.actions = loaded.plan.actions.filter((a) => !drifted.includes(a));
  }
  await step.record(await executePlan(ctx, loaded, { force: false }));
  for (const unmanaged of loaded.plan.unmanaged)
    step.tell({ kind: 'unmanaged', folder: unmanaged.folder, name: unmanaged.name, prune: options.prune === true });
}
