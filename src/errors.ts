import type { Problem } from './core/types.js';
import { problemLine } from './core/words.js';

/**
 * The few kinds of failure a user can meet. Each carries what the user needs to act; only the CLI
 * entry file turns them into text and exit codes.
 */
export class DashsyncError extends Error {
  constructor(
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, missing settings: the invocation itself is wrong. */
export class UsageError extends DashsyncError {}

/**
 * Drift found under `--drift fail`: dashboards changed in the workspace alone, each named in the
 * message, with how to bring them into git. Nothing was applied.
 */
export class DriftError extends DashsyncError {
  constructor(
    message: string,
    suggestion: string,
    /** The files of the drifted dashboards. */
    readonly paths: readonly string[],
  ) {
    super(message, suggestion);
  }
}

/** A problem in a file the user wrote (config or dashboard), with its position. */
export class FileError extends DashsyncError {
  constructor(
    readonly problems: Problem[],
    suggestion?: string,
  ) {
    super(problems.map(problemLine).join('\n'), suggestion);
  }
}

/** What went wrong with an HTTP call, in words a user can act on. */
export type ApiErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'validation'
  | 'conflict'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'protocol';

/** What an ApiError says: the call, what the server answered, and what to do about it. */
export interface ApiErrorOptions {
  kind: ApiErrorKind;
  method: string;
  path: string;
  status?: number | undefined;
  serverMessage: string;
  suggestion?: string | undefined;
  /** True when the request may have reached the server and taken effect (a dropped save). */
  outcomeUnknown?: boolean;
  /** Seconds the server asked to wait before retrying (Retry-After). */
  retryAfter?: number | undefined;
  /** The itemised errors the server sent with a refusal (e.g. every way an app fails to validate). */
  details?: readonly string[];
}

/** A failed call to the Dashboards API: names the method, the path and what the server said. */
export class ApiError extends DashsyncError {
  readonly kind: ApiErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly serverMessage: string;
  readonly outcomeUnknown: boolean;
  readonly retryAfter: number | undefined;
  readonly details: readonly string[];

  constructor(options: ApiErrorOptions) {
    const { kind, method, path, status, serverMessage } = options;
    super(
      `${method} ${path} failed${status !== undefined ? ` (${status})` : ''}: ${serverMessage}`,
      options.suggestion,
    );
    this.kind = kind;
    this.method = method;
    this.path = path;
    this.status = status;
    this.serverMessage = serverMessage;
    this.outcomeUnknown = options.outcomeUnknown === true;
    this.retryAfter = options.retryAfter;
    this.details = options.details ?? [];
  }

  /** The same failure, with some of its facts changed (e.g. marked as of unknown outcome). */
  with(changes: Partial<ApiErrorOptions>): ApiError {
    const { kind, method, path, status, serverMessage, suggestion, outcomeUnknown, retryAfter, details } = this;
    return new ApiError({
      kind,
      method,
      path,
      status,
      serverMessage,
      suggestion,
      outcomeUnknown,
      retryAfter,
      details,
      ...changes,
    });
  }
}

/** The run was interrupted (Ctrl-C): exit code 130. */
export class InterruptedError extends DashsyncError {}

/** An error in words: one summary line, the server's itemised details, and what to do about it. */
export interface ErrorDescription {
  summary: string;
  details: readonly string[];
  suggestion?: string;
  /** Not an error dashsync expects: worth a bug report. */
  unexpected: boolean;
}

/** What a failed file-system call (an `errno` error from node:fs) means, per code. */
const FILE_SYSTEM_PROBLEMS: Record<string, { says: (path: string) => string; suggestion: string }> = {
  EACCES: {
    says: (path) => `permission denied: ${path}`,
    suggestion: 'check the permissions of the file and of its folder',
  },
  EPERM: {
    says: (path) => `operation not permitted: ${path}`,
    suggestion: 'check the permissions of the file and of its folder',
  },
  EROFS: {
    says: (path) => `${path} is on a read-only file system`,
    suggestion: 'run dashsync where the dashboards folder can be written',
  },
  ENOSPC: {
    says: (path) => `no space left on the device to write ${path}`,
    suggestion: 'free some disk space and run again',
  },
  EDQUOT: { says: (path) => `disk quota exceeded writing ${path}`, suggestion: 'free some disk space and run again' },
  EISDIR: {
    says: (path) => `${path} is a folder, where a file was expected`,
    suggestion: 'rename or remove that folder',
  },
  ENOTDIR: {
    says: (path) => `${path}: a part of this path is a file, where a folder was expected`,
    suggestion: 'rename or remove that file',
  },
  ENOENT: {
    says: (path) => `${path} does not exist`,
    suggestion: 'check the path (--dir, --config) and that the file was not moved meanwhile',
  },
  EMFILE: {
    says: (path) => `too many open files (at ${path})`,
    suggestion: 'lower --concurrency or raise the open-file limit (ulimit -n)',
  },
  ENFILE: {
    says: (path) => `too many open files (at ${path})`,
    suggestion: 'lower --concurrency or raise the open-file limit (ulimit -n)',
  },
  EBUSY: {
    says: (path) => `${path} is busy (locked by another program)`,
    suggestion: 'close the program holding it and run again',
  },
};

/** The fields node:fs gives its errors. */
type FileSystemError = Error & { code: string; path?: string; dest?: string; syscall?: string };

/** An errno error of node:fs, which names its code and, usually, its path. */
function fileSystemError(error: unknown): FileSystemError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const syscall = (error as { syscall?: unknown }).syscall;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof syscall === 'string'
    ? (error as FileSystemError)
    : undefined;
}

/**
 * The one converter from any error to words (as grafanactl's fail/convert.go): dashsync's own
 * errors say what they carry, file-system errors name the file, anything else is unexpected.
 * The text is as the error said it; making it inert for a terminal is the terminal's business.
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof DashsyncError) {
    return {
      summary: error.message,
      details: error instanceof ApiError ? error.details : [],
      ...(error.suggestion ? { suggestion: error.suggestion } : {}),
      unexpected: false,
    };
  }
  const fsError = fileSystemError(error);
  if (fsError) {
    const problem = FILE_SYSTEM_PROBLEMS[fsError.code];
    // A rename fails for its destination (the file being replaced), not for the temporary file.
    const path = fsError.dest ?? fsError.path ?? '(unknown path)';
    if (problem) return { summary: problem.says(path), details: [], suggestion: problem.suggestion, unexpected: false };
    return {
      summary: `${fsError.syscall ?? 'file operation'} ${path} failed (${fsError.code})`,
      details: [],
      unexpected: false,
    };
  }
  return { summary: error instanceof Error ? error.message : String(error), details: [], unexpected: true };
}

/** An error as one line: what went wrong, then what to do about it in parentheses. */
export function errorToText(error: unknown): string {
  const { summary, suggestion } = describeError(error);
  return suggestion ? `${summary} (${suggestion})` : summary;
}
