import type { ApiError } from '../errors.js';

/*
 * The retry rules of every call, in one place: how hard to try (DEFAULT_RETRY), which failures are
 * worth another attempt, which calls must never be sent twice, and how long to wait in between.
 * The transport (http.ts) applies them; a create whose outcome is unknown is then looked up before
 * it is tried again (DashboardsClient.save in client.ts), so that a retry never makes a duplicate.
 */

/** How hard to try before giving up on one call. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff delay; doubles each time, with full jitter. */
  baseDelayMs: number;
  /** Longest single wait, Retry-After included. */
  maxDelayMs: number;
  /** Give up once this much time has passed since the first attempt. */
  totalMs: number;
}

/** The retry rule of every call (429, 5xx, dropped connections, timeouts): 5 attempts, so 4 retries. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000, totalMs: 60_000 };

/** Worth trying again: rate limits, server errors, network faults and timeouts. */
export function isRetryable(failure: ApiError): boolean {
  const { kind } = failure;
  return kind === 'rate-limited' || kind === 'server' || kind === 'network' || kind === 'timeout';
}

/**
 * For a call sent at most once (a create): a failure after which the server may have done it
 * (the connection dropped mid-call, or a 5xx other than 503, which says the server did not start).
 * Such a call is not sent again blindly: its outcome is unknown.
 */
export function mayHaveHappened(failure: ApiError): boolean {
  return failure.outcomeUnknown || (failure.kind === 'server' && failure.status !== 503);
}

/** The wait before attempt `attempt + 1`: exponential backoff with full jitter, or the server's Retry-After. */
export function waitBeforeRetry(policy: RetryPolicy, attempt: number, failure: ApiError): number {
  const backoff = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const asked = failure.retryAfter !== undefined ? Math.max(failure.retryAfter * 1000, backoff) : backoff;
  return Math.min(policy.maxDelayMs, asked);
}

/**
 * The retries one command may make in all, whatever the number of its calls: RETRY_BUDGET.start
 * plus one per connection (a whole first wave may fail at once, as under a rate limit), and one
 * more for each call that succeeds (up to RETRY_BUDGET.most plus the connections). A server that
 * fails now and then is retried as long as it needs; one that fails everything (or answers too
 * slowly) costs a handful of retries for the whole run, not `attempts` for each of its calls.
 */
export const RETRY_BUDGET = { start: 10, most: 100 } as const;

/** A command's shared allowance of retries (see RETRY_BUDGET). */
export class RetryBudget {
  private left: number;
  private readonly most: number;

  constructor(connections: number) {
    this.left = RETRY_BUDGET.start + connections;
    this.most = RETRY_BUDGET.most + connections;
  }

  /** A call succeeded: one more retry may be spent. */
  succeeded(): void {
    this.left = Math.min(this.most, this.left + 1);
  }

  /** Spends one retry; false when none is left. */
  take(): boolean {
    if (this.left < 1) return false;
    this.left--;
    return true;
  }
}
