import type { Problem } from './core/types.js';

/**
 * The few kinds of failure a user can meet. Each carries what the user needs to act; only the CLI
 * entry file turns them into text and exit codes.
 */
export class DashsyncError extends Error {
  constructor(message: string, readonly suggestion?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, missing settings: the invocation itself is wrong. */
export class UsageError extends DashsyncError {}

/** A problem in a file the user wrote (config or dashboard), with its position. */
export class FileError extends DashsyncError {
  constructor(readonly problems: Problem[], suggestion?: string) {
    super(problems.map((p) => `${p.path}:${p.line}:${p.col}: ${p.message}`).join('\n'), suggestion);
  }
}

/** What went wrong with an HTTP call, in words a user can act on. */
export type ApiErrorKind = 'unauthorized' | 'forbidden' | 'not-found' | 'validation' | 'conflict' | 'rate-limited' | 'server' | 'network' | 'timeout' | 'protocol';

/** A failed call to the Dashboards API: names the method, the path and what the server said. */
export class ApiError extends DashsyncError {
  constructor(
    readonly kind: ApiErrorKind,
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly serverMessage: string,
    suggestion?: string,
    /** True when the request may have reached the server and taken effect (a dropped save). */
    readonly outcomeUnknown = false,
    /** Seconds the server asked to wait before retrying (Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(`${method} ${path} failed${status !== undefined ? ` (${status})` : ''}: ${serverMessage}`, suggestion);
  }

  /** The itemised errors the server sent with a refusal (e.g. every way an app fails to validate). */
  details: string[] = [];

  /** Worth trying again: rate limits, server errors, network faults and timeouts. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

/** The run was interrupted (Ctrl-C): exit code 130. */
export class InterruptedError extends DashsyncError {}
