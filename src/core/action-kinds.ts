import type { Action } from './types.js';

/*
 * The vocabulary of action kinds, pure data: core and command messages name actions with these
 * symbols (a stale saved plan lists `~ path: ...`), and report/ shows them in these colours.
 */

/** How one kind of action is shown everywhere: its plan symbol, its past-tense verb, its colour. */
export interface ActionKindLook {
  /** Terraform-style: `+` create, `~` update, `-` delete, `=` link, `x` error, `!` in conflict. */
  symbol: string;
  /** What an executed action did, e.g. `created`. */
  verb: string;
  /** The name of its colour on a terminal (report/style.ts applies it). */
  colour: 'green' | 'yellow' | 'red' | 'cyan';
}

/**
 * The one table of action kinds: plan text, Markdown, apply and watch event lines and saved-plan
 * messages all read it, so a symbol or a colour is changed here once.
 */
export const ACTION_KINDS: Record<Action['kind'] | 'conflict' | 'merge' | 'drift', ActionKindLook> = {
  create: { symbol: '+', verb: 'created', colour: 'green' },
  update: { symbol: '~', verb: 'updated', colour: 'yellow' },
  delete: { symbol: '-', verb: 'deleted', colour: 'red' },
  link: { symbol: '=', verb: 'linked', colour: 'cyan' },
  error: { symbol: 'x', verb: 'error', colour: 'red' },
  conflict: { symbol: '!', verb: 'in conflict', colour: 'red' },
  // Changed on both sides in different places: the workspace's changes to merge into the file first.
  merge: { symbol: '*', verb: 'to merge', colour: 'yellow' },
  // Changed in the workspace alone: the workspace is ahead of the files.
  drift: { symbol: '<', verb: 'drifted', colour: 'cyan' },
};

/** The symbol of an action kind, `!` instead when the action is in conflict. */
export function symbolOf(kind: Action['kind'], conflict = false): string {
  return ACTION_KINDS[conflict ? 'conflict' : kind].symbol;
}
