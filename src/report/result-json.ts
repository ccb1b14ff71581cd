import type { CommandEvent } from '../contract/events.js';
import type { ActionOutcome } from '../contract/execution.js';
import type { ApplyResult, MigrateResult, PublishResult, ValidateResult, WatchResult } from '../contract/results.js';
import type { WatchNotice } from '../contract/watch.js';
import type { Action } from '../core/types.js';
import { publishStepNeeded } from '../core/deploy.js';
import { validationCounts } from '../core/validation.js';
import { planToJson } from '../local/plan-file.js';
import type { JsonPlan, JsonPublishing } from '../local/plan-file.js';
import { publishingJson } from '../local/plan-file.js';
import type { CommandEnd } from './formats/format.js';

/*
 * The JSON of every command's result and of watch's and serve's lines (the plan's own is planToJson,
 * in local/plan-file.ts): stable, documented in the README's "Output for machines". Messages are
 * as sent; only the terminal makes text inert.
 */

/** Where an action is: its file, when it has one. */
const pathOf = (action: Action): string | undefined => ('path' in action ? action.path : undefined);

/** `validate --json`: whether every file is valid, how many files were read and how many are valid. */
export interface JsonValidate {
  valid: boolean;
  /** Every file read, valid or not. */
  files: number;
  validFiles: number;
  invalidFiles: number;
  problems: ValidateResult['problems'];
}

/** Builds `validate --json` from validate's result. */
export function validateToJson(result: ValidateResult): JsonValidate {
  const counts = validationCounts([], result.problems);
  return {
    valid: result.problems.length === 0,
    files: result.checked,
    validFiles: result.checked - counts.invalid,
    invalidFiles: counts.invalid,
    problems: result.problems,
  };
}

/** One executed action in `apply --json`. */
export interface JsonOutcome {
  action: Action['kind'];
  path: string | undefined;
  projectId: string;
  name: string;
  id: string | undefined;
  outcome: ActionOutcome['outcome'];
  message: string | undefined;
}

/** One action and what became of it: a row of `apply --json` and, stamped with a time, of `watch --json`. */
function actionRow<Outcome extends string>(
  action: Action,
  result: { id?: string; outcome: Outcome; message?: string },
): Omit<JsonOutcome, 'outcome'> & { outcome: Outcome } {
  return {
    action: action.kind,
    path: pathOf(action),
    projectId: action.projectId,
    name: action.name,
    id: result.id,
    outcome: result.outcome,
    message: result.message,
  };
}

function outcomeToJson(outcome: ActionOutcome): JsonOutcome {
  return actionRow(outcome.action, outcome);
}

/** `apply --json`, documented in the README: whether it ran, its counts, one entry per action, the apps deployed. */
export interface JsonApply {
  applied: boolean;
  summary: ApplyResult['summary'];
  results: JsonOutcome[];
  /** apps: what became of the steps of each saved app that took one (--publish, --bookmark, its file's keys). */
  deployed?: NonNullable<ApplyResult['deployed']>;
  /** apply --ref: the ref as given and the commit whose files were deployed. */
  ref?: NonNullable<ApplyResult['ref']>;
}

/** Builds `apply --json` from apply's result. */
export function applyToJson(result: ApplyResult): JsonApply {
  return {
    applied: result.applied,
    summary: result.summary,
    results: result.outcomes.map(outcomeToJson),
    ...(result.deployed ? { deployed: result.deployed } : {}),
    ...(result.ref ? { ref: result.ref } : {}),
  };
}

/** `migrate --json`: the plan, whether it ran, its counts, and the apps deployed in the target. */
export function migrateToJson(result: MigrateResult): {
  plan: JsonPlan;
  applied: boolean;
  summary: MigrateResult['summary'];
  deployed?: NonNullable<MigrateResult['deployed']>;
} {
  return {
    plan: planToJson(result.plan, result.workspace),
    applied: result.applied,
    summary: result.summary,
    ...(result.deployed ? { deployed: result.deployed } : {}),
  };
}

/**
 * `publish --json` and `unpublish --json`, documented in the README: whether it ran, its counts,
 * each selected app with its state before the run (as a plan's `publishing` gives it), the apps
 * left alone and why, and what became of each app acted on.
 */
export function publishToJson(result: PublishResult): {
  applied: boolean;
  summary: PublishResult['summary'];
  apps: JsonPublishing[];
  held: PublishResult['held'];
  results: PublishResult['outcomes'];
} {
  return {
    applied: result.applied,
    summary: result.summary,
    apps: result.apps.map((app) => ({ ...publishingJson(app), publish: publishStepNeeded(result.run, app.status) })),
    held: result.held,
    results: result.outcomes,
  };
}

/** The JSON document of a command's result (watch's is its last line, `{ "summary": ... }`). */
export function resultToJson(end: CommandEnd): object {
  switch (end.command) {
    case 'validate':
      return validateToJson(end.result);
    case 'plan':
      return planToJson(end.result.plan, end.result.workspace, undefined, end.result.deploy);
    case 'apply':
      return applyToJson(end.result);
    case 'migrate':
      return migrateToJson(end.result);
    case 'watch':
      return watchSummaryToJson(end.result);
    case 'publish':
    case 'unpublish':
      return publishToJson(end.result);
    case 'init':
    case 'pull':
    case 'import':
    case 'export':
    case 'history':
    case 'restore':
      return end.result;
    case 'comment':
      // The plan it posted is plan --json's; here, what became of the comment.
      return { comment: end.result.comment };
    case 'preview':
      return { summary: end.result };
  }
}

/**
 * One line of `watch --json` per notice, stamped with the time it happened: `event` is the
 * notice's kind and the other fields are the notice's own; an action's fields are those of an
 * `apply --json` result, with the phase as its outcome.
 */
export function watchNoticeToJson(notice: WatchNotice, at: Date): Record<string, unknown> {
  const time = at.toISOString();
  switch (notice.kind) {
    case 'action': {
      const { event } = notice;
      return { time, event: 'action', ...actionRow(event.action, { ...event, outcome: event.phase }) };
    }
    case 'problem':
      return { time, event: 'problem', ...notice.problem };
    default: {
      const { kind, ...fields } = notice;
      return { time, event: kind, ...fields };
    }
  }
}

/** The last line of `watch --json`. */
export function watchSummaryToJson(result: WatchResult): { summary: WatchResult } {
  return { summary: result };
}

/** `serve --json`: where it listens, and the token when it was made up for this run. */
export function servingToJson(event: Extract<CommandEvent, { type: 'serving' }>): { url: string; token?: string } {
  return { url: event.url, ...('random' in event.token ? { token: event.token.random } : {}) };
}

/** `preview --json`: a line per event, `{ "time", "event", ... }` with the event's own fields. */
export function previewEventToJson(
  event: Extract<CommandEvent, { type: 'previewing' | 'preview-compared' | 'preview-redrawn' }>,
): Record<string, unknown> {
  if (event.type === 'preview-redrawn') {
    const { type, at, ...fields } = event;
    return { time: at.toISOString(), event: type, ...fields };
  }
  const { type, ...fields } = event;
  return { time: new Date().toISOString(), event: type, ...fields };
}
