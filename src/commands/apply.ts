import { hasChanges, summarize } from '../core/plan-summary.js';
import type { Plan } from '../core/types.js';
import { resolve } from 'node:path';
import { InterruptedError, UsageError } from '../errors.js';
import { planToJson } from '../report/plan-json.js';
import { flagsForSavedPlan, otherWorkspace, readPlanFile, stalePlanReasons } from './saved-plan.js';
import type { Workspace } from '../report/plan-json.js';
import { saveState } from '../local/state.js';
import { renderPlan } from '../report/plan-text.js';
import { applySummaryLine } from '../report/apply-text.js';
import { showPlan, showResult } from '../report/quiet.js';
import { openRemote, rememberWrittenFiles, workspaceOf } from './context.js';
import type { CommonOptions } from './context.js';
import { checkDeployOptions, deployApps } from './deploy-apps.js';
import { deployPlanLines } from '../report/deploy-text.js';
import type { DeployOptions, DeployOutcome } from './deploy-apps.js';
import { executePlan, summarizeOutcomes } from './execute.js';
import type { ActionOutcome, ExecutionSummary } from './execute.js';
import { loadPlan } from './load-plan.js';

/** Options of `apply`. */
export interface ApplyOptions extends CommonOptions, DeployOptions {
  prune?: boolean;
  /** Apply updates in conflict; allow pruning a project whose folder is empty. */
  force?: boolean;
  /** Skip the confirmation. */
  yes?: boolean;
  /**
   * Asks the user to confirm; resolves true to go ahead. Absent (no terminal) and without `yes`,
   * apply refuses and changes nothing.
   */
  confirm?: (question: string) => Promise<boolean>;
  /** Ctrl-C: stop starting actions, let running ones finish. */
  signal?: AbortSignal;
  /**
   * A plan saved by `plan --out`: apply exactly it (with its options, without asking), or refuse
   * with "stale plan" if the files or the workspace moved since.
   */
  planFile?: string;
}

/** Result of `apply`. */
export interface ApplyResult {
  plan: Plan;
  workspace: Workspace;
  outcomes: ActionOutcome[];
  summary: ExecutionSummary;
  /** False when the user declined. */
  applied: boolean;
  /** Apps bookmarked and published after their saves (with --bookmark, --publish). */
  deployed?: DeployOutcome[];
}

/**
 * Computes the plan, shows it, asks for confirmation and carries it out. Running it again right
 * after a successful run is a no-op.
 */
