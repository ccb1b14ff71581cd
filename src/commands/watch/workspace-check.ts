import { isDrift } from '../../core/drift.js';
import type { LocalFile } from '../../core/types.js';
import type { WatchNotice } from '../../contract/watch.js';
import { remoteUnchangedSince, saveState } from '../../local/state.js';
import { refuseDrift } from '../drift-stop.js';
import { executePlan } from '../execute.js';
import { planFiles } from '../load-plan.js';
import type { WatchStep } from './watched-folder.js';

/**
 * Watch's look at the workspace, now and then: dashboards created there are reported once (per
 * updated_at); those changed there are planned as apply plans them, and the drift policy decides:
 * revert (--self-heal) carries the plan out, keep reports each change once, fail reports and stops.
 */
export class WorkspaceCheck {
  /** Remote changes already reported: id -> updated_at (never in the sync state, which records agreement only). */
  private readonly reported = new Map<string, string | undefined>();

  /** Lists the workspace and reports (or, with the revert policy, reverts) what changed there. */
  async run(step: WatchStep): Promise<void> {
    const { ctx } = step;
    const revert = step.drift === 'revert';
    const listed = await ctx.client.listAll();
    const files = [...step.folder.files.values()];
    const fileById = new Map(files.flatMap((f) => (f.id ? [[f.id, f] as const] : [])));
    const folderOf = new Map(files.map((f) => [f.projectId, f.folder]));
    // Dashboards of files outside the run are not the run's: never reported as created there.
    const heldOutside = new Set(step.folder.outside.flatMap((f) => (f.id ? [f.id] : [])));
    const changed: LocalFile[] = [];
    const created: WatchNotice[] = [];
    const updatedAt = new Map<string, string | undefined>();
    for (const summary of listed) {
      const folder = folderOf.get(summary.projectId);
      if (folder === undefined || heldOutside.has(summary.id)) continue;
      const file = fileById.get(summary.id);
      const entry = ctx.synced[summary.id];
      const seen = this.reported.has(summary.id) && this.reported.get(summary.id) === summary.updatedAt;
      if (!file) {
        const inRun = step.scope.hasUnclaimed(summary, folder, summary.projectId);
        if (inRun && !seen && !remoteUnchangedSince(entry, summary.updatedAt))
          created.push({ kind: 'remote-created', projectId: summary.projectId, name: summary.name, id: summary.id });
        this.reported.set(summary.id, summary.updatedAt);
        continue;
      }
      if (remoteUnchangedSince(entry, summary.updatedAt) || (seen && !revert)) continue;
      changed.push(file);
      updatedAt.set(summary.id, summary.updatedAt);
    }
    if (changed.length) {
      // Planned as apply plans them: those seen equal are recorded, drift is told from a conflict.
      const loaded = await planFiles(ctx, changed, [], {
        prune: false,
        force: false,
        drift: step.drift,
        runner: 'watch',
        outside: step.folder.outside,
      });
      const differing = [...loaded.plan.actions, ...(loaded.plan.drifted ?? [])];
      for (const action of differing) {
        if (!('path' in action) || (revert && isDrift(action))) continue;
        step.tell({ kind: 'remote-changed', path: action.path, name: action.name, seen: 'check' });
        if ('id' in action) this.reported.set(action.id, updatedAt.get(action.id));
      }
      for (const notice of created) step.tell(notice);
      refuseDrift(loaded.plan, 'watch');
      if (revert) await step.record(await executePlan(ctx, loaded, { force: false }));
    } else for (const notice of created) step.tell(notice);
    await saveState(ctx.settings.root, ctx.state);
  }
}
