import type { Plan } from '../core/types.js';
import { saveState } from '../local/state.js';
import { renderPlan } from '../report/plan-text.js';
import { openRemote } from './context.js';
import type { CommonOptions } from './context.js';
import { loadPlan } from './load-plan.js';

/** Options of `plan`. */
export interface PlanOptions extends CommonOptions {
  /** Delete remote dashboards that have no file, in the selected project folders. */
  prune?: boolean;
  /** With prune: allow emptying a project whose folder has no files. */
  force?: boolean;
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
    const { plan: p } = await loadPlan(ctx, { ...(o.projects ? { projects: o.projects } : {}), prune: o.prune === true, force: o.force === true });
    await saveState(ctx.settings.root, ctx.state).catch((e: unknown) => ctx.reporter.debug(`sync state not saved: ${String(e)}`));
    ctx.reporter.info(renderPlan(p, { dir: ctx.dirShown, style: ctx.reporter.style, prune: o.prune === true }));
    return { plan: p, workspace: { url: ctx.url, scope: ctx.settings.scope, ...(ctx.settings.env ? { env: ctx.settings.env } : {}) } };
  } finally {
    await ctx.close();
  }
}
