import type { Problem } from '../core/types.js';
import { inert } from './inert.js';

/** A problem in a file as editors and compilers show it: `path:line:col: message` (both made inert). */
export function problemLine(problem: Problem): string {
  return `${inert(problem.path)}:${problem.line}:${problem.col}: ${inert(problem.message)}`;
}