export async function apply(o: ApplyOptions = {}): Promise<ApplyResult> {
  const saved = o.planFile ? await readPlanFile(resolve(o.cwd ?? process.cwd(), o.planFile)) : undefined;
  if (saved) {
    const cwd = o.cwd ?? process.cwd();
    const flags = flagsForSavedPlan(o.planFile!, saved, o.flags ?? {}, cwd, o.env ?? process.env);
    const options: Partial<ApplyOptions> = saved.options
      ? {
          prune: saved.options.prune,
          force: saved.options.force,
          ...(saved.options.projects.length ? { projects: saved.options.projects } : {}),
        }
      : {};
    // Publishing and bookmarking are part of what was reviewed: the plan's, or none; never added here.
    const publish = saved.options?.publish === true;
    const bookmark = saved.options?.bookmark;
    if (o.force === true && saved.options?.force !== true) {
      throw new UsageError(
        `${o.planFile} was reviewed without --force; apply of a saved plan does exactly what was reviewed: nothing was applied`,
        'make the plan with it: dashsync plan --force --out FILE, review it, and apply that',
      );
    }
    if ((o.publish === true && !publish) || (o.bookmark !== undefined && o.bookmark !== bookmark)) {
      throw new UsageError(
        `${o.planFile} was reviewed ${publish || bookmark !== undefined ? `with${publish ? ' --publish' : ''}${bookmark !== undefined ? ` --bookmark ${JSON.stringify(bookmark)}` : ''}` : 'without --publish or --bookmark'}; apply of a saved plan does exactly that: nothing was applied`,
        'drop the flag, or make the plan with it: dashsync plan --publish --bookmark LABEL --out FILE',
      );
    }
    Object.assign(options, { publish, ...(bookmark !== undefined ? { bookmark } : {}) });
    o = { ...o, ...options, flags, yes: true };
  }
  const ctx = await openRemote(o, 'apply');
  try {
    checkDeployOptions(ctx, o);
    // A saved plan pointed at another workspace is refused before a single request: the token it
    // resolved to must not travel to a server the plan was not made for.
    const elsewhere = saved && otherWorkspace(saved.workspace, workspaceOf(ctx));
    if (elsewhere)
      throw new UsageError(
        `${o.planFile}: ${elsewhere}; nothing was applied`,
        'run apply without the flag or variable that points elsewhere, or make a plan for that workspace with dashsync plan --out',
      );
    const loaded = await loadPlan(ctx, {
      ...(o.projects ? { projects: o.projects } : {}),
      prune: o.prune === true,
      force: o.force === true,
    });
    const { plan } = loaded;
    if (saved) {
      const reasons = stalePlanReasons(saved, planToJson(plan, workspaceOf(ctx), saved.options));
      if (reasons.length) {
        throw new UsageError(
          `stale plan: ${o.planFile} no longer matches the files and the workspace; nothing was applied\n${reasons.map((r) => `  ${r}`).join('\n')}`,
          'run dashsync plan --out again, review it, and apply the new plan',
        );
      }
    }
    showPlan(
      ctx.reporter,
      renderPlan(plan, { dir: ctx.dirShown, style: ctx.reporter.style, prune: o.prune === true }),
      { full: !o.yes && o.confirm !== undefined, extra: deployPlanLines(plan, o, ctx.reporter.style) },
    );
    const workspace = workspaceOf(ctx);
    const empty = { plan, workspace, outcomes: [], summary: summarizeOutcomes([]) };
    // Like Terraform, a plan with errors is not half-applied: nothing changes until they are fixed.
    const errors = summarize(plan).error;
    if (errors > 0) {
      throw new UsageError(
        `the plan has ${errors} ${errors === 1 ? 'error' : 'errors'} (marked x above): nothing was applied`,
        'fix what the plan reports and run apply again',
      );
    }
    if (!hasChanges(plan) && plan.actions.length === 0) {
      await saveState(ctx.settings.root, ctx.state);
      return { ...empty, applied: true };
    }
    if (!o.yes) {
      if (!o.confirm)
        throw new UsageError(
          'apply needs confirmation, and there is no terminal to ask on: nothing was changed',
          'pass --yes to apply without asking',
        );
      const where = `${ctx.url} (scope ${ctx.settings.scope}${ctx.settings.env ? `, environment ${ctx.settings.env}` : ''})`;
      if (!(await o.confirm(`Apply these changes to ${where}? Only 'yes' will be accepted: `))) {
        showResult(ctx.reporter, 'Apply cancelled: nothing was changed.');
        return { ...empty, applied: false };
      }
    }
    const outcomes = await executePlan(ctx, loaded, {
      force: o.force === true,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    // No updated_at is recorded for what was saved: a list taken after the saves may already show a
    // UI edit made meanwhile, which would then pass for synced. The next plan fetches them once.
    await saveState(ctx.settings.root, ctx.state);
    await rememberWrittenFiles(ctx);
    const deployed = await deployApps(ctx, outcomes, o);
    const summary = summarizeOutcomes(outcomes);
    summary.failed += deployed.filter((d) => d.message !== undefined).length;
    const interrupted = o.signal?.aborted === true;
    showResult(
      ctx.reporter,
      `${ctx.reporter.quiet ? '' : '\n'}${ctx.reporter.style.bold(applySummaryLine(summary, { interrupted }))}`,
    );
    if (interrupted)
      throw new InterruptedError(
        `interrupted: ${summary.notStarted} ${summary.notStarted === 1 ? 'action was' : 'actions were'} not started`,
        'run apply again to finish',
      );
    return { plan, workspace, outcomes, summary, applied: true, ...(deployed.length ? { deployed } : {}) };
  } finally {
    await ctx.close();
  }
}
