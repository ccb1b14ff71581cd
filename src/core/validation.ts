import type { Problem } from './types.js';

/** How many files a validation read, and how many of them are valid or not. */
export interface ValidationCounts {
  /** Every file read: those read whole and those with a problem that stopped the reading. */
  checked: number;
  valid: number;
  invalid: number;
}

/**
 * The one count of a validation, for its text and its JSON alike: a file is checked when it was
 * read or has a problem, and valid when it has none.
 */
export function validationCounts(filePaths: readonly string[], problems: readonly Problem[]): ValidationCounts {
  const invalid = new Set(problems.map((problem) => problem.path));
  const checked = new Set([...filePaths, ...invalid]);
  return { checked: checked.size, valid: checked.size - invalid.size, invalid: invalid.size };
}
