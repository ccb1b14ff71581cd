import { isConflict } from './conflicts.js';
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
    unchanged: plan.unchanged,
    unmanaged: plan.unmanaged.length,
  };
  for (const action of plan.actions) {
    // A conflict that apply will skip is counted as a conflict, not as work apply will do.
    if (isConflict(action)) {
      summary.conflict++;
      if (!plan.force) continue;
    }
    summary[action.kind]++;
  }
  return summary;
}

/** True when applying the plan would change anything, remotely or in the files. */
export function hasChanges(plan: Plan): boolean {
  return (
    plan.actions.some((action) => action.kind !== 'error' && (plan.force || !isConflict(action))) ||
    pendingPublishes(plan).length > 0
  );
}

/** Conflicts that apply will skip (no --force): each fails the run, since that change is not deployed. */
export function skippedConflicts(plan: Plan): number {
  return plan.force ? 0 : plan.actions.filter(isConflict).length;
}
