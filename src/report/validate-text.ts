import type { Problem } from '../core/types.js';

/* What `validate` prints after the problems themselves (each a `path:line:col: message` line). */

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** The closing line: how many files were checked, how many have problems, how many are valid. */
export function validateSummary(
  filePaths: string[],
  problems: Problem[],
  kind: 'dashboard' | 'app' = 'dashboard',
): string {
  const withProblems = new Set(problems.map((problem) => problem.path));
  const checked = new Set([...filePaths, ...withProblems]);
  const valid = [...checked].filter((path) => !withProblems.has(path)).length;
  if (problems.length === 0) return `${plural(valid, `${kind} file`, `${kind} files`)} valid.`;
  return (
    `${plural(problems.length, 'problem', 'problems')} in ${plural(withProblems.size, 'file', 'files')}; ` +
    `${valid} of ${plural(checked.size, 'file', 'files')} valid.`
  );
}
