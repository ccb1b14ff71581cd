import type { Action } from '../core/types.js';
import type { Style } from './style.js';

/** How one kind of action is shown everywhere: its plan symbol, its past-tense verb, its colour. */
export interface ActionKindLook {
  /** Terraform-style: `+` create, `~` update, `-` delete, `=` link, `x` error, `!` in conflict. */
  symbol: string;
  /** What an executed action did, e.g. `created`. */
  verb: string;
  colour: keyof Style;
}

/**
 * The one table of action kinds: plan text, Markdown, apply and watch event lines and saved-plan
 * messages all read it, so a symbol or a colour is changed here once.
 */
export const ACTION_KINDS: Record<Action['kind'] | 'conflict', ActionKindLook> = {
  create: { symbol: '+', verb: 'created', colour: 'green' },
  update: { symbol: '~', verb: 'updated', colour: 'yellow' },
  delete: { symbol: '-', verb: 'deleted', colour: 'red' },
  link: { symbol: '=', verb: 'linked', colour: 'cyan' },
  error: { symbol: 'x', verb: 'error', colour: 'red' },
  conflict: { symbol: '!', verb: 'in conflict', colour: 'red' },
};

/** What apply does with an action in conflict, said under each one in plan text and Markdown. */
export const APPLY_SKIPS_CONFLICT = 'apply skips it unless --force';

/** The symbol of an action kind, `!` instead when the action is in conflict. */
export function symbolOf(kind: Action['kind'], conflict = false): string {
  return ACTION_KINDS[conflict ? 'conflict' : kind].symbol;
}

/** Text coloured as its action kind (red for a conflict). */
export function inKindColour(style: Style, kind: Action['kind'], text: string, conflict = false): string {
  return style[ACTION_KINDS[conflict ? 'conflict' : kind].colour](text);
}
