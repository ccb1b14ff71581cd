import type { Problem } from '../core/types.js';

/* What `validate` prints after the problems themselves (each a `path:line:col: message` line). */

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The closing line: how many files were checked, how many have problems, how many are valid. */
export function validateSummary(
  filePaths: string[],
  problems: Problem[],
  kind: 'dashboard' | 'app' = 'dashboard',
): string {
  const bad = new Set(problems.map((p) => p.path));
  const all = new Set([...filePaths, ...bad]);
  const valid = [...all].filter((p) => !bad.has(p)).length;
  if (problems.length === 0) return `${plural(valid, `${kind} file`, `${kind} files`)} valid.`;
  return `${plural(problems.length, 'problem', 'problems')} in ${plural(bad.size, 'file', 'files')}; ${valid} of ${plural(all.size, 'file', 'files')} valid.`;
}
