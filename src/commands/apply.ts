import { resolve } from 'node:path';
import type { ApplyOptions } from '../contract/options.js';
import type { ApplyResult } from '../contract/results.js';
import { pendingPublishes } from '../core/deploy.js';
import { summarize } from '../core/plan-summary.js';
import { InterruptedError, UsageError } from '../errors.js';
import { planToJson, readPlanFile } from '../local/plan-file.js';
import { saveState } from '../local/state.js';
import { readAtRef } from './at-ref.js';
import { confirmed, willAsk } from './confirm.js';
import { executePlan, summarizeOutcomes } from './execute.js';
import { loadPlan } from './load-plan.js';
import { openRemote, workspaceOf } from './open-run.js';
import {
  elsewhereError,
  otherWorkspace,
  savedPlanOptions,
  savedPlanSelection,
  stalePlanReasons,
} from './saved-plan.js';
import { learnPublishing } from './publish-state.js';
import { stalePublishingReasons } from './saved-publishing.js';
import { selectionOf } from './selection.js';
import { driftPolicy } from '../core/drift.js';
import { refuseDrift } from './drift-stop.js';
import { rememberWrittenFiles } from './write-backs.js';
import { writePendingIds } from './read-local.js';

/**
 * Computes the plan, shows it, asks for confirmation and carries it out. Running it again right
 * after a successful run is a no-op.
 */
export async function apply(given: ApplyOptions = {}): Promise<ApplyResult> {
  const saved = given.planFile ? await readPlanFile(resolve(given.cwd ?? process.cwd(), given.planFile)) : undefined;
  // A saved plan runs with the options it was reviewed with, and without asking again.
  const options: ApplyOptions = saved
    ? { ...given, ...savedPlanOptions(given.planFile!, saved, given), yes: true }
    : given;
  if (saved && options.ref !== undefined)
    throw new UsageError('apply --ref does not take a saved plan: a saved plan is applied as it was reviewed');
  const ctx = await openRemote(options, 'apply');
  let removeCopy: (() => Promise<void>) | undefined;
  try {
    ctx.flavour.checkSteps(options);
    if (options.ref !== undefined) removeCopy = await readAtRef(ctx, options.ref);
    // apply writes files: the ids watch kept aside go into theirs first.
    await writePendingIds(ctx);
    const workspace = workspaceOf(ctx);
    // A saved plan pointed at another workspace is refused before a single request: the token it
    // resolved to must not travel to a server the plan was not made for.
    const elsewhere = saved && otherWorkspace(saved.workspace, workspace);
    if (elsewhere) throw elsewhereError(options.planFile!, elsewhere);
    // A saved plan runs with the selection it was made with; one asked for here must be the same.
    const selection = saved
      ? savedPlanSelection(options.planFile!, saved, ctx, given)
      : selectionOf(ctx, options, { mustExist: true });
    const loaded = await loadPlan(ctx, {
      selection,
      prune: options.prune === true,
      force: options.force === true,
      drift: driftPolicy(options.drift, ctx.settings.drift, 'apply'),
      adopt: options.adopt === true,
      signal: options.signal,
    });
    // apps: what the viewers of the apps to publish see (a versions call each, only where asked).
    await learnPublishing(ctx, loaded, options, options.signal);
    const { plan } = loaded;
    // Drift under --drift fail is refused before anything else, a saved plan's too: its words say
    // how to bring the change into git, which "stale plan" would not.
    if (saved) refuseDrift(plan, 'apply');
    if (saved) {
      const now = planToJson(plan, workspace, saved.options);
      const reasons = [...stalePlanReasons(saved, now), ...stalePublishingReasons(saved, now)];
      if (reasons.length) {
        throw new UsageError(
          `stale plan: ${options.planFile} no longer matches the files and the workspace; nothing was applied\n` +
            reasons.map((reason) => `  ${reason}`).join('\n'),
          'run dashsync plan --out again, review it, and apply the new plan',
        );
      }
    }
    const confirming = willAsk(options);
    ctx.reporter.show({
      type: 'plan',
      plan,
      dir: ctx.dirShown,
      prune: options.prune === true,
      deploy: options,
      confirming,
    });
    refuseDrift(plan, 'apply');
    const empty = { plan, workspace, outcomes: [], summary: summarizeOutcomes([]) };
    // Like Terraform, a plan with errors is not half-applied: nothing changes until they are fixed.
    const errors = summarize(plan).error;
    if (errors > 0) {
      throw new UsageError(
        `the plan has ${errors} ${errors === 1 ? 'error' : 'errors'} (marked x above): nothing was applied`,
        'fix what the plan reports and run apply again',
      );
    }
    const pending = pendingPublishes(plan);
    if (plan.actions.length === 0 && pending.length === 0) {
      await saveState(ctx.settings.root, ctx.state);
      return { ...empty, applied: true, ...(ctx.snapshot ? { ref: ctx.snapshot } : {}) };
    }
    const request = { run: 'apply' as const, url: ctx.url, scope: ctx.settings.scope, ...envOf(ctx.settings) };
    if (!(await confirmed(request, { ...options, reporter: ctx.reporter }))) return { ...empty, applied: false };
    const outcomes = await executePlan(ctx, loaded, {
      force: options.force === true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // No updated_at is recorded for what was saved: a list taken after the saves may already show a
    // UI edit made meanwhile, which would then pass for synced. The next plan fetches them once.
    // A state that cannot be saved (a full disk) fails the run, but only once what was done is told.
    const stateError = await saveState(ctx.settings.root, ctx.state).then(
      () => undefined,
      (e: unknown) => e,
    );
    await rememberWrittenFiles(ctx);
    // What follows the saves (apps: publish and bookmark, as the files and the flags ask).
    const afterSaves = await ctx.flavour.afterSaves(ctx, outcomes, options);
    // Then the apps this run did not save whose viewers are behind their drafts (a publish that
    // failed after an earlier save, an app never published): so a re-run completes a publish.
    const published = await ctx.flavour.publishApps(
      { ...ctx, concurrency: ctx.settings.concurrency, signal: options.signal },
      pending,
      'publish',
    );
    const deployed = [...afterSaves, ...published];
    const summary = summarizeOutcomes(outcomes);
    summary.failed += deployed.filter((deploy) => deploy.message !== undefined).length;
    summary.notStarted += published.filter((deploy) => deploy.notStarted).length;
    const publishedNow = published.filter((deploy) => deploy.published).length;
    if (publishedNow) summary.published = publishedNow;
    const interrupted = options.signal?.aborted === true;
    ctx.reporter.show({ type: 'executed', run: 'apply', summary, interrupted });
    if (interrupted)
      throw new InterruptedError(
        `interrupted: ${summary.notStarted} ${summary.notStarted === 1 ? 'action was' : 'actions were'} not started`,
        'run apply again to finish',
      );
    if (stateError) throw stateError;
    return {
      plan,
      workspace,
      outcomes,
      summary,
      applied: true,
      ...(deployed.length ? { deployed } : {}),
      ...(ctx.snapshot ? { ref: ctx.snapshot } : {}),
    };
  } finally {
    await removeCopy?.();
    await ctx.close();
  }
}

/** The environment a run goes through, where it names one. */
function envOf(settings: { env?: string | undefined }): { env?: string } {
  return settings.env ? { env: settings.env } : {};
}
