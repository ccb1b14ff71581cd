import { DEFAULT_DRIFT, driftOf, driftedActions } from '../core/drift.js';
import type { Action, DriftPolicy, Plan } from '../core/types.js';
import { dashboardDiff } from './yaml-diff.js';

/** One drifted dashboard in `plan --json`. */
export interface JsonDrift {
  path: string;
  project: string;
  projectId: string;
  /** The dashboard's id (absent for one deleted in the workspace). */
  id?: string;
  name: string;
  change: 'changed' | 'deleted';
  /** changed: unified diff of the YAML, file -> workspace (what changed there). */
  diff?: string;
}

/**
 * The `drift` field of `plan --json`: the dashboards changed (or deleted) in the workspace since the
 * last sync while their files were not, and the policy the plan was made with. Under revert they are
 * also in `actions` (apply reverts them); under keep and fail they are not (apply leaves them; under
 * fail, refuses).
 */
export interface JsonDriftSection {
  policy: DriftPolicy;
  dashboards: JsonDrift[];
}

/** The `drift` field of `plan --json` for a plan. */
export function driftSectionJson(plan: Plan): JsonDriftSection {
  return { policy: plan.drift ?? DEFAULT_DRIFT, dashboards: driftedActions(plan).map(driftJson) };
}

// A drifted dashboard as `plan --json` lists it.
function driftJson(action: Action): JsonDrift {
  const where = { project: action.folder, projectId: action.projectId, name: action.name };
  const path = 'path' in action ? action.path : '';
  if (action.kind === 'update')
    return { path, ...where, id: action.id, change: 'changed', diff: dashboardDiff(action.local, action.remote) };
  return { path, ...where, change: driftOf(action) ?? 'deleted' };
}
