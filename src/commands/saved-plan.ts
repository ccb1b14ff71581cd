import { symbolOf } from '../core/action-kinds.js';
import { UsageError } from '../errors.js';
import { resolveSettings } from '../config/resolve.js';
import type { GlobalFlags } from '../contract/options.js';
import type { JsonAction, JsonPlan } from '../local/plan-file.js';
import type { DriftPolicy, Workspace } from '../core/types.js';
import { DEFAULT_DRIFT } from '../core/drift.js';
import { describeSelection, normalSelection, sameSelection } from '../core/selection.js';
import type { Selection } from '../core/selection.js';
import type { CommonOptions } from '../contract/options.js';
import type { Context } from './open-run.js';
import { selectionOf } from './selection.js';

/*
 * The rules of saved plans (`plan --out FILE`, `apply FILE`; the file itself is local/plan-file.ts):
 * the plan JSON, with the options it was made with and, per action, hashes of what it was computed
 * from. Applying it recomputes the plan and refuses, naming what moved, unless the two are the same
 * action for action: what runs is exactly what was reviewed.
 */

/**
 * The flags `apply PLANFILE` runs with: the plan's environment and scope, and its URL where no flag,
 * variable or config names one. A flag that names another environment or scope is refused before
 * anything is read, so a saved plan runs against the workspace it was reviewed for or not at all.
 */
export function flagsForSavedPlan(
  path: string,
  saved: JsonPlan,
  flags: GlobalFlags,
  cwd: string,
  env: NodeJS.ProcessEnv,
): GlobalFlags {
  const planWorkspace = saved.workspace;
  const refuse = (what: string): never => {
    throw new UsageError(
      `${path} was made for ${describeWorkspace(planWorkspace)}, but ${what}: nothing was applied`,
      'run apply without that flag, or make a plan for that workspace with dashsync plan --out',
    );
  };
  if (flags.env !== undefined && flags.env !== (planWorkspace.env ?? undefined))
    refuse(
      planWorkspace.env
        ? `--env ${flags.env} was given`
        : `--env ${flags.env} was given and the plan names no environment`,
    );
  if (flags.scope !== undefined && flags.scope !== planWorkspace.scope) refuse(`--scope ${flags.scope} was given`);
  const bound: GlobalFlags = {
    ...flags,
    scope: planWorkspace.scope,
    ...(planWorkspace.env !== undefined ? { env: planWorkspace.env } : {}),
  };
  // Only where nothing else names a URL does the plan's own stand in. A URL that is set and differs
  // is refused here, before the token is paired with it (the check after settings are resolved,
  // in apply, also compares the scope and api the folder is bound to).
  const url = resolveSettings(bound, cwd, env).url;
  if (url === undefined) bound.url = planWorkspace.url;
  const elsewhere = url !== undefined && otherWorkspace(planWorkspace, { ...planWorkspace, url });
  if (elsewhere) throw elsewhereError(path, elsewhere);
  return bound;
}

/** The refusal of a saved plan pointed at another workspace than the one it was made for. */
export function elsewhereError(path: string, elsewhere: string): UsageError {
  return new UsageError(
    `${path}: ${elsewhere}; nothing was applied`,
    'run apply without the flag or variable that points elsewhere, ' +
      'or make a plan for that workspace with dashsync plan --out',
  );
}

/** A workspace as messages name it: `URL (scope user, api dashboards, environment production)`. */
export function describeWorkspace(workspace: Workspace): string {
  const api = workspace.api ? `, api ${workspace.api}` : '';
  const environment = workspace.env ? `, environment ${workspace.env}` : '';
  return `${workspace.url} (scope ${workspace.scope}${api}${environment})`;
}

/** Why a saved plan's workspace is not the one at hand; undefined when they are the same. */
export function otherWorkspace(saved: Workspace, now: Workspace): string | undefined {
  const same =
    saved.url === now.url && saved.scope === now.scope && (saved.api ?? 'dashboards') === (now.api ?? 'dashboards');
  return same ? undefined : `the plan was made for ${describeWorkspace(saved)}, not ${describeWorkspace(now)}`;
}

