import type { Problem } from '../../core/types.js';
import { ApiError, FileError, describeError } from '../../errors.js';
import { BUG_HINT } from '../error-text.js';

/*
 * Errors and warnings as data, the way Terraform's `-json` diagnostics carry them: a severity, a
 * one-line summary, the detail, where it applies (a place in a file, or an HTTP call) and what to
 * do. Text is as the error said it: JSON escapes it, only the terminal makes it inert.
 */

/** One error or warning of a run, for a program to read. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** One line. */
  summary: string;
  /** More lines (a stale plan's reasons, the server's itemised errors); empty when there is none. */
  detail: string;
  /** What to do about it. */
  suggestion?: string;
  /** The place in a file it is about. */
  file?: { path: string; line: number; col: number };
  /** The HTTP call it is about: method, path (under the API's base URL, or the whole URL), status. */
  call?: { method: string; path: string; status?: number };
}

/** A text's first line as the summary, the rest as the detail. */
function split(text: string): { summary: string; detail: string } {
  const at = text.indexOf('\n');
  return at < 0 ? { summary: text, detail: '' } : { summary: text.slice(0, at), detail: text.slice(at + 1) };
}

const withSuggestion = (suggestion: string | undefined): { suggestion?: string } => (suggestion ? { suggestion } : {});

/** A problem in a file (validate's, or a file error's) as a diagnostic. */
export function problemDiagnostic(
  problem: Problem,
  severity: Diagnostic['severity'] = 'error',
  suggestion?: string,
): Diagnostic {
  const { path, line, col, message } = problem;
  return { severity, ...split(message), ...withSuggestion(suggestion), file: { path, line, col } };
}

/** A warning a run told (a sentence, maybe of several lines) as a diagnostic. */
export function warningDiagnostic(text: string): Diagnostic {
  return { severity: 'warning', ...split(text) };
}

/** A failed run's error as diagnostics: one per problem of a file error, else one. */
export function errorDiagnostics(error: unknown): Diagnostic[] {
  if (error instanceof FileError)
    return error.problems.map((problem) => problemDiagnostic(problem, 'error', error.suggestion));
  const { summary, details, suggestion, unexpected } = describeError(error);
  const lines = split(summary);
  const detail = [lines.detail, ...details].filter(Boolean).join('\n');
  const call =
    error instanceof ApiError
      ? {
          call: {
            method: error.method,
            path: error.path,
            ...(error.status !== undefined ? { status: error.status } : {}),
          },
        }
      : {};
  return [
    {
      severity: 'error',
      summary: lines.summary,
      detail,
      ...withSuggestion(suggestion ?? (unexpected ? BUG_HINT : undefined)),
      ...call,
    },
  ];
}
