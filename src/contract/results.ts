import type { DeployOptions } from '../core/deploy.js';
import type { AppHistory, RefSnapshot } from '../core/history.js';
import type { AppPublish, Plan, Problem, Workspace } from '../core/types.js';
import type { ActionOutcome, DeployOutcome, ExecutionSummary } from './execution.js';
import type { PullChange } from '../core/pull-plan.js';

/*
 * What each command returns. report/ renders these (text, --json, Markdown) and exit-codes.ts
 * maps them to exit codes; a command never formats them itself.
 */

/** Result of `plan`: the plan and the workspace it was made against. */
export interface PlanResult {
  plan: Plan;
  workspace: Workspace;
  /** apps: the publish and bookmark steps it was made with (for the JSON and Markdown forms). */
  deploy?: DeployOptions;
}

/** Result of `apply`. */
export interface ApplyResult {
  plan: Plan;
  workspace: Workspace;
  outcomes: ActionOutcome[];
  summary: ExecutionSummary;
  /** False when the user declined. */
  applied: boolean;
  /** Apps bookmarked and published after their saves (--publish, --bookmark, their files' publish: and bookmark:). */
  deployed?: DeployOutcome[];
  /** apply --ref: the commit whose files were deployed. */
  ref?: RefSnapshot;
}

/** What pull did, or chose not to do, to one file (the type is pull's planner's). */
export type { PullChange } from '../core/pull-plan.js';

/** A variable's value that pull wrote into a file as plain text: the file now holds one environment's value. */
export interface PullLiteral {
  path: string;
  /** Where in the file: `definition.widgets[0].query`. */
  at: string;
  variable: string;
}

/** Result of `pull`. */
export interface PullResult {
  changes: PullChange[];
  unchanged: number;
  /** Variables' values written into files literally, where the file had no placeholder to keep. */
  literals: PullLiteral[];
}

/** Result of `validate`. */
export interface ValidateResult {
  /** Dashboard files read without a problem. */
  files: number;
  /** Every file read, valid or not. */
  checked: number;
  problems: Problem[];
  /** What is allowed but likely a mistake (apps mode), each in its file. */
  warnings: Problem[];
}

/** What `init` did. */
export interface InitResult {
  created: string[];
  updated: string[];
  next: string[];
}

/** Result of `migrate`. */
export interface MigrateResult {
  plan: Plan;
  outcomes: ActionOutcome[];
  summary: ExecutionSummary;
  applied: boolean;
  workspace: { url: string; scope: string; env?: string };
  /** Apps bookmarked and published in the target after their saves (--publish, --bookmark, their files' keys). */
  deployed?: DeployOutcome[];
}

/** What a watch session did, returned when it ends. */
export interface WatchResult {
  batches: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
}

/** What `import` wrote: the app file made from a platform file (`kind`: the catalog's JSON, or px's YAML). */
export interface ImportResult {
  kind: 'catalog' | 'px';
  /** The file imported, and the app file written, as shown to users. */
  from: string;
  path: string;
  name: string;
  /** The project folder the app file is in, and the project it stands for. */
  folder: string;
  projectId: string;
  /** The app's id, kept from a px file of a saved app (the same app, now synced by dashsync); never from the catalog's. */
  id?: string;
  /** The app's warnings (they never stop an import). */
  warnings: Problem[];
}

/** What `export` wrote: the catalog's `<AppName>.json` of an app file. */
export interface ExportResult {
  from: string;
  path: string;
  name: string;
  projectId: string;
}

/** Result of `history`: the app's versions beside its file's commits. */
export type HistoryResult = AppHistory;

/** Result of `restore`: which version came back as which, and what writing the file did. */
export interface RestoreResult {
  path: string;
  id: string;
  /** The number of the version restored. */
  from: number;
  /** The number of the newest version the restore made, when the server tells it. */
  as?: number;
  /** The file rewritten as pull writes it. */
  pulled: PullResult;
}

/**
 * An app `dashsync publish` or `unpublish` leaves alone, and why: `skipped` when that is a failure
 * to do what was asked (its file has changes not applied, it is not in the workspace), not for a
 * choice (a file that says `publish: false`, an app with nothing to unpublish).
 */
export interface HeldApp {
  path: string;
  why: string;
  skipped: boolean;
}

/** Counts of `dashsync publish` and `unpublish`. */
export interface PublishSummary {
  /** Apps published (or unpublished). */
  done: number;
  /** Apps already as asked: their viewers see the draft (publish), or nothing (unpublish). */
  current: number;
  /** Apps left alone that were asked for (see HeldApp): the run fails. */
  skipped: number;
  failed: number;
  notStarted: number;
}

/** Result of `dashsync publish` and `dashsync unpublish`. */
export interface PublishResult {
  run: 'publish' | 'unpublish';
  workspace: Workspace;
  /** Every selected app held by a file, with its publish state before the run. */
  apps: AppPublish[];
  held: HeldApp[];
  /** What became of each app acted on. */
  outcomes: DeployOutcome[];
  summary: PublishSummary;
  /** False when the user declined. */
  applied: boolean;
}

/** What a preview session showed, returned when it stops. */
export interface PreviewResult {
  /** Files shown when it stopped. */
  files: number;
  /** Times a file was read again and redrawn. */
  redrawn: number;
}
