import { API_NOUNS } from '../api/routes.js';
import type { Problem } from '../core/types.js';
import type { Noun } from '../core/words.js';
import { validationCounts } from '../core/validation.js';

/* What `validate` prints after the problems themselves (each a `path:line:col: message` line). */

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** The closing line: how many files were checked, how many have problems, how many are valid. */
export function validateSummary(filePaths: string[], problems: Problem[], noun: Noun = API_NOUNS.dashboards): string {
  const counts = validationCounts(filePaths, problems);
  if (problems.length === 0) return `${plural(counts.valid, `${noun.one} file`, `${noun.one} files`)} valid.`;
  return (
    `${plural(problems.length, 'problem', 'problems')} in ${plural(counts.invalid, 'file', 'files')}; ` +
    `${counts.valid} of ${plural(counts.checked, 'file', 'files')} valid.`
  );
}
