import { dirname } from 'node:path';
import { hasChanges, summarize } from '../core/plan-summary.js';
import type { PlanSummary } from '../core/plan-summary.js';
import { actionChanges } from '../core/changes/index.js';
import type { Change } from '../core/changes/index.js';
import type { Action, DriftPolicy, Json, PathValues, Plan, PublishStatus, Workspace } from '../core/types.js';
import { driftSectionJson } from './drift-json.js';
import type { JsonDriftSection } from './drift-json.js';
import { plannedDeploys, viewersBehind, wantsDeploy } from '../core/deploy.js';
import type { DeployOptions } from '../core/deploy.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from './fsutil.js';
import { MAX_STATE_BYTES, NotReadable, readRegularFile } from './regular-file.js';
import { updateDiff } from './yaml-diff.js';

/*
 * The plan as a JSON document: what `plan --json` prints and the file `plan --out` saves for
 * `apply FILE` (which compares it with the plan made again). Documented in the README; a field is
 * changed here. The file never holds a token.
 */
const MAKE_PLAN = 'make one with dashsync plan --out FILE';

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
  /**
   * update with adopt: the run was asked to adopt it (`--adopt`); without it, an adoption replacing
   * another dashboard's content is a conflict apply skips.
   */
  adoptAsked?: boolean;
  /** update with adopt: the dashboard whose content the adoption replaces, and when it was last changed. */
  replaces?: { id: string; updatedAt?: string };
  /**
   * update changed on both sides since the last sync, where the sync state kept the base: the places
   * only the file changed (`yours`), only the workspace (`theirs`), both alike (`both`), and the
   * conflicts, each with the value base, yours and theirs hold there.
   */
  threeWay?: { yours: string[]; theirs: string[]; both: string[]; conflicts: PathValues[] };
  /** create: the file's id, which the workspace does not have. */
  recreateId?: string;
  /**
   * update: what a person would say changed (workspace -> file); create: what the new dashboard or
   * app holds, each part as added. Above the diff in every rendering.
   */
  changes?: JsonChange[];
  /** update: unified diff of the YAML, workspace -> file, on the file's own lines where it was read. */
  diff?: string;
  /** error: what is wrong. */
  message?: string;
  /** create, update, link: hash of the file's (rendered) content; lets a saved plan notice edits. */
  localHash?: string;
  /** update: hash of the workspace's content; delete: its updated_at. Lets a saved plan notice changes. */
  remoteHash?: string;
  /**
   * apps, create, update, link: the file's own `publish:` key, which decides for this app instead of
   * --publish (absent: the plan's options decide). A saved plan is stale when it changed.
   */
  publish?: boolean;
  /** apps: the file's own `bookmark:` label, which replaces --bookmark's for this app. */
  bookmark?: string;
}

/** One change of `plan --json`: its kind and element, where it is, the field and values, and its sentence. */
export interface JsonChange {
  kind: Change['kind'];
  what: Change['what'];
  id?: string;
  label?: string;
  type?: string;
  /** The page and section (and, for an output or a form's field, its run group or form), by id and by name. */
  where: Change['where'];
  field?: string;
  before?: Json;
  after?: Json;
  /** What a person would say, e.g. `the "Revenue" chart on page "Overview" becomes a line chart (was a bar chart)`. */
  text: string;
}

/** An action's changes as `plan --json` gives them. */
function changesJson(action: Action): { changes?: JsonChange[] } {
  if (action.kind !== 'create' && action.kind !== 'update') return {};
  return {
    changes: actionChanges(action).map(({ sentence, at: _at, ...change }) => ({ ...change, text: sentence })),
  };
}

/** `plan --json` output; documented in the README, stable within format version 1. */
export interface JsonPlan {
  format: 'dashsync-plan/1';
  /** The workspace the plan was made for; `apply PLANFILE` runs against it and no other. Never a token. */
  workspace: Workspace;
  /**
   * The options the plan was made with; `apply PLANFILE` uses them again. Its selection: `projects`,
   * and `paths` and `excludes` relative to the dashboards folder (absent in plans made before them:
   * no paths, no excludes).
   */
  options?: {
    prune: boolean;
    force: boolean;
    projects: string[];
    paths?: string[];
    excludes?: string[];
    publish?: boolean;
    bookmark?: string;
    /** The drift policy (absent in plans made before it: revert). */
    drift?: DriftPolicy;
    /** Made with --adopt. */
    adopt?: boolean;
  };
  changes: boolean;
  summary: PlanSummary;
  actions: JsonAction[];
  unmanaged: Array<{ project: string; projectId: string; id: string; name: string }>;
  /** Drift, and the policy the plan was made with (drift-json.ts). */
  drift: JsonDriftSection;
  /** apps: what apply does after the saves, when the plan was made with --publish or --bookmark. */
  deploy?: JsonDeploy;
  /**
   * apps: each app the plan does not save whose publishing is asked (--publish, or its file's
   * `publish: true`), with what its viewers see; apply publishes those with `publish: true`. Absent
   * when no such app was looked at (that costs a versions call per app).
   */
  publishing?: JsonPublishing[];
}

/** One app in `publishing`: its state (`unpublished`, `published`, `draft-ahead`) and version numbers. */
export interface JsonPublishing {
  path: string;
  project: string;
  projectId: string;
  id: string;
  name: string;
  state: PublishStatus['state'];
  /** The draft's version number. */
  draft: number;
  /** The number of the version its viewers see, when published. */
  published?: number;
  /** apply publishes it: its viewers do not see the draft (in `unpublish --json`: it is unpublished). */
  publish: boolean;
}