/** True for an action apply skips (a conflict, a merge to make in the file, an adoption not asked for). */
function isConflict(action: JsonAction): boolean {
  return (
    action.reason === 'conflict' || action.reason === 'merge' || (action.adopt === true && action.adoptAsked !== true)
  );
}

// What pairs an action of the saved plan with the same action now: its kind, and what it is about.
function key(action: JsonAction): string {
  return `${action.action} ${action.path ?? `${action.projectId}/${action.id}`}`;
}

// An action as a reason names it: its symbol and file, or its project and name where it has no file.
function describe(action: JsonAction): string {
  const where = action.path ?? `${action.project}/ ${JSON.stringify(action.name)} (id ${action.id})`;
  return `${symbolOf(action.action)} ${where}`;
}

/** What differs between a saved plan and the plan as it would be now; empty when they are the same. */
export function stalePlanReasons(saved: JsonPlan, now: JsonPlan): string[] {
  const reasons: string[] = [];
  const elsewhere = otherWorkspace(saved.workspace, now.workspace);
  if (elsewhere) return [elsewhere];
  const current = new Map(now.actions.map((action) => [key(action), action]));
  for (const planned of saved.actions) {
    const same = current.get(key(planned));
    current.delete(key(planned));
    const what = describe(planned);
    if (!same) reasons.push(`${what}: no longer needed (changed since the plan was made)`);
    else if (same.localHash !== planned.localHash) reasons.push(`${what}: the file changed since the plan was made`);
    else if (same.remoteHash !== planned.remoteHash || same.id !== planned.id)
      reasons.push(`${what}: the dashboard changed in the workspace since the plan was made`);
    else if (same.publish !== planned.publish || same.bookmark !== planned.bookmark)
      // Not content (the hashes miss it), but what apply does after the save: as reviewed, or not at all.
      reasons.push(`${what}: the file's publish: or bookmark: changed since the plan was made`);
    else if (isConflict(same) !== isConflict(planned)) {
      // Same change, another decision: the plan was made with a different sync state (.dashsync/), so
      // it knew a conflict that this run does not, or the other way round. Neither guess may win.
      const howTheyDiffer = isConflict(planned)
        ? 'the plan skips it as a conflict; this run would apply it'
        : 'the plan applies it; this run would skip it as a conflict';
      reasons.push(
        `${what}: ${howTheyDiffer} (the plan was made with another .dashsync/ sync state: ` +
          'plan and apply again in one folder, or with the same cache)',
      );
    }
  }
  for (const added of current.values()) reasons.push(`${describe(added)}: ${newChangeWords(added)}`);
  return reasons;
}

// A change not in the plan; for drift, what it would undo and how to bring it into git instead.
function newChangeWords(added: JsonAction): string {
  const drifted = added.reason === 'drift' || added.reason === 'deleted-remotely';
  if (!drifted || !added.path) return 'a new change, not in the plan';
  const undo =
    added.reason === 'drift' ? 'revert a change made in the workspace' : 'create again a dashboard deleted there';
  const pull = added.reason === 'drift' ? `dashsync pull ${added.path}` : `dashsync pull --prune ${added.path}`;
  return `a new change, not in the plan: it would ${undo} since the plan was made (to keep that change, bring it into git: ${pull}, commit, review)`;
}

/**
 * The options `apply PLANFILE` runs with: those the plan was made with, and its workspace's flags.
 * Flags that would make it do other than what was reviewed (--force, --publish, --bookmark it was
 * not made with) are refused: apply of a saved plan does exactly what was reviewed.
 */
