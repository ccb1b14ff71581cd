import type { Agent } from 'undici';
import { undici } from './undici.js';
import {
  clipped,
  describeNetworkError,
  errorDetails,
  kindOfStatus,
  parseRetryAfter,
  preview,
  statusText,
  suggestionFor,
} from './http-errors.js';
import { ApiError } from '../errors.js';
import type { ApiErrorKind } from '../errors.js';
import { normalizeBaseUrl } from './url.js';
import { Deadline } from './deadline.js';
import { VERSION } from '../version.js';
import { FAILED_STATUSES, TooLarge, readLimited, redirectMessage } from './answer.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { DEFAULT_RETRY, RetryBudget, isRetryable, mayHaveHappened, waitBeforeRetry } from './retry.js';
import type { RetryPolicy } from './retry.js';

/** Options of the low-level transport. */
export interface HttpOptions {
  baseUrl: string;
  token: string;
  connections: number;
  connectTimeoutMs?: number;
  /** Longest wait for a whole response, headers and body: one deadline per attempt, not per chunk. */
  requestTimeoutMs?: number;
  maxBodyBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** Receives one line per request, response and retry; the token is never in it. */
  onDebug?: (line: string) => void;
  /** Where the token came from (a variable's name, or `--token`), named in the hint of a 401. */
  tokenSource?: string;
}

/** What a call sends besides its method, path and query. */
export interface CallOptions {
  /** The JSON body, if any. */
  body?: unknown;
  /**
   * A non-idempotent call (a save that creates): retried only when it surely did not reach the
   * server, so that a retry cannot create a second dashboard; its caller must find out otherwise.
   */
  once?: boolean;
  /**
   * False for a call made to recover from a failure (the look-up of a lost create): its success
   * earns the command no further retry, or a server failing every save would never run out.
   */
  earns?: boolean;
}

/** A decoded envelope's `data` and the HTTP status. */
export interface HttpResult {
  status: number;
  data: unknown;
}

const sleep = (ms: number): Promise<void> => new Promise((resume) => setTimeout(resume, ms));

/**
 * Sends requests to the API over one keep-alive connection pool, decodes the envelope and turns
 * every failure into an ApiError. Idempotent calls are retried with backoff; a call marked
 * `once` is not retried once it may have reached the server (its caller must find out).
 */
export class HttpTransport {
  private agentInstance: Agent | undefined;
  /** The policy in force: DEFAULT_RETRY with the caller's changes. */
  readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  /** In-flight requests allowed now; shrinks under rate limiting. */
  readonly limiter: AdaptiveLimit;
  /** The retries every call of this transport (one command) shares; a create's own resends draw on it too. */
  readonly budget: RetryBudget;

