import { carriedOut, holdOf } from './conflicts.js';
import { driftedActions } from './drift.js';
import { pendingPublishes } from './deploy.js';
import type { Plan } from './types.js';

/** Counts of a plan's actions, as the summary line and the JSON output show them. */
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  link: number;
  error: number;
  conflict: number;
  /** Changed on both sides in different places: the workspace's changes to merge into the file first. */
  merge: number;
  /** Changed in the workspace alone, whatever the drift policy does with it. */
  drift: number;
  unchanged: number;
  unmanaged: number;
}

/** Counts the actions of a plan. */
export function summarize(plan: Plan): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    delete: 0,
    link: 0,
    error: 0,
    conflict: 0,
    merge: 0,
    drift: driftedActions(plan).length,
    unchanged: plan.unchanged,
    unmanaged: plan.unmanaged.length,
  };
  for (const action of plan.actions) {
    // An action apply will skip is counted as a conflict (or a merge), not as work apply will do.
    const hold = holdOf(action);
    if (hold === 'merge') summary.merge++;
    else if (hold) summary.conflict++;
    if (!carriedOut(action, plan.force === true)) continue;
    summary[action.kind]++;
  }
  return summary;
}

/** True when applying the plan would change anything, remotely or in the files. */
export function hasChanges(plan: Plan): boolean {
  return (
    plan.actions.some((action) => action.kind !== 'error' && carriedOut(action, plan.force === true)) ||
    pendingPublishes(plan).length > 0
  );
}

/** Actions that apply will skip (conflicts and merges without --force): each fails the run, since that change is not deployed. */
export function skippedConflicts(plan: Plan): number {
  return plan.actions.filter((action) => !carriedOut(action, plan.force === true)).length;
}
