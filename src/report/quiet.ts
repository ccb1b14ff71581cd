import type { LegacyReporter as Reporter } from './reporter.js';

/* What --quiet keeps: errors, and the final summary line of each command (see command-text.ts). */

/** Shows a command's outcome line (or lines): through `result` where the reporter has it, so --quiet keeps it. */
export function showResult(reporter: Reporter, text: string): void {
  if (reporter.result) reporter.result(text);
  else reporter.info(text);
}