export function savedPlanOptions(
  path: string,
  saved: JsonPlan,
  given: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    flags?: GlobalFlags;
    force?: boolean;
    publish?: boolean;
    bookmark?: string;
    drift?: DriftPolicy;
    adopt?: boolean;
  },
): {
  flags: GlobalFlags;
  prune?: boolean;
  force?: boolean;
  publish: boolean;
  bookmark?: string;
  drift: DriftPolicy;
  adopt?: boolean;
} {
  const cwd = given.cwd ?? process.cwd();
  const flags = flagsForSavedPlan(path, saved, given.flags ?? {}, cwd, given.env ?? process.env);
  // Publishing and bookmarking are part of what was reviewed: the plan's, or none; never added here.
  const publish = saved.options?.publish === true;
  const bookmark = saved.options?.bookmark;
  if (given.force === true && saved.options?.force !== true) {
    throw new UsageError(
      `${path} was reviewed without --force; apply of a saved plan does exactly what was reviewed: nothing was applied`,
      'make the plan with it: dashsync plan --force --out FILE, review it, and apply that',
    );
  }
  if ((given.publish === true && !publish) || (given.bookmark !== undefined && given.bookmark !== bookmark)) {
    const bookmarkFlag = bookmark !== undefined ? ` --bookmark ${JSON.stringify(bookmark)}` : '';
    const reviewedWith =
      publish || bookmark !== undefined
        ? `with${publish ? ' --publish' : ''}${bookmarkFlag}`
        : 'without --publish or --bookmark';
    throw new UsageError(
      `${path} was reviewed ${reviewedWith}; apply of a saved plan does exactly that: nothing was applied`,
      'drop the flag, or make the plan with it: dashsync plan --publish --bookmark LABEL --out FILE',
    );
  }
  // The drift policy and adoptions are part of what was reviewed too.
  const drift = saved.options?.drift ?? DEFAULT_DRIFT;
  if (given.drift !== undefined && given.drift !== drift)
    throw new UsageError(
      `${path} was reviewed with --drift ${drift}; apply of a saved plan does exactly what was reviewed: nothing was applied`,
      `drop --drift, or make the plan with it: dashsync plan --drift ${given.drift} --out FILE`,
    );
  const adopt = saved.options?.adopt === true;
  if (given.adopt === true && !adopt)
    throw new UsageError(
      `${path} was reviewed without --adopt; apply of a saved plan does exactly what was reviewed: nothing was applied`,
      'make the plan with it: dashsync plan --adopt FILE... --out PLAN, review it, and apply that',
    );
  return {
    flags,
    ...(saved.options ? { prune: saved.options.prune, force: saved.options.force } : {}),
    publish,
    ...(bookmark !== undefined ? { bookmark } : {}),
    drift,
    ...(adopt ? { adopt } : {}),
  };
}

/** The selection a saved plan was made with; a plan saved before paths and excludes had neither. */
export function recordedSelection(saved: JsonPlan): Selection {
  const options = saved.options;
  return normalSelection({
    projects: options?.projects ?? [],
    paths: options?.paths ?? [],
    excludes: options?.excludes ?? [],
  });
}

/**
 * The selection `apply PLANFILE` runs with: the plan's own. Paths, `--project` or `--exclude` given
 * with it, or an `exclude:` added to dashsync.yaml since, must make the same selection, else the
 * plan is refused before a single request: a plan applied to other files than it was reviewed with
 * would re-plan silently without its filter.
 */
export function savedPlanSelection(path: string, saved: JsonPlan, ctx: Context, given: CommonOptions): Selection {
  const recorded = recordedSelection(saved);
  const asked = Boolean(given.projects?.length || given.paths?.length || given.excludes?.length);
  const now = selectionOf(ctx, asked ? given : {}, { mustExist: true });
  const running = asked ? now : { ...recorded, excludes: [...recorded.excludes, ...now.excludes] };
  if (!sameSelection(running, recorded))
    throw new UsageError(
      `${path} was made for ${describeSelection(recorded)}, but this run selects ${describeSelection(running)}` +
        (asked ? '' : " (dashsync.yaml's exclude: changed since)") +
        ': nothing was applied',
      'apply a saved plan without paths, --project or --exclude (it keeps its own), or make a new plan: ' +
        'dashsync plan --out FILE with the selection you want',
    );
  return recorded;
}
