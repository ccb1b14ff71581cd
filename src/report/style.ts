import type { Action } from '../core/types.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import { quote } from '../core/words.js';
import { styleText } from 'node:util';

/** Colours for terminal text; all identity functions when colour is off. */
export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

type Format = Parameters<typeof styleText>[0];

/** Colour only on a terminal, never with NO_COLOR set or --no-color. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** A Style that colours when `on`. */
export function makeStyle(on: boolean): Style {
  const f =
    (format: Format) =>
    (s: string): string =>
      on ? styleText(format, s) : s;
  return { red: f('red'), green: f('green'), yellow: f('yellow'), cyan: f('cyan'), bold: f('bold'), dim: f('dim') };
}

/**
 * Text from the server (names, messages) made inert for a terminal: control characters, escape
 * sequences included, are shown as \\x.. or \\u.... so a hostile name cannot drive the terminal.
 */
export function inert(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A server-given text in double quotes, cut to `max` characters, and inert for a terminal. */
export function quoted(s: string, max = 200): string {
  return inert(quote(s, max));
}

/** Text coloured as its action kind (red for a conflict). */
export function inKindColour(style: Style, kind: Action['kind'], text: string, conflict = false): string {
  return style[ACTION_KINDS[conflict ? 'conflict' : kind].colour](text);
}
