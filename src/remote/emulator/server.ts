import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appVersionRoute } from './app-routes.js';
import { serveDashboardRoute } from './dashboard-routes.js';
import { ALL_FAULTS, drawFault, seededDice } from './faults.js';
import type { FaultKind } from './faults.js';
import { readBody, validScope } from './requests.js';
import { error, ok } from './responses.js';
import { Store } from './store.js';

/** Options of the emulator. */
export interface ServerOptions {
  port?: number;
  host?: string;
  /** Bearer token to accept; a random one when absent. */
  token?: string;
  /** Persist to this JSON file (atomic writes) and load it at start. */
  dataFile?: string;
  /** Milliseconds added to every API call. */
  latencyMs?: number;
  /** Share of API calls (0..1) that fail with one of `faults`. */
  failRate?: number;
  faults?: FaultKind[];
  /** Seconds sent in Retry-After with injected 429s. */
  retryAfter?: number;
  /** Seed for the fault dice, for reproducible runs. */
  seed?: number;
  /**
   * What a save with an id the server does not have does: `accept` creates it under that id (an
   * upsert, the default), `reject` answers 404, `ignore` creates it under a new id of its own.
   */
  clientIds?: 'accept' | 'reject' | 'ignore';
  /** Rate limit: API calls in flight at once beyond this are answered 429 with Retry-After. */
  maxInflight?: number;
  /**
   * Test hook (in-process only): called before each API call is served. It may hold the call (return
   * a promise the test resolves later) or answer it with an error status (e.g. 503 for "away").
   */
  intercept?: (method: string, path: string) => Promise<number | undefined> | number | undefined;
  /**
   * Called after each save is stored and before it is answered (in-process use only): a test makes
   * another writer's save land right after a client's, deterministically.
   */
  afterSave?: (saved: { scope: string; projectId: string; id: string }) => void | Promise<void>;
}

/** Requests an emulator answered, by kind. */
export interface EmulatorStats {
  list: number;
  get: number;
  save: number;
  delete: number;
  /** Calls of the versions and publication routes (/apps only). */
  versions: number;
  fault: number;
  /** Calls refused by the maxInflight rate limit. */
  rateLimited: number;
  /** Most API calls in flight at once. */
  peakInflight: number;
}

/** A running emulator. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000/api/v1 */
  url: string;
  token: string;
  port: number;
  store: Store;
  /** Requests answered, by kind; `fault` counts injected failures. */
  stats: EmulatorStats;
  close(): Promise<void>;
}

/**
 * Starts a stand-in for the Prometheux Dashboards API: the five documented routes under `/api/v1`
 * and `/jarvispy/{org}/{user}/api/v1`, the documented envelope and status codes, Bearer auth and
 * separate scopes. Used by `dashsync serve`, the tests and the benchmarks.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const token = options.token ?? randomBytes(18).toString('base64url');
  const store = new Store(options.dataFile);
  const stats: EmulatorStats = {
    list: 0,
    get: 0,
    save: 0,
    delete: 0,
    versions: 0,
    fault: 0,
    rateLimited: 0,
    peakInflight: 0,
  };
  let inflight = 0;
  const dice = seededDice(options.seed ?? Date.now());
  const faults = options.faults ?? ALL_FAULTS;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Admin routes for benchmarks and tests (same token): counters, and a reset to an empty store.
    if (url.pathname === '/__emulator/stats' || url.pathname === '/__emulator/reset') {
      if (req.headers.authorization !== `Bearer ${token}`) return error(res, 401, 'Invalid or expired token');
      if (url.pathname === '/__emulator/reset' && req.method === 'POST') {
        store.clear();
        for (const counter of Object.keys(stats) as Array<keyof EmulatorStats>) stats[counter] = 0;
      }
      return ok(res, 'Emulator stats', { ...stats, dashboards: store.count() });
    }
    const underApi = /^(?:\/jarvispy\/[^/]+\/[^/]+)?\/api\/v1(\/.*)$/.exec(url.pathname);
    if (!underApi) return error(res, 404, `No route for ${req.method} ${url.pathname}; the API lives under /api/v1`);
    const segments = underApi[1]!
      .split('/')
      .slice(1)
      .map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      });
    if (options.maxInflight !== undefined && inflight >= options.maxInflight) {
      stats.rateLimited++;
      return error(res, 429, 'Rate limit exceeded: too many concurrent requests', {
        'retry-after': String(options.retryAfter ?? 1),
      });
    }
    inflight++;
    stats.peakInflight = Math.max(stats.peakInflight, inflight);
    try {
      await route(req, res, url, segments);
    } finally {
      inflight--;
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]): Promise<void> => {
    if (options.latencyMs) await new Promise((resume) => setTimeout(resume, options.latencyMs));
    const held = await options.intercept?.(req.method ?? 'GET', url.pathname);
    if (held !== undefined)
      return error(res, held, held === 503 ? 'Service temporarily unavailable' : `Intercepted (${held})`);

    const auth = req.headers.authorization ?? '';
    if (!auth) return error(res, 401, 'Missing Authorization header: expected Bearer token');
    if (auth !== `Bearer ${token}`) return error(res, 401, 'Invalid or expired token');

    const isSave = req.method === 'POST' && segments[2] === 'save';
    const fault = drawFault(dice, { failRate: options.failRate, faults, isSave });
    if (fault && fault !== 'drop-after-commit') {
      stats.fault++;
      if (fault === 'drop') return void req.socket.destroy();
      if (fault === '429')
        return error(res, 429, 'Rate limit exceeded', { 'retry-after': String(options.retryAfter ?? 1) });
      return error(res, Number(fault), fault === '503' ? 'Service temporarily unavailable' : 'Internal server error');
    }

    // /dashboards and its successor /apps share one store (the old paths are an alias).
    const api = segments[0];
    if (api !== 'dashboards' && api !== 'apps') return error(res, 404, `No route for ${req.method} ${url.pathname}`);
    const rest = segments.slice(1);
    const queryScope = url.searchParams.get('scope') ?? 'user';
    const call = { req, res, api, rest, queryScope, fault, store, stats, options, dice } as const;
    if (await serveDashboardRoute(call)) return;
    if (api === 'apps' && rest.length >= 3) {
      if (!validScope(queryScope)) return error(res, 400, `Invalid scope '${queryScope}'`);
      const answer = await appVersionRoute(req, rest, queryScope, store, async () => {
        try {
          return JSON.parse((await readBody(req)) ?? '') as unknown;
        } catch {
          return undefined;
        }
      });
      if (answer) {
        stats.versions++;
        return answer.code === 200 ? ok(res, answer.message, answer.data) : error(res, answer.code, answer.message);
      }
    }
    if (rest.length >= 1 && ['GET', 'POST', 'DELETE'].includes(req.method ?? ''))
      return error(res, 404, `No route for ${req.method} ${url.pathname}`);
    return error(res, 405, `Method ${req.method} not allowed`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) error(res, 500, `Internal error: ${(e as Error).message}`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}/api/v1`,
    token,
    port: addr.port,
    store,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
