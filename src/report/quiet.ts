import type { LegacyReporter as Reporter } from './reporter.js';

/*
 * What --quiet shows: errors, and the final summary line of each command. A plan that is about to
 * be confirmed is always shown whole: nobody should be asked to approve what they cannot see.
 */

/** Shows a command's outcome line (or lines): through `result` where the reporter has it, so --quiet keeps it. */
export function showResult(reporter: Reporter, text: string): void {
  if (reporter.result) reporter.result(text);
  else reporter.info(text);
}

/**
 * Shows a rendered plan (whose last line is its summary), then `extra` (what follows the saves:
 * publish, bookmark). With --quiet only the summary line, unless `full`: the plan is about to be
 * put to the user for confirmation.
 */
export function showPlan(reporter: Reporter, text: string, options: { full?: boolean; extra?: string } = {}): void {
  if (!reporter.quiet) return reporter.info(text + (options.extra ?? ''));
  showResult(reporter, options.full ? text + (options.extra ?? '') : (text.split('\n').pop() ?? ''));
}
