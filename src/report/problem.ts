import type { Problem } from '../core/types.js';

/** A problem in a file as editors and compilers show it: `path:line:col: message`. */
export function problemLine(problem: Problem): string {
  return `${problem.path}:${problem.line}:${problem.col}: ${problem.message}`;
}
