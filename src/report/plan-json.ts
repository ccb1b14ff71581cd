import { hasChanges, summarize } from '../core/plan-summary.js';
import type { PlanSummary } from '../core/plan-summary.js';
import type { Action, Plan } from '../core/types.js';
import { dashboardDiff } from './diff.js';
import { deployPlanJson } from './deploy-text.js';
import type { JsonDeploy } from './deploy-text.js';
import type { DeployOptions } from '../commands/deploy-apps.js';

/** One action in `plan --json`. Fields absent where they do not apply. */
export interface JsonAction {
  action: Action['kind'];
  path?: string;
  project: string;
  projectId: string;
  id?: string;
  name: string;
  /** update: local-edit, drift, conflict or unknown (no sync state); create: deleted-remotely or conflict; delete: conflict. */
  reason?: string;
  /** update: the file has no id yet and adopts this dashboard. */
  adopt?: boolean;
  /** create: the file's id, which the workspace does not have. */
  recreateId?: string;
  /** update: unified diff of the YAML, workspace -> file. */
  diff?: string;
  /** error: what is wrong. */
  message?: string;
  /** create, update, link: hash of the file's (rendered) content; lets a saved plan notice edits. */
  localHash?: string;
  /** update: hash of the workspace's content; delete: its updated_at. Lets a saved plan notice changes. */
  remoteHash?: string;
}

/** Which workspace a plan is for: where, in which scope and API, and through which environment. */
export interface Workspace {
  url: string;
  scope: string;
  /** dashboards or apps; absent in plans saved by dashsync before 0.2, which only knew dashboards. */
  api?: string;
  env?: string;
}

/** `plan --json` output; documented in the README, stable within format version 1. */
export interface JsonPlan {
  format: 'dashsync-plan/1';
  /** The workspace the plan was made for; `apply PLANFILE` runs against it and no other. Never a token. */
  workspace: Workspace;
  /** The options the plan was made with; `apply PLANFILE` uses them again. */
  options?: { prune: boolean; force: boolean; projects: string[]; publish?: boolean; bookmark?: string };
  changes: boolean;
  summary: PlanSummary;
  actions: JsonAction[];
  unmanaged: Array<{ project: string; projectId: string; id: string; name: string }>;
  /** apps: what apply does after the saves, when the plan was made with --publish or --bookmark. */
  deploy?: JsonDeploy;
}

/** Converts a plan to its JSON form. */
export function planToJson(
  plan: Plan,
  workspace: Workspace,
  options?: JsonPlan['options'],
  deploy?: DeployOptions,
): JsonPlan {
  const steps = deployPlanJson(plan, deploy);
  return {
    format: 'dashsync-plan/1',
    workspace,
    ...(options ? { options } : {}),
    changes: hasChanges(plan),
    summary: summarize(plan),
    actions: plan.actions.map((a): JsonAction => {
      const base = { action: a.kind, project: a.folder, projectId: a.projectId, name: a.name };
      switch (a.kind) {
        case 'create':
          return {
            ...base,
            path: a.path,
            ...(a.recreateId ? { recreateId: a.recreateId } : {}),
            ...(a.deletedRemotely
              ? { reason: a.deletedRemotely === 'conflict' ? 'conflict' : 'deleted-remotely' }
              : {}),
            localHash: a.localHash,
          };
        case 'update':
          return {
            ...base,
            path: a.path,
            id: a.id,
            reason: a.reason,
            adopt: a.adopt,
            diff: dashboardDiff(a.remote, a.local),
            localHash: a.localHash,
            remoteHash: a.remoteHash,
          };
        case 'link':
          return { ...base, path: a.path, id: a.id, localHash: a.hash };
        case 'delete':
          return {
            ...base,
            id: a.id,
            ...(a.conflict ? { reason: 'conflict' } : {}),
            ...(a.updatedAt ? { remoteHash: a.updatedAt } : {}),
          };
        case 'error':
          return { ...base, path: a.path, message: a.message };
      }
    }),
    unmanaged: plan.unmanaged.map((u) => ({ project: u.folder, projectId: u.projectId, id: u.id, name: u.name })),
    ...(steps ? { deploy: steps } : {}),
  };
}
