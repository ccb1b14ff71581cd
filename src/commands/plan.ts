import { resolve } from 'node:path';
import type { PlanOptions } from '../contract/options.js';
import type { PlanResult } from '../contract/results.js';
import { deployStepsOf, wantsDeploy } from '../core/deploy.js';
import { conflictOf } from '../core/conflicts.js';
import { driftPolicy } from '../core/drift.js';
import { skippedConflicts, summarize } from '../core/plan-summary.js';
import { planToJson, writePlanFile } from '../local/plan-file.js';
import { saveState } from '../local/state.js';
import { UsageError } from '../errors.js';
import { readAtRef } from './at-ref.js';
import { loadPlan } from './load-plan.js';
import { openRemote, workspaceOf } from './open-run.js';
import { learnPublishing } from './publish-state.js';
import { selectionOf } from './selection.js';
import { refuseDrift } from './drift-stop.js';

/** Shows what `apply` would do, without changing anything in the workspace or the files. */
export async function plan(options: PlanOptions = {}): Promise<PlanResult> {
  if (options.ref !== undefined && options.out !== undefined)
    throw new UsageError(
      'plan --ref cannot be saved with --out: apply takes a saved plan only for the working tree',
      'review plan --ref, then run apply --ref with the same ref',
    );
  const ctx = await openRemote(options);
  let removeCopy: (() => Promise<void>) | undefined;
  try {
    ctx.flavour.checkSteps(options);
    if (options.ref !== undefined) removeCopy = await readAtRef(ctx, options.ref);
    const selection = selectionOf(ctx, options, { mustExist: true });
    const drift = driftPolicy(options.drift, ctx.settings.drift, 'plan');
    const adopt = options.adopt === true;
    const loaded = await loadPlan(ctx, {
      selection,
      prune: options.prune === true,
      force: options.force === true,
      drift,
      adopt,
      signal: options.signal,
    });
    // apps: what the viewers of the apps to publish see (a versions call each, only where asked).
    await learnPublishing(ctx, loaded, options, options.signal);
    const { plan: planned, local } = loaded;
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
    // Shown whole first, then refused: every drifted dashboard named, and how to bring it into git.
    refuseDrift(planned, 'plan');
    const workspace = workspaceOf(ctx);
    if (options.out) {
      await writePlanFile(
        resolve(ctx.cwd, options.out),
        planToJson(
          planned,
          workspace,
          {
            prune: options.prune === true,
            force: options.force === true,
            ...selection,
            ...deployStepsOf(options),
            drift,
            ...(adopt ? { adopt } : {}),
          },
          // The steps after the saves, as plan --json says them: the flags' and the files' own.
          deployStepsOf(options),
        ),
      );
      const errors = summarize(planned).error;
      const conflicts = skippedConflicts(planned);
      const namesakes = planned.actions.filter((action) => conflictOf(action) === 'same-name').length;
      ctx.reporter.show({ type: 'plan-saved', file: options.out, errors, conflicts, namesakes });
    }
    return { plan: planned, workspace, ...(wantsDeploy(options) ? { deploy: deployStepsOf(options) } : {}) };
  } finally {
    await removeCopy?.();
    await ctx.close();
  }
}
