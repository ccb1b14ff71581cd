import { contentHash } from '../../core/canonical.js';
import type { LocalFile } from '../../core/types.js';
import { recordSeenEqual, remoteUnchangedSince, saveState } from '../../local/state.js';
import { executePlan } from '../execute.js';
import { planFiles } from '../load-plan.js';
import type { WatchStep } from './watched-folder.js';

/**
 * Watch's look at the workspace, now and then: dashboards changed or created there are reported
 * once (per updated_at); with --self-heal, changed ones are reverted to their files, by the
 * executor with force.
 */
export class WorkspaceCheck {
  /** Remote changes already reported: id -> updated_at (never in the sync state, which records agreement only). */
  private readonly reported = new Map<string, string | undefined>();

  /** Lists the workspace and reports (or, with self-heal, reverts) what changed there. */
  async run(step: WatchStep): Promise<void> {
    const { ctx, options } = step;
    const listed = await ctx.client.listAll();
    const files = [...step.folder.files.values()];
    const fileById = new Map(files.flatMap((f) => (f.id ? [[f.id, f] as const] : [])));
    const folderOf = new Map(files.map((f) => [f.projectId, f.folder]));
    // Dashboards of files outside the run are not the run's: never reported as created there.
    const heldOutside = new Set(step.folder.outside.flatMap((f) => (f.id ? [f.id] : [])));
    const heal: LocalFile[] = [];
    for (const summary of listed) {
      const folder = folderOf.get(summary.projectId);
      if (folder === undefined || heldOutside.has(summary.id)) continue;
      const file = fileById.get(summary.id);
      const entry = ctx.synced[summary.id];
      const seen = this.reported.has(summary.id) && this.reported.get(summary.id) === summary.updatedAt;
      if (!file) {
        const inRun = step.scope.hasUnclaimed(summary, folder, summary.projectId);
        if (inRun && !seen && !remoteUnchangedSince(entry, summary.updatedAt))
          step.tell({ kind: 'remote-created', projectId: summary.projectId, name: summary.name, id: summary.id });
        this.reported.set(summary.id, summary.updatedAt);
        continue;
      }
      if (remoteUnchangedSince(entry, summary.updatedAt) || (seen && !options.selfHeal)) continue;
      const dashboard = await ctx.client.get(summary.projectId, summary.id);
      if (!dashboard) continue;
      if (file.contentHash === contentHash(dashboard)) {
        // Seen equal by content: updated_at comes from the get that showed it, not the earlier list.
        recordSeenEqual(ctx.synced, summary.id, file, dashboard.updatedAt);
        continue;
      }
      if (options.selfHeal) heal.push(file);
      else {
        step.tell({ kind: 'remote-changed', path: file.path, name: dashboard.name, seen: 'check' });
        this.reported.set(summary.id, summary.updatedAt);
      }
    }
    if (heal.length) {
      const loaded = await planFiles(ctx, heal, [], { prune: false, force: true });
      await step.record(await executePlan(ctx, loaded, { force: true }));
    }
    await saveState(ctx.settings.root, ctx.state);
  }
}
