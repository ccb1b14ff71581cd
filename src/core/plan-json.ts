import { hasChanges, summarize } from './plan.js';
import type { PlanSummary } from './plan.js';
import type { Action, Plan, Workspace } from './types.js';
import { dashboardDiff } from './diff.js';
import { savedPaths, wantsDeploy } from './deploy.js';
import type { DeployOptions } from './deploy.js';

/*
 * The plan as a JSON document: what `plan --json` prints and `plan --out` saves for `apply FILE`
 * (which compares it with the plan made again). Documented in the README; a field is changed here.
 */

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

/** What `plan --json` says of publishing and bookmarking (apps): absent when neither was asked. */
export interface JsonDeploy {
  publish: boolean;
  /** The label each new checkpoint gets. */
  bookmark?: string;
  /** The files of the apps that would be saved, then bookmarked and/or published. */
  paths: string[];
}

/** The plan's publish and bookmark steps as `plan --json` gives them; undefined when none was asked. */
export function deployPlanJson(plan: Plan, o: DeployOptions | undefined): JsonDeploy | undefined {
  if (!o || !wantsDeploy(o)) return undefined;
  return {
    publish: o.publish === true,
    ...(o.bookmark !== undefined ? { bookmark: o.bookmark } : {}),
    paths: savedPaths(plan),
  };
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
