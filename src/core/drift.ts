import { compareText } from './compare.js';
import type { Action, DriftPolicy, Plan } from './types.js';

/*
 * Drift: a dashboard changed (or deleted) in the workspace since the last sync while its file did
 * not. It is its own kind of change, beside local edits and conflicts, and a policy decides what
 * apply does with it (DriftPolicy): revert it to the file, keep it, or fail. plan, apply and watch
 * ask this one module; watch's --self-heal is the revert policy.
 */

/** The policy plan and apply use when nothing sets one: the files are the truth, as in Terraform. */
export const DEFAULT_DRIFT: DriftPolicy = 'revert';

/** The policy watch uses when nothing sets one: an unattended watch reports drift and leaves it for pull. */
export const WATCH_DEFAULT_DRIFT: DriftPolicy = 'keep';

/** How a drifted dashboard changed in the workspace. */
export type DriftChange = 'changed' | 'deleted';

/** How the action's dashboard drifted, if it did: changed, or deleted, in the workspace alone. */
export function driftOf(action: Action): DriftChange | undefined {
  if (action.kind === 'update' && action.reason === 'drift') return 'changed';
  if (action.kind === 'create' && action.deletedRemotely === 'drift') return 'deleted';
  return undefined;
}

/** True for an action that would undo a change made in the workspace alone. */
export function isDrift(action: Action): boolean {
  return driftOf(action) !== undefined;
}

/**
 * Splits planned actions by the policy: under revert drift stays an action (apply reverts it);
 * under keep and fail it is held out of the actions, for the plan to show.
 */
export function withDriftPolicy(actions: Action[], policy: DriftPolicy): { actions: Action[]; drifted: Action[] } {
  if (policy === 'revert') return { actions, drifted: [] };
  return { actions: actions.filter((a) => !isDrift(a)), drifted: actions.filter(isDrift) };
}

/** Every drifted dashboard of a plan, whatever its policy did with it, by path. */
export function driftedActions(plan: Plan): Action[] {
  return [...plan.actions.filter(isDrift), ...(plan.drifted ?? [])].sort((left, right) =>
    compareText(pathOf(left), pathOf(right)),
  );
}

const pathOf = (action: Action): string => ('path' in action ? action.path : action.name);

/** What drift is, in the words every rendering uses. */
export const DRIFT_WORDS = 'changed in the workspace since the last sync, not in the files';

/** What each policy does with drift, said under each drifted dashboard and in its summary. */
export const DRIFT_DOES: Record<DriftPolicy, string> = {
  revert: 'apply reverts it to the file (--drift revert)',
  keep: 'kept: changed in the workspace; `dashsync pull` brings it into git',
  fail: 'stops plan and apply (--drift fail): bring it into git with dashsync pull, commit, and review',
};

/** The command that brings one drifted dashboard into git. */
export function pullCommandFor(action: Action): string {
  const path = pathOf(action);
  return driftOf(action) === 'deleted' ? `dashsync pull --prune ${path}` : `dashsync pull ${path}`;
}

/**
 * The refusal of a run under --drift fail: every drifted dashboard named, and how to bring the
 * drift into git. `run`: the command stopped, which says what it did not do.
 */
export function driftStopWords(
  drifted: Action[],
  run: 'plan' | 'apply' | 'watch',
): { message: string; suggestion: string } {
  const count = drifted.length;
  const what = count === 1 ? '1 dashboard' : `${count} dashboards`;
  const outcome = {
    plan: 'apply would refuse this plan',
    apply: 'nothing was applied',
    watch: 'watch stops, nothing of this batch applied',
  }[run];
  const lines = drifted.map(
    (action) =>
      `  < ${pathOf(action)}  ${JSON.stringify(action.name)}: ${driftOf(action) === 'deleted' ? 'deleted' : 'changed'} in the workspace`,
  );
  return {
    message:
      `drift: ${what} ${count === 1 ? 'was' : 'were'} changed in the workspace since the last sync, not in git ` +
      `(--drift fail): ${outcome}\n${lines.join('\n')}`,
    suggestion:
      `bring the drift into git: ${drifted.map(pullCommandFor).join('; ')}; commit, and review it in a pull request ` +
      '(in a clone that has not synced them, pull takes them with --force; --drift revert undoes the drift instead, ' +
      '--drift keep leaves it)',
  };
}

/**
 * The drift policy a run uses: the one asked for (a flag), else dashsync.yaml's `drift:`, else the
 * command's default (revert for plan and apply, keep for watch). The one rule all three follow.
 */
export function driftPolicy(
  asked: DriftPolicy | undefined,
  configured: DriftPolicy | undefined,
  runner: 'plan' | 'apply' | 'watch',
): DriftPolicy {
  return asked ?? configured ?? (runner === 'watch' ? WATCH_DEFAULT_DRIFT : DEFAULT_DRIFT);
}
