import type { Plan } from '../core/types.js';
import { saveState } from '../local/state.js';
import { resolve } from 'node:path';
import { planToJson } from '../report/plan-json.js';
import { renderPlan } from '../report/plan-text.js';
import { writePlanFile } from './saved-plan.js';
import { openRemote } from './context.js';
import type { CommonOptions } from './context.js';
import { loadPlan } from './load-plan.js';
import { checkDeployOptions } from './deploy-apps.js';
import { deployPlanLines } from '../report/deploy-text.js';
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
  workspace: { url: string; scope: string; env?: string };
}

/** Shows what `apply` would do, without changing anything in the workspace or the files. */
export async function plan(o: PlanOptions = {}): Promise<PlanResult> {
  const ctx = await openRemote(o);
  try {
    checkDeployOptions(ctx, o);
    const { plan: p } = await loadPlan(ctx, { ...(o.projects ? { projects: o.projects } : {}), prune: o.prune === true, force: o.force === true });
    await saveState(ctx.settings.root, ctx.state).catch((e: unknown) => ctx.reporter.debug(`sync state not saved: ${String(e)}`));
    ctx.reporter.info(renderPlan(p, { dir: ctx.dirShown, style: ctx.reporter.style, prune: o.prune === true }) + deployPlanLines(p, o, ctx.reporter.style));
    const workspace = { url: ctx.url, scope: ctx.settings.scope, ...(ctx.settings.env ? { env: ctx.settings.env } : {}) };
    if (o.out) {
      await writePlanFile(resolve(ctx.cwd, o.out), planToJson(p, workspace, { prune: o.prune === true, force: o.force === true, projects: o.projects ?? [] }));
      ctx.reporter.info(`\nPlan saved to ${o.out}. To carry out exactly these actions: dashsync apply ${o.out}`);
    }
    return { plan: p, workspace };
  } finally {
    await ctx.close();
  }
}
