import type { Plan } from '../core/types.js';
import { saveState } from '../local/state.js';
import { resolve } from 'node:path';
import { planToJson, writePlanFile } from '../local/plan-file.js';
import type { Workspace } from '../core/types.js';
import { openRemote, workspaceOf } from './context.js';
import type { CommonOptions } from './context.js';
import { loadPlan } from './load-plan.js';
import { checkDeployOptions, wantsDeploy } from './deploy-apps.js';
import type { DeployOptions } from './deploy-apps.js';

/** Options of `plan`. */
export interface PlanOptions extends CommonOptions, DeployOptions {
  /** Delete remote dashboards that have no file, in the selected project folders. */
  prune?: boolean;
  /** With prune: allow emptying a project whose folder has no files. */
  force?: boolean;
  /** Also write the plan to this file, for `apply FILE`. */
  out?: string;
}

/** Result of `plan`: the plan and the workspace it was made against. */
export interface PlanResult {
  plan: Plan;
  workspace: Workspace;
  /** apps: the publish and bookmark steps it was made with (for the JSON and Markdown forms). */
  deploy?: DeployOptions;
}

/** Shows what `apply` would do, without changing anything in the workspace or the files. */
export async function plan(o: PlanOptions = {}): Promise<PlanResult> {
  const ctx = await openRemote(o);
  try {
    checkDeployOptions(ctx, o);
    const { plan: p, local } = await loadPlan(ctx, {
      ...(o.projects ? { projects: o.projects } : {}),
      prune: o.prune === true,
      force: o.force === true,
    });
    await saveState(ctx.settings.root, ctx.state).catch((e: unknown) =>
      ctx.reporter.debug(`sync state not saved: ${String(e)}`),
    );
    // A folder with no project folders manages nothing: "Remote matches local files" would be false.
    const remoteCount = local.folders.length === 0 ? (await ctx.client.listAll()).length : 0;
    ctx.reporter.show({
      type: 'plan',
      plan: p,
      dir: ctx.dirShown,
      prune: o.prune === true,
      deploy: o,
      confirming: false,
      ...(remoteCount > 0 ? { unmanagedRemote: { count: remoteCount, scope: ctx.settings.scope } } : {}),
    });
    const workspace = workspaceOf(ctx);
    if (o.out) {
      await writePlanFile(
        resolve(ctx.cwd, o.out),
        planToJson(p, workspace, {
          prune: o.prune === true,
          force: o.force === true,
          projects: o.projects ?? [],
          ...(o.publish ? { publish: true } : {}),
          ...(o.bookmark !== undefined ? { bookmark: o.bookmark } : {}),
        }),
      );
      ctx.reporter.show({ type: 'plan-saved', file: o.out });
    }
    return {
      plan: p,
      workspace,
      ...(wantsDeploy(o)
        ? {
            deploy: {
              ...(o.publish ? { publish: true } : {}),
              ...(o.bookmark !== undefined ? { bookmark: o.bookmark } : {}),
            },
          }
        : {}),
    };
  } finally {
    await ctx.close();
  }
}
