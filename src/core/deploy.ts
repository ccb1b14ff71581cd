import type { Action, DeployOptions, Plan } from './types.js';

export type { DeployOptions } from './types.js';

/*
 * The steps a deploy takes after the saves, in apps mode (--publish, --bookmark, and an app file's
 * own `publish:` and `bookmark:`): which actions they apply to, and which steps each takes. What
 * they do against the server is the apps flavour's (flavours/apps/deploy.ts).
 */

/** True when the flags ask for a step after the saves. */
export function wantsDeploy(o: DeployOptions): boolean {
  return o.publish === true || o.bookmark !== undefined;
}

/** True for the actions that save an app (and so make a checkpoint). */
export const saves = (a: Action): a is Extract<Action, { kind: 'create' | 'update' }> =>
  a.kind === 'create' || a.kind === 'update';

/** The paths of the apps a plan saves. */
export function savedPaths(plan: Plan): string[] {
  return plan.actions.filter(saves).map((a) => a.path);
}

/**
 * The publish and bookmark steps asked for, with only the keys that are set: the one form the
 * flags, the saved plan's options and the JSON results carry them in.
 */
export function deployStepsOf(deploy: DeployOptions): DeployOptions {
  return {
    ...(deploy.publish ? { publish: true } : {}),
    ...(deploy.bookmark !== undefined ? { bookmark: deploy.bookmark } : {}),
  };
}

/**
 * The steps after one action's save: where its file has its own `publish:` or `bookmark:`, that key
 * decides for its app; the flags decide the rest. So `publish: true` publishes an app without
 * --publish, `publish: false` keeps it a draft under --publish, and a file's `bookmark:` label
 * replaces --bookmark's for its app. None for an action that saves nothing (no checkpoint is made).
 */
export function stepsFor(action: Action, flags: DeployOptions): DeployOptions {
  if (!saves(action)) return {};
  const own = action.deploy ?? {};
  const publish = own.publish ?? flags.publish;
  const bookmark = own.bookmark ?? flags.bookmark;
  return { ...(publish ? { publish: true } : {}), ...(bookmark !== undefined ? { bookmark } : {}) };
}

/** One app a plan deploys: its file, and the steps after its save. */
export interface PlannedDeploy {
  path: string;
  steps: DeployOptions;
}

/** The apps a plan saves that take a step after their save, in the plan's order, each with its steps. */
export function plannedDeploys(plan: Plan, flags: DeployOptions): PlannedDeploy[] {
  return plan.actions.flatMap((action) => {
    const steps = stepsFor(action, flags);
    return saves(action) && wantsDeploy(steps) ? [{ path: action.path, steps }] : [];
  });
}
