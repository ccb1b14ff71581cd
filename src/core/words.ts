import type { Problem } from './types.js';

/*
 * How messages anywhere name what a server or a user gave: in double quotes, cut to a readable
 * length; and a problem in a file, by its place. Messages keep the text as given; the terminal
 * reporter makes it inert where it is shown.
 */

/** What the things an API keeps are called in messages: `dashboard` and `dashboards`, `app` and `apps`. */
export interface Noun {
  one: string;
  many: string;
}

/** `3 apps`, `1 dashboard`: a count with the noun it counts. */
export function countOf(count: number, noun: Noun): string {
  return `${count} ${count === 1 ? noun.one : noun.many}`;
}

/** `s` in double quotes (inner quotes escaped), cut to `max` characters with `...`. */
export function quote(s: string, max = 200): string {
  const cut = s.length > max ? `${s.slice(0, max)}...` : s;
  return `"${oneLine(cut).replace(/"/g, '\\"')}"`;
}

// What would break a line or drive a terminal: C0 and C1 controls, DEL, the Unicode line breaks.
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A character as it is written escaped: `\xNN` below 256, else `\uNNNN` (report/inert.ts shows controls so too). */
export function escapedChar(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A name from elsewhere (a server's id) kept on one line: each control character escaped (escapedChar). */
export function oneLine(s: string): string {
  return s.replace(BREAKING, escapedChar);
}

/** Names from elsewhere for a hint: the first 20 (a workspace can hold hundreds), each on one line, then `...`. */
export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, 20).map(oneLine).join(', ');
  return names.length > 20 ? `${shown}, ...` : shown;
}

/** A problem in a file as editors and compilers show it: `path:line:col: message`. */
export function problemLine(problem: Problem): string {
  return `${problem.path}:${problem.line}:${problem.col}: ${problem.message}`;
}
