import type { PublishOptions } from '../contract/options.js';
import type { HeldApp, PublishResult, PublishSummary } from '../contract/results.js';
import { publishStepNeeded } from '../core/deploy.js';
import { InterruptedError, UsageError } from '../errors.js';
import { saveState } from '../local/state.js';
import { confirmed, willAsk } from './confirm.js';
import { loadPlan } from './load-plan.js';
import type { LoadedPlan } from './load-plan.js';
import { openRemote, workspaceOf } from './open-run.js';
import { unsavedApps, withPublishStatus } from './publish-state.js';
import type { HeldByFile } from './publish-state.js';
import { selectionOf } from './selection.js';

/*
 * `dashsync publish [paths]` and `dashsync unpublish [paths]` (apps): what the viewers of the
 * selected apps see, shown like a plan, confirmed as apply is, then one publish (or unpublish) call
 * per app that needs it. Publishing sends the draft the workspace holds, so only an app whose file
 * equals it is published: one with changes not applied is skipped (apply --publish saves and
 * publishes it), and a file's `publish: false` keeps its app a draft.
 */

/** Publishes (or unpublishes) the selected apps whose viewers do not see what was asked. */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { run } = options;
  const ctx = await openRemote(options, run);
  try {
    try {
      ctx.flavour.checkSteps({ publish: true });
    } catch {
      throw new UsageError(
        `dashsync ${run} needs the /apps API: the dashboards API has no publishing`,
        'set api: apps in dashsync.yaml',
      );
    }
    const selection = selectionOf(ctx, options, { mustExist: true });
    const loaded = await loadPlan(ctx, { selection, prune: false, force: false, signal: options.signal });
    const { candidates, held } = sortApps(loaded, run);
    const apps = await withPublishStatus(ctx, candidates, options.signal);
    await saveState(ctx.settings.root, ctx.state).catch((e: unknown) =>
      ctx.reporter.debug(`sync state not saved: ${String(e)}`),
    );
    const targets = apps.filter((app) => publishStepNeeded(run, app.status));
    const summary: PublishSummary = {
      done: 0,
      current: apps.length - targets.length,
      skipped: held.filter((app) => app.skipped).length,
      failed: 0,
      notStarted: 0,
    };
    const workspace = workspaceOf(ctx);
    const confirming = targets.length > 0 && willAsk(options);
    ctx.reporter.show({ type: 'publish-plan', run, apps, held, confirming });
    const result = { run, workspace, apps, held, outcomes: [], summary };
    if (targets.length === 0) return { ...result, applied: true };
    const request = {
      run,
      url: ctx.url,
      scope: ctx.settings.scope,
      ...(ctx.settings.env ? { env: ctx.settings.env } : {}),
    };
    if (!(await confirmed(request, { ...options, reporter: ctx.reporter }))) return { ...result, applied: false };
    const outcomes = await ctx.flavour.publishApps(
      { ...ctx, concurrency: ctx.settings.concurrency, signal: options.signal },
      targets,
      run,
    );
    summary.done = outcomes.filter((outcome) => outcome.published || outcome.unpublished).length;
    summary.failed = outcomes.filter((outcome) => outcome.message !== undefined).length;
    summary.notStarted = outcomes.filter((outcome) => outcome.notStarted).length;
    const interrupted = options.signal?.aborted === true;
    ctx.reporter.show({ type: 'publish-done', run, summary, interrupted });
    if (interrupted)
      throw new InterruptedError(
        `interrupted: ${summary.notStarted} ${summary.notStarted === 1 ? 'app was' : 'apps were'} not ${run}ed`,
        `run dashsync ${run} again to finish`,
      );
    return { ...result, outcomes, applied: true };
  } finally {
    await ctx.close();
  }
}

/**
 * The apps a run acts on, once their state is known, and those it leaves alone with why. Publish
 * takes only an app whose file equals its draft; unpublish, any app the workspace has.
 */
function sortApps(loaded: LoadedPlan, run: PublishOptions['run']): { candidates: HeldByFile[]; held: HeldApp[] } {
  const { apps, others } = unsavedApps(loaded);
  const held: HeldApp[] = [];
  const candidates: HeldByFile[] = [];
  for (const app of apps) {
    if (run === 'publish' && app.file.deploy?.publish === false)
      held.push({ path: app.path, why: 'its file says publish: false: it stays a draft', skipped: false });
    else candidates.push(app);
  }
  for (const { file, kind, id } of others) {
    const where = { path: file.path, projectId: file.projectId, folder: file.folder, name: file.name, file };
    if (run === 'unpublish' && id !== undefined) candidates.push({ ...where, id });
    else held.push({ path: file.path, ...heldWhy(run, kind) });
  }
  return { candidates, held };
}

// Why a file's app is left alone, and whether that fails the run.
function heldWhy(run: PublishOptions['run'], kind: string): Omit<HeldApp, 'path'> {
  if (kind === 'create')
    return run === 'publish'
      ? { why: 'not in the workspace yet: dashsync apply --publish creates and publishes it', skipped: true }
      : { why: 'not in the workspace yet: nothing to unpublish', skipped: false };
  if (kind === 'update')
    return {
      why: 'the file differs from the workspace: dashsync apply --publish saves and publishes it',
      skipped: true,
    };
  return {
    why: `the plan has ${kind === 'error' ? 'an error' : 'a change'} for it: dashsync plan shows it`,
    skipped: true,
  };
}
