import type { ActionEvent, ActionOutcome } from '../contract/execution.js';
import type { ApplyResult, MigrateResult, ValidateResult, WatchResult } from '../contract/results.js';
import type { Action } from '../core/types.js';
import { planToJson } from '../local/plan-file.js';
import type { JsonPlan } from '../local/plan-file.js';

/*
 * The --json output of validate, apply, migrate and watch (plan's is planToJson, in local/plan-file.ts): stable,
 * documented in the README. Messages are the server's as sent; only the terminal makes text inert.
 */

/** Where an action is: its file, when it has one. */
const pathOf = (action: Action): string | undefined => ('path' in action ? action.path : undefined);

/** `validate --json`. */
export function validateToJson(result: ValidateResult): {
  valid: boolean;
  files: number;
  problems: ValidateResult['problems'];
} {
  return { valid: result.problems.length === 0, files: result.files, problems: result.problems };
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
  /** apps, with --publish or --bookmark: what became of each saved app's steps. */
  deployed?: NonNullable<ApplyResult['deployed']>;
}

/** Builds `apply --json` from apply's result. */
export function applyToJson(result: ApplyResult): JsonApply {
  return {
    applied: result.applied,
    summary: result.summary,
    results: result.outcomes.map(outcomeToJson),
    ...(result.deployed ? { deployed: result.deployed } : {}),
  };
}

/** `migrate --json`: the plan, whether it ran, and its counts. */
export function migrateToJson(result: MigrateResult): {
  plan: JsonPlan;
  applied: boolean;
  summary: MigrateResult['summary'];
} {
  return { plan: planToJson(result.plan, result.workspace), applied: result.applied, summary: result.summary };
}

/** One line of `watch --json` per event, stamped with the time it happened. */
export function watchEventToJson(event: ActionEvent, time: Date): Record<string, unknown> {
  return { time: time.toISOString(), ...actionRow(event.action, { ...event, outcome: event.phase }) };
}

/** The last line of `watch --json`. */
export function watchSummaryToJson(result: WatchResult): { summary: WatchResult } {
  return { summary: result };
}
