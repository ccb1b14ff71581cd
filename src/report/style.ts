import type { Action } from '../core/types.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import { quote } from '../core/words.js';
import { styleText } from 'node:util';
import { inert } from './inert.js';

/** Colours for terminal text; all identity functions when colour is off. */
export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

type Format = Parameters<typeof styleText>[0];

/**
 * Colour only on a terminal, never with NO_COLOR set or --no-color (`colorFlag` false); FORCE_COLOR
 * turns it on anywhere.
 */
export function useColor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  options: { colorFlag?: boolean | undefined } = {},
): boolean {
  if (options.colorFlag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** A Style that colours when `on`. */
export function makeStyle(on: boolean): Style {
  const paint =
    (format: Format) =>
    (text: string): string =>
      on ? styleText(format, text) : text;
  return {
    red: paint('red'),
    green: paint('green'),
    yellow: paint('yellow'),
    cyan: paint('cyan'),
    bold: paint('bold'),
    dim: paint('dim'),
  };
}

/** A server-given text in double quotes, cut to `max` characters, and inert for a terminal. */
export function quoted(text: string, max = 200): string {
  return inert(quote(text, max));
}

/**
 * A dashboard's name as every line names it, quoted; `(no name)` for one the workspace holds without
 * a name, so that a line about a dashboard with no file (a delete) never names only its folder.
 */
export function dashboardName(name: string): string {
  return name ? quoted(name) : '(no name)';
}

/** Text coloured as its action kind (red for a conflict). */
export function inKindColour(
  style: Style,
  kind: Action['kind'],
  text: string,
  options: { conflict?: boolean } = {},
): string {
  return style[ACTION_KINDS[options.conflict ? 'conflict' : kind].colour](text);
}

/**
 * How each outcome of an action is marked on a terminal, in apply's lines and watch's: its word and
 * its colour. (A done action's word is `ok` in apply and its verb in watch.)
 */
export const OUTCOME_LOOK = {
  done: { word: 'ok', colour: 'green' },
  failed: { word: 'FAILED', colour: 'red' },
  skipped: { word: 'skipped', colour: 'yellow' },
} as const;

/** `text` (by default the outcome's word) in the outcome's colour. */
export function inOutcomeColour(
  style: Style,
  outcome: keyof typeof OUTCOME_LOOK,
  text: string = OUTCOME_LOOK[outcome].word,
): string {
  return style[OUTCOME_LOOK[outcome].colour](text);
}
