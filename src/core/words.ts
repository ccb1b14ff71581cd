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
  return `"${cut.replace(/"/g, '\\"')}"`;
}

/** A problem in a file as editors and compilers show it: `path:line:col: message`. */
export function problemLine(problem: Problem): string {
  return `${problem.path}:${problem.line}:${problem.col}: ${problem.message}`;
}