  constructor(private readonly opts: HttpOptions) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.limiter = new AdaptiveLimit(Math.max(1, opts.connections));
    this.budget = new RetryBudget(Math.max(1, opts.connections));
  }

  private get timeoutMs(): number {
    return this.opts.requestTimeoutMs ?? 30_000;
  }

  // The pool is made on the first request, so that commands that never call the API never load undici.
  private get agent(): Agent {
    this.agentInstance ??= new (undici().Agent)({
      connections: this.opts.connections,
      keepAliveTimeout: 10_000,
      connect: { timeout: this.opts.connectTimeoutMs ?? 10_000 },
      // Per chunk only: the deadline of a whole answer is the attempt's own (see attempt()).
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    return this.agentInstance;
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.agentInstance?.close();
  }

  /** The text with the token taken out, for anything that may quote what a server sent. */
  redact(text: string): string {
    // A very short token would match ordinary words; real tokens (JWTs) are long.
    return this.opts.token.length >= 8 ? text.split(this.opts.token).join('***') : text;
  }

  private debug(line: string): void {
    this.opts.onDebug?.(this.redact(line));
  }

  /** Sends one call with retries (see CallOptions for the body and for calls sent at most once). */
  async call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    query: Record<string, string>,
    { body, once = false, earns = true }: CallOptions = {},
  ): Promise<HttpResult> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let failure: ApiError;
      await this.limiter.acquire();
      try {
        const result = await this.attempt(method, path, query, body);
        this.limiter.succeeded();
        if (earns) this.budget.succeeded();
        return result;
      } catch (thrown) {
        if (!(thrown instanceof ApiError)) throw thrown;
        failure = thrown;
      } finally {
        this.limiter.release();
      }
      if (failure.kind === 'rate-limited')
        this.debug(`rate limited: at most ${this.limiter.throttled()} requests in flight now`);
      if (once && mayHaveHappened(failure)) throw failure.with({ outcomeUnknown: true });
      if (!isRetryable(failure) || attempt >= this.retry.attempts) throw failure;
      const wait = waitBeforeRetry(this.retry, attempt, failure);
      if (Date.now() - started + wait > this.retry.totalMs) throw failure;
      if (!this.budget.take()) {
        this.debug(`no retry of ${method} ${path}: this run's retries are spent (the server fails too often)`);
        throw failure;
      }
      this.debug(
        `retry ${attempt}/${this.retry.attempts - 1} of ${method} ${path} in ${Math.round(wait)} ms ` +
          `after: ${failure.status ?? failure.kind} ${failure.serverMessage}`,
      );
      await sleep(wait);
    }
  }

  private async attempt(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    query: Record<string, string>,
    body: unknown,
  ): Promise<HttpResult> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const shown = path + (url.search || '');
    const fail = ({ kind, status, message, outcomeUnknown = false, ...extra }: Failure): ApiError =>
      new ApiError({
        kind,
        method,
        path: shown,
        status,
        serverMessage: this.redact(message),
        suggestion: suggestionFor(kind, this.opts.tokenSource),
        outcomeUnknown,
        ...extra,
      });
    this.debug(`-> ${method} ${url.href} (Authorization: Bearer ***, User-Agent: ${USER_AGENT})`);
    const t0 = Date.now();
    // One deadline for the whole answer, headers and body: a server that sends a byte now and then
    // never trips a per-chunk timeout, and would hold the run (and its lock) for ever.
    const deadline = new Deadline(this.timeoutMs);
    const late = (): ApiError =>
      fail({
        kind: 'timeout',
        status: undefined,
        message: `the server did not answer in time (the whole answer within ${this.timeoutMs / 1000} s, DASHSYNC_TIMEOUT)`,
        outcomeUnknown: true,
      });
    let res;
    let text: string;
    try {
      try {
        res = await this.agent.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method,
          headers: {
            authorization: `Bearer ${this.opts.token}`,
            accept: 'application/json',
            'user-agent': USER_AGENT,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: deadline,
        });
      } catch (e) {
        if (deadline.aborted) throw late();
        const { kind, message, sent } = describeNetworkError(e, url.origin);
        throw fail({ kind, status: undefined, message, outcomeUnknown: sent });
      }
      try {
        text = await readLimited(res.body, this.opts.maxBodyBytes ?? 64 * 1024 * 1024);
      } catch (e) {
        if (e instanceof TooLarge)
          throw fail({
            kind: 'protocol',
            status: res.statusCode,
            message: `response body is larger than ${e.limit} bytes`,
          });
        if (deadline.aborted) throw late();
        // The server answered, so the call reached it: whatever it did is done, but its answer is lost.
        const { kind, message } = describeNetworkError(e, url.origin);
        throw fail({ kind, status: res.statusCode, message, outcomeUnknown: true });
      }
    } finally {
      deadline.clear();
    }
    this.debug(`<- ${res.statusCode} ${method} ${shown} in ${Date.now() - t0} ms`);
    const status = res.statusCode;
    let envelope: unknown;
    try {
      // Liberal: a byte-order mark before the JSON (some servers write one) is no part of it.
      envelope = text.trim() === '' ? undefined : JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      if (status >= 200 && status < 300)
        throw fail({ kind: 'protocol', status, message: `the response is not JSON: ${preview(text)}` });
      envelope = undefined;
    }
    const env =
      envelope !== null && typeof envelope === 'object' && !Array.isArray(envelope)
        ? (envelope as Record<string, unknown>)
        : undefined;
    const serverMessage =
      typeof env?.message === 'string' && env.message
        ? clipped(env.message)
        : text.trim()
          ? preview(text)
          : statusText(status);
    if (status >= 200 && status < 300) {
      // A 200 whose envelope says it failed failed: nothing it carries is taken for an answer.
      if (env && typeof env.status === 'string' && FAILED_STATUSES.has(env.status.toLowerCase()))
        throw fail({
          kind: env.status.toLowerCase() === 'conflict' ? 'conflict' : 'validation',
          status,
          message: serverMessage,
          details: errorDetails(env).map((detail) => this.redact(detail)),
        });
      // Liberal: an envelope's data, else the body itself (a server that answers with bare JSON).
      const data = env && 'data' in env ? env.data : envelope;
      return { status, data };
    }
    if (status >= 300 && status < 400)
      throw fail({ kind: 'protocol', status, message: redirectMessage(res.headers.location, url) });
    const retryAfter = parseRetryAfter(res.headers['retry-after']);
    throw fail({
      kind: kindOfStatus(status),
      status,
      message: serverMessage,
      retryAfter,
      details: errorDetails(env).map((detail) => this.redact(detail)),
    });
  }
}

/** Who is calling, for gateways that refuse calls without a User-Agent (as Prometheux's own SDK sends one). */
const USER_AGENT = `dashsync/${VERSION}`;

/** What one failed attempt was, for the ApiError `fail` makes of it. */
interface Failure {
  kind: ApiErrorKind;
  /** The HTTP status, when an answer came. */
  status: number | undefined;
  /** The server's message, or what went wrong on the way (redacted before it is kept). */
  message: string;
  /** The request may have been carried out: a non-idempotent call must not be blindly retried. */
  outcomeUnknown?: boolean;
  retryAfter?: number | undefined;
  details?: string[];
}
