import { resolve } from 'node:path';
import { upsertComment } from '../ci/comments.js';
import { commentTarget, targetWords } from '../ci/target.js';
import type { CommentOptions } from '../contract/options.js';
import type { CommentResult } from '../contract/comment.js';
import type { PlanResult } from '../contract/results.js';
import { deployStepsOf, wantsDeploy } from '../core/deploy.js';
import { sizeIn } from '../ci/limits.js';
import { UsageError } from '../errors.js';
import { planToJson, readPlanFile } from '../local/plan-file.js';
import { saveState } from '../local/state.js';
import { loadPlan } from './load-plan.js';
import { openRemote, workspaceOf } from './open-run.js';
import type { RemoteContext } from './open-run.js';
import {
  elsewhereError,
  otherWorkspace,
  savedPlanOptions,
  savedPlanSelection,
  stalePlanReasons,
} from './saved-plan.js';
import { selectionOf } from './selection.js';

/**
 * Posts the plan as one comment on the pull request (GitHub) or merge request (GitLab) this CI run
 * is about, and on the next run updates that same comment: it is found by a hidden marker naming the
 * environment and the folder, so two environments keep two comments. Outside a pull request it
 * posts nothing. With a saved plan, the plan is made again with its options and workspace and
 * refused when stale, so the comment shows exactly what `apply FILE` would do.
 */
export async function comment(given: CommentOptions): Promise<CommentResult> {
  const env = given.env ?? process.env;
  const reporter = given.reporter;
  // Where it goes is known before the workspace is asked anything: a run with nowhere to post stops here.
  const target = commentTarget(given.target ?? {}, env);
  if ('none' in target) {
    const skipped = { outcome: 'none' as const, reason: target.none };
    reporter?.show({ type: 'commented', comment: skipped });
    return { comment: skipped };
  }
  const saved = given.planFile ? await readPlanFile(resolve(given.cwd ?? process.cwd(), given.planFile)) : undefined;
  const options: CommentOptions = saved ? { ...given, ...savedPlanOptions(given.planFile!, saved, given) } : given;
  const ctx = await openRemote(options);
  try {
    ctx.flavour.checkSteps(options);
    const workspace = workspaceOf(ctx);
    const elsewhere = saved && otherWorkspace(saved.workspace, workspace);
    if (elsewhere) throw elsewhereError(options.planFile!, elsewhere);
    // A saved plan is posted for the selection it was made with; one asked for here must be the same.
    const selection = saved
      ? savedPlanSelection(options.planFile!, saved, ctx, given)
      : selectionOf(ctx, options, { mustExist: true });
    const { plan } = await loadPlan(ctx, {
      selection,
      prune: options.prune === true,
      force: options.force === true,
      signal: options.signal,
    });
    await saveState(ctx.settings.root, ctx.state).catch((e: unknown) =>
      ctx.reporter.debug(`sync state not saved: ${String(e)}`),
    );
    if (saved) {
      const reasons = stalePlanReasons(saved, planToJson(plan, workspace, saved.options));
      if (reasons.length)
        throw new UsageError(
          `stale plan: ${options.planFile} no longer matches the files and the workspace; nothing was posted\n` +
            reasons.map((reason) => `  ${reason}`).join('\n'),
          'run dashsync plan --out again, then comment with the new plan',
        );
    }
    const result: PlanResult = { plan, workspace, ...(wantsDeploy(options) ? { deploy: deployStepsOf(options) } : {}) };
    const marker = markerOf(ctx, selection.projects);
    // The marker goes first, on a line of its own: the text is cut to leave room for it.
    const limit = { ...target.limit, reserved: sizeIn(target.limit, marker) + 1 };
    const markdown = options.render(result, { limit, ...(target.whole ? { whole: target.whole } : {}) });
    const posted = await upsertComment(target, marker, `${marker}\n${markdown.text}`, (line) =>
      ctx.reporter.debug(line),
    );
    const outcome = { ...posted, platform: target.platform, where: targetWords(target), cut: markdown.cut };
    ctx.reporter.show({ type: 'commented', comment: outcome });
    return { comment: outcome, plan: result };
  } finally {
    await ctx.close();
  }
}

/**
 * The hidden line that finds the comment again: the environment (or `default`), the dashboards
 * folder and the projects chosen, so that each of them keeps a comment of its own.
 */
export function markerOf(ctx: RemoteContext, projects: string[] | undefined): string {
  const parts = [
    `environment ${ctx.settings.env ?? 'default'}`,
    `folder ${ctx.dirShown}`,
    ...(projects?.length ? [`projects ${[...projects].sort().join(',')}`] : []),
  ];
  // Nothing in it may end the HTML comment early.
  return `<!-- dashsync plan: ${parts.join('; ').replace(/--|>/g, '_')} -->`;
}