/**
 * What `plan --json` says of publishing and bookmarking (apps): absent when no flag asked for a
 * step and no saved app's file does.
 */
export interface JsonDeploy {
  /** --publish was given. */
  publish: boolean;
  /** --bookmark's label: the label each new checkpoint gets, unless its file has its own. */
  bookmark?: string;
  /**
   * The files of the apps that would be saved, then bookmarked and/or published (as the flags, or
   * each file's own publish: and bookmark:, on its action, say).
   */
  paths: string[];
}

/** The plan's publish and bookmark steps as `plan --json` gives them; undefined when none is to be taken or asked. */
export function deployPlanJson(plan: Plan, o: DeployOptions | undefined): JsonDeploy | undefined {
  const flags = o ?? {};
  const paths = plannedDeploys(plan, flags).map((planned) => planned.path);
  if (!wantsDeploy(flags) && paths.length === 0) return undefined;
  return {
    publish: flags.publish === true,
    ...(flags.bookmark !== undefined ? { bookmark: flags.bookmark } : {}),
    paths,
  };
}

// An action's file's own steps, as its JSON carries them.
function ownSteps(action: Action): Pick<JsonAction, 'publish' | 'bookmark'> {
  const own = 'deploy' in action ? action.deploy : undefined;
  return {
    ...(own?.publish !== undefined ? { publish: own.publish } : {}),
    ...(own?.bookmark !== undefined ? { bookmark: own.bookmark } : {}),
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
    actions: plan.actions.map((action): JsonAction => {
      const common = { action: action.kind, project: action.folder, projectId: action.projectId, name: action.name };
      switch (action.kind) {
        case 'create':
          return {
            ...common,
            path: action.path,
            ...(action.recreateId ? { recreateId: action.recreateId } : {}),
            ...(action.deletedRemotely
              ? { reason: action.deletedRemotely === 'conflict' ? 'conflict' : 'deleted-remotely' }
              : {}),
            localHash: action.localHash,
            ...changesJson(action),
            ...ownSteps(action),
          };
        case 'update':
          return {
            ...common,
            path: action.path,
            id: action.id,
            reason: action.reason,
            adopt: action.adopt,
            ...(action.adopt
              ? {
                  ...(action.adoptAsked ? { adoptAsked: true } : {}),
                  replaces: {
                    id: action.id,
                    ...(action.namesakeUpdatedAt ? { updatedAt: action.namesakeUpdatedAt } : {}),
                  },
                }
              : {}),
            ...(action.threeWay ? { threeWay: action.threeWay } : {}),
            ...changesJson(action),
            diff: updateDiff(action),
            localHash: action.localHash,
            remoteHash: action.remoteHash,
            ...ownSteps(action),
          };
        case 'link':
          return { ...common, path: action.path, id: action.id, localHash: action.hash, ...ownSteps(action) };
        case 'delete':
          return {
            ...common,
            id: action.id,
            ...(action.conflict ? { reason: 'conflict' } : {}),
            ...(action.updatedAt ? { remoteHash: action.updatedAt } : {}),
          };
        case 'error':
          return { ...common, path: action.path, message: action.message };
      }
    }),
    unmanaged: plan.unmanaged.map((u) => ({ project: u.folder, projectId: u.projectId, id: u.id, name: u.name })),
    drift: driftSectionJson(plan),
    ...(steps ? { deploy: steps } : {}),
    ...(plan.publishing ? { publishing: plan.publishing.map(publishingJson) } : {}),
  };
}

/** An app's publish state, as `publishing` gives it (`publish`: whether apply publishes it). */
export function publishingJson(app: NonNullable<Plan['publishing']>[number]): JsonPublishing {
  const { status } = app;
  return {
    path: app.path,
    project: app.folder,
    projectId: app.projectId,
    id: app.id,
    name: app.name,
    state: status.state,
    draft: status.draft,
    ...(status.published !== undefined ? { published: status.published } : {}),
    publish: viewersBehind(status),
  };
}

/** Writes a plan file where --out says: the user's own choice of place. */
export async function writePlanFile(path: string, plan: JsonPlan): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(plan, null, 2)}\n`, {
    fence: { folder: dirname(path), linkAllowed: true },
  });
}

/** Reads and checks a plan file. */
export async function readPlanFile(path: string): Promise<JsonPlan> {
  let plan: JsonPlan;
  let text: string | undefined;
  try {
    text = readRegularFile(path, { maxBytes: MAX_STATE_BYTES, kind: 'a plan file' }).toString('utf8');
    plan = JSON.parse(text) as JsonPlan;
  } catch (e) {
    if (text !== undefined) throw new UsageError(`${path} is not a plan file (not JSON)`, MAKE_PLAN);
    const code = (e as NodeJS.ErrnoException).code;
    const why = e instanceof NotReadable ? e.message : code === 'ENOENT' ? 'no such file' : (code ?? String(e));
    throw new UsageError(`cannot read plan file ${path}: ${why}`, code === 'ENOENT' ? MAKE_PLAN : undefined);
  }
  if (plan?.format !== 'dashsync-plan/1' || !Array.isArray(plan.actions) || !plan.workspace)
    throw new UsageError(`${path} is not a dashsync plan file (format dashsync-plan/1)`);
  return plan;
}
