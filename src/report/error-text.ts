import { ApiError, FileError, describeError } from '../errors.js';
import { problemLine } from '../core/words.js';

/* How a failed run ends on stderr: the error, a hint, the server's details; with --debug, more. */

/** What to do about an error dashsync did not expect. */
export const BUG_HINT = 'this is a bug in dashsync; run again with --debug for details and report it';

/**
 * The lines that tell the user why the run failed, as the error said them (the caller makes them
 * inert for a terminal): a file's problems one per line, else `error:` and `hint:` lines.
 */
export function errorLines(error: unknown, options: { debug: boolean }): string[] {
  if (error instanceof FileError)
    return [...error.problems.map(problemLine), ...(error.suggestion ? [`hint: ${error.suggestion}`] : [])];
  const { summary, details, suggestion, unexpected } = describeError(error);
  const lines = [`error: ${summary}`];
  if (suggestion) lines.push(`hint: ${suggestion}`);
  for (const detail of details) lines.push(`  - ${detail}`);
  if (options.debug && error instanceof ApiError) lines.push(`debug: kind=${error.kind} status=${error.status ?? '-'}`);
  if (options.debug && error instanceof Error && error.stack) lines.push(error.stack);
  else if (unexpected) lines.push(`hint: ${BUG_HINT}`);
  return lines;
}
