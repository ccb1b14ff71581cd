import { ApiError } from '../errors.js';
import type { ApiErrorKind } from '../errors.js';

/*
 * The calls to a CI platform's API: JSON in and out, the token in a header (never in a URL, never
 * shown, not in --debug either), redirects refused (a header would follow one to another host),
 * and every failure an ApiError naming the call and what to do.
 */

/** A platform's answer: status, headers and the parsed body. */
export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** How one call is made: its headers (the token among them), and what a refusal means on this platform. */
export interface CallOptions {
  headers: Record<string, string>;
  /** What to do about a refusal with this status, in the platform's words. */
  explain(status: number): string | undefined;
  /** Shown with --debug: the method and the URL only. */
  onDebug?: ((line: string) => void) | undefined;
}

const TIMEOUT_MS = 30_000;

function kindOf(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 422 || status === 400) return 'validation';
  if (status === 429) return 'rate-limited';
  return status >= 500 ? 'server' : 'protocol';
}

// What the platform said about a refusal: GitHub's and GitLab's `message` (GitLab's may be an object).
function messageOf(body: unknown, text: string): string {
  const message =
    (body as { message?: unknown; error?: unknown } | null)?.message ?? (body as { error?: unknown } | null)?.error;
  if (typeof message === 'string') return message;
  if (message !== undefined) return JSON.stringify(message);
  return text.slice(0, 200) || 'no message';
}

/** Makes one call; throws an ApiError for a refusal or a failure to reach the platform. */
export async function call(method: string, url: string, options: CallOptions, json?: unknown): Promise<Reply> {
  options.onDebug?.(`${method} ${url}`);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...options.headers, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    const timedOut = (e as Error).name === 'TimeoutError';
    throw new ApiError({
      kind: timedOut ? 'timeout' : 'network',
      method,
      path: url,
      serverMessage: timedOut
        ? `no answer in ${TIMEOUT_MS / 1000} s`
        : `cannot reach ${new URL(url).host} (${causeOf(e)})`,
      suggestion: 'check the API URL, and that the runner can reach it',
    });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status >= 400)
    throw new ApiError({
      kind: kindOf(response.status),
      method,
      path: url,
      status: response.status,
      serverMessage: messageOf(body, text),
      suggestion: options.explain(response.status),
    });
  return { status: response.status, headers: response.headers, body };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  return String(cause?.code ?? cause?.message ?? (error as Error).message);
}
