import type { Action } from '../core/types.js';

/*
 * What executing a plan tells and ends in: one event per step of each action, one outcome per
 * action, their counts, and (apps) what became of the steps after the saves. The executor
 * (commands/execute.ts) produces them; apply, migrate and watch pass them on; report/ shows them.
 */

/** One step of executing a plan. Terminal output, --json and watch all consume these. */
export interface ActionEvent {
  phase: 'started' | 'done' | 'failed' | 'skipped';
  action: Action;
  /** The dashboard's id after the action, when known. */
  id?: string;
  /** Why it failed or was skipped, as the server or the rule said it (not made inert). */
  message?: string;
  /** The server's itemised errors (an app that does not validate), shown one per line. */
  details?: string[];
  /** Done, but the id the workspace gave it was recorded nowhere (a disk full, a permission): what to do. */
  idNotWritten?: string;
}

/** What became of one action. */
export interface ActionOutcome {
  action: Action;
  outcome: 'done' | 'failed' | 'skipped' | 'not-started';
  id?: string;
  message?: string;
  /** The server's itemised errors, one per line, when it sent some. */
  details?: string[];
  /** Done, but the id the workspace gave it was recorded nowhere (a disk full, a permission): what to do. */
  idNotWritten?: string;
  /** A create whose answer was lost: other dashboards of its name the server made meanwhile (ids to delete). */
  copies?: string[];
}

/** Counts of an execution. */
export interface ExecutionSummary {
  created: number;
  updated: number;
  deleted: number;
  linked: number;
  failed: number;
  skipped: number;
  notStarted: number;
  /** Done, but with their ids recorded nowhere (counted in created, updated or linked too). */
  idsNotWritten: number;
  /** Creates of which the server made more than one copy (counted in created too). */
  duplicated: number;
  /** apps: apps published without a save in this run (their viewers were behind the draft); absent when none. */
  published?: number;
}

/** What became of the deploy steps of one saved app. */
export interface DeployOutcome {
  path: string;
  projectId: string;
  id: string;
  /** The checkpoint the save made, when it was looked up (for --bookmark). */
  versionId?: string;
  bookmarked?: boolean;
  published?: boolean;
  /** Why a step failed. */
  message?: string;
  /** The app no longer held what this run saved (someone else saved after): neither step was taken. */
  changed?: boolean;
  /** `dashsync unpublish`: taken back to draft only. */
  unpublished?: boolean;
  /** Interrupted (Ctrl-C) before its call was sent: left as it was. */
  notStarted?: boolean;
}
