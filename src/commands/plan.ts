import type { Plan } from '../core/types.js';
import { saveState } from '../local/state.js';
import { resolve } from 'node:path';
import { planToJson, writePlanFile } from '../local/plan-file.js';
import type { Workspace } from '../core/types.js';
import { openRemote, workspaceOf } from './open-run.js';
import type { CommonOptions } from './open-run.js';
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
export async function plan(options: PlanOptions = {}): Promise<PlanResult> {
  const ctx = await openRemote(options);
  try {
    checkDeployOptions(ctx, options);
    const { plan: planned, local } = await loadPlan(ctx, {
      ...(options.projects ? { projects: options.projects } : {}),
      prune: options.prune === true,
      force: options.force === true,
    });
    await saveState(ctx.settings.root, ctx.state).catch((e: unknown) =>
      ctx.reporter.debug(`sync state not saved: ${String(e)}`),
    );
    // A folder with no project folders manages nothing: "Remote matches local files" would be false.
    const remoteCount = local.folders.length === 0 ? (await ctx.client.listAll()).length : 0;
    ctx.reporter.show({
      type: 'plan',
      plan: planned,
      dir: ctx.dirShown,
      prune: options.prune === true,
      deploy: options,
      confirming: false,
      ...(remoteCount > 0 ? { unmanagedRemote: { count: remoteCount, scope: ctx.settings.scope } } : {}),
    });
    const workspace = workspaceOf(ctx);
    if (options.out) {
      await writePlanFile(
        resolve(ctx.cwd, options.out),
        planToJson(planned, workspace, {
          prune: options.prune === true,
          force: options.force === true,
          projects: options.projects ?? [],
          ...deployStepsOf(options),
        }),
      );
      ctx.reporter.show({ type: 'plan-saved', file: options.out });
    }
    return { plan: planned, workspace, ...(wantsDeploy(options) ? { deploy: deployStepsOf(options) } : {}) };
  } finally {
    await ctx.close();
  }
}

/** The publish and bookmark steps asked for, with only the keys that are set (they end up in JSON). */
function deployStepsOf(deploy: DeployOptions): DeployOptions {
  return {
    ...(deploy.publish ? { publish: true } : {}),
    ...(deploy.bookmark !== undefined ? { bookmark: deploy.bookmark } : {}),
  };
}
