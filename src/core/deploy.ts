import type { Action, AppPublish, DeployOptions, Plan, PublishStatus } from './types.js';

export type { DeployOptions } from './types.js';

/*
 * The steps a deploy takes after the saves, in apps mode (--publish, --bookmark, and an app file's
 * own `publish:` and `bookmark:`): which actions they apply to, and which steps each takes. What
 * they do against the server is the apps flavour's (flavours/apps/deploy.ts).
 */

/** The longest bookmark label: a commit SHA, a tag or a short note fits; a page of text would push the columns of `history` and a plan's lines out of sight. */
export const MAX_LABEL_LENGTH = 200;

// A line break or a control character would break the lines that show a label (plan, history, a pull-request comment).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * What is wrong with a bookmark label ("must ..."), or undefined: the one rule of `--bookmark` and
 * of an app file's `bookmark:`, which replaces the flag's label for its app.
 */
export function labelProblem(label: string): string | undefined {
  if (label.trim() === '') return 'must not be blank';
  if (CONTROL.test(label)) return 'must be one line of text, without control characters';
  if (label.length > MAX_LABEL_LENGTH) return `must be at most ${MAX_LABEL_LENGTH} characters`;
  return undefined;
}

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
  const bookmark = own.bookmark ?? flags.bookmark;
  return {
    ...(publishAsked(own, flags) ? { publish: true } : {}),
    ...(bookmark !== undefined ? { bookmark } : {}),
  };
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

/** Whether an app is to be published: its file's own `publish:` decides, else --publish. */
export function publishAsked(own: DeployOptions | undefined, flags: DeployOptions): boolean {
  return (own?.publish ?? flags.publish) === true;
}

/**
 * An app's publish state from its versions, newest first (as the client lists them): the draft is
 * the newest; viewers see the one marked published, if any. Numbers are the server's, or counted
 * from the oldest where it gives none.
 */
export function publishStatusOf(rows: ReadonlyArray<{ number?: number; published?: boolean }>): PublishStatus {
  const numberAt = (at: number): number => rows[at]?.number ?? rows.length - at;
  const draft = rows.length ? numberAt(0) : 0;
  const at = rows.findIndex((row) => row.published === true);
  if (at < 0) return { state: 'unpublished', draft };
  return at === 0
    ? { state: 'published', draft, published: draft }
    : { state: 'draft-ahead', draft, published: numberAt(at) };
}

/** True when the viewers of an app do not see its draft: never published, unpublished, or behind. */
export function viewersBehind(status: PublishStatus): boolean {
  return status.state !== 'published';
}

/** Whether `dashsync publish` (viewers behind) or `unpublish` (viewers see a version) acts on an app. */
export function publishStepNeeded(step: 'publish' | 'unpublish', status: PublishStatus): boolean {
  return step === 'publish' ? viewersBehind(status) : status.state !== 'unpublished';
}

/**
 * The apps a plan publishes without saving them: asked to be published, and their viewers behind
 * the draft (a publish that failed after an earlier save, an app never published). So a re-run
 * after a failed publish completes it.
 */
export function pendingPublishes(plan: Plan): AppPublish[] {
  return (plan.publishing ?? []).filter((app) => viewersBehind(app.status));
}
