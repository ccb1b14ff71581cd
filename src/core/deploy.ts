import type { Action, Plan } from './types.js';

/*
 * The steps a deploy takes after the saves, in apps mode (--publish, --bookmark): which actions
 * they apply to. What they do against the server is commands/deploy-apps.ts.
 */

/** Options of the steps after the saves. */
export interface DeployOptions {
  /** Publish each app whose save changed it. */
  publish?: boolean;
  /** Bookmark each new checkpoint with this label (e.g. the commit SHA), so it is kept for good. */
  bookmark?: string;
}

/** True when there is a step to take after the saves. */
export function wantsDeploy(o: DeployOptions): boolean {
  return o.publish === true || o.bookmark !== undefined;
}

/** True for the actions that save an app (and so make a checkpoint). */
export const saves = (a: Action): boolean => a.kind === 'create' || a.kind === 'update';

/** The paths of the apps a plan saves: those apply would publish or bookmark. */
export function savedPaths(plan: Plan): string[] {
  return plan.actions.filter(saves).map((a) => ('path' in a ? a.path : a.name));
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
