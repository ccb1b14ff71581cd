import { ApiError, FileError, describeError } from '../errors.js';
import { problemLine } from './problem.js';

/* How a failed run ends on stderr: the error, a hint, the server's details; with --debug, more. */

/**
 * The lines that tell the user why the run failed, as the error said them (the caller makes them
 * inert for a terminal): a file's problems one per line, else `error:` and `hint:` lines.
 */
export function errorLines(e: unknown, options: { debug: boolean }): string[] {
  if (e instanceof FileError)
    return [...e.problems.map(problemLine), ...(e.suggestion ? [`hint: ${e.suggestion}`] : [])];
  const { summary, details, suggestion, unexpected } = describeError(e);
  const lines = [`error: ${summary}`];
  if (suggestion) lines.push(`hint: ${suggestion}`);
  for (const detail of details) lines.push(`  - ${detail}`);
  if (options.debug && e instanceof ApiError) lines.push(`debug: kind=${e.kind} status=${e.status ?? '-'}`);
  if (options.debug && e instanceof Error && e.stack) lines.push(e.stack);
  else if (unexpected) lines.push('hint: this is a bug in dashsync; run again with --debug for details and report it');
  return lines;
}
