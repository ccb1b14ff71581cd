import type { ApiError, ApiErrorKind } from '../errors.js';
import { undici } from './undici.js';

/* How HTTP statuses, headers and socket errors become the words of an ApiError. */

/** The start of a body, on one line and quoted, for a message about an answer that is not JSON. */
export function preview(text: string): string {
  const oneLine = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > 120 ? `${oneLine.slice(0, 120)}...` : oneLine);
}

/** A server's message cut to a length a terminal line can hold (a server may send megabytes of it). */
export function clipped(text: string, most = 1000): string {
  return text.length > most ? `${text.slice(0, most)}... (${text.length - most} more characters)` : text;
}

/** An HTTP status in words, for a refusal that came without a message. */
export function statusText(status: number): string {
  return (
    (
      {
        400: 'bad request',
        401: 'unauthorized',
        403: 'forbidden',
        404: 'not found',
        409: 'conflict',
        422: 'unprocessable',
        429: 'too many requests',
        500: 'internal server error',
        502: 'bad gateway',
        503: 'service unavailable',
        504: 'gateway timeout',
      } as Record<number, string>
    )[status] ?? `HTTP ${status}`
  );
}

/** The kind of ApiError an HTTP status is. */
export function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status === 400 || status === 422) return 'validation';
  if (status >= 500) return 'server';
  return 'protocol';
}

/** Seconds to wait from a Retry-After header: a number of seconds, or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, (when - Date.now()) / 1000);
}

/**
 * What to do about a failed call. `tokenSource` names where the token came from (a variable, or
 * `--token`), so that the hint points at the variable actually used, not a default one.
 */
export function suggestionFor(kind: ApiErrorKind, tokenSource = 'DASHSYNC_TOKEN'): string | undefined {
  switch (kind) {
    case 'unauthorized':
      return (
        'the token was rejected (missing, expired or revoked): ' +
        (tokenSource === '--token' ? 'pass a valid token with --token' : `set ${tokenSource} to a valid token`)
      );
    case 'forbidden':
      return 'the token is valid but may not do this: check the scope (--scope) and your permissions';
    case 'network':
      return 'check the URL (DASHSYNC_URL / --url) and that the server is reachable';
    case 'timeout':
      return 'the server did not answer in time; try again, or lower --concurrency';
    case 'rate-limited':
      return 'the server is rate-limiting; lower --concurrency or try again later';
    default:
      return undefined;
  }
}

/**
 * Turns an undici or socket error into words, and says whether the request may have been sent.
 * `origin` (e.g. `http://127.0.0.1:4010`) is named where the problem is reaching that server.
 */
export function describeNetworkError(
  error: unknown,
  origin = '',
): { kind: ApiErrorKind; message: string; sent: boolean } {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const text = `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  const hostPort = hostAndPort(origin);
  const at = hostPort ? ` ${hostPort}` : '';
  const undiciErrors = undici().errors;
  if (error instanceof undiciErrors.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT')
    return { kind: 'timeout', message: `timed out connecting to${at || ' the server'}`, sent: false };
  // https:// to a server that speaks plain HTTP: OpenSSL's words ("wrong version number") help nobody.
  if (
    /wrong version number|packet length too long|http request/i.test(text) ||
    code === 'ERR_SSL_WRONG_VERSION_NUMBER'
  ) {
    const plainUrl = origin ? origin.replace(/^https:/, 'http:') : 'an http:// URL';
    return {
      kind: 'network',
      message:
        `${hostPort || 'the server'} does not speak TLS (https): ` + `is it a plain-HTTP server? then use ${plainUrl}`,
      sent: false,
    };
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError)
    return { kind: 'timeout', message: 'the server did not answer in time', sent: true };
  switch (code) {
    case 'ECONNREFUSED':
      return {
        kind: 'network',
        message: `connection refused by${at || ' the server'} (is the server running, on that port?)`,
        sent: false,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'network', message: `host name not found (DNS)${hostPort ? `: ${hostPort}` : ''}`, sent: false };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return { kind: 'network', message: `the connection to${at || ' the server'} was dropped`, sent: true };
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return { kind: 'network', message: `the connection to${at || ' the server'} was closed`, sent: true };
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return {
        kind: 'network',
        message: `TLS certificate not trusted (${code}); for a private CA set NODE_EXTRA_CA_CERTS`,
        sent: false,
      };
    default:
      return {
        kind: 'network',
        message: `${hostPort ? `${hostPort}: ` : ''}${err.message ?? String(error)}${code ? ` (${code})` : ''}`,
        sent: true,
      };
  }
}

/** `host:port` of an origin, the port spelled out even when it is the scheme's default. */
export function hostAndPort(origin: string): string {
  try {
    const url = new URL(origin);
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return '';
  }
}

/**
 * The list of errors a server sent with a refusal (an app that does not validate), wherever it put
 * it: `errors`, `data.errors` or `detail`, as strings or as objects with a path and a message.
 */
export function errorDetails(env: Record<string, unknown> | undefined): string[] {
  if (!env) return [];
  const data = env.data as Record<string, unknown> | null | undefined;
  const list = [env.errors, data?.errors, env.detail].find(Array.isArray) as unknown[] | undefined;
  if (!list) return [];
  return list.slice(0, 200).map((item) => clipped(detailText(item)));
}

// One of a refusal's itemised errors, in words.
function detailText(item: unknown): string {
  if (typeof item === 'string') return item;
  const fields = (item ?? {}) as Record<string, unknown>;
  const where = fields.path ?? fields.loc ?? fields.field ?? fields.instancePath;
  const what = fields.message ?? fields.msg ?? fields.error ?? JSON.stringify(item);
  if (where === undefined || where === '') return String(what);
  return `${Array.isArray(where) ? where.join('.') : String(where)}: ${String(what)}`;
}

/**
 * A 404 on the list of a whole workspace: nothing answers at the base URL, most often because the
 * org or the user in it is wrong. The error names the whole URL and says which part to check.
 */
export function noApiAt(error: ApiError, baseUrl: string, api: string): ApiError {
  const cloud = /\/jarvispy\/([^/]+)\/([^/]+)\/api\/v1$/.exec(new URL(baseUrl).pathname);
  const where = cloud
    ? `check the org ("${decodeURIComponent(cloud[1]!)}") and the user ("${decodeURIComponent(cloud[2]!)}") ` +
      'in the URL, https://HOST/jarvispy/ORG/USER'
    : 'check the URL: https://HOST/jarvispy/ORG/USER in the cloud, the host alone when self-hosted';
  const apps = api === 'apps' ? '; or this server has no /apps API (api: apps in dashsync.yaml)' : '';
  return error.with({
    path: `${baseUrl}${error.path}`,
    suggestion: `no API answers at ${baseUrl}: ${where} (dashsync adds /api/v1, under which the API lives)${apps}`,
  });
}
