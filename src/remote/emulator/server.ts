import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatAppPath } from '../../core/app.js';
import { validateApp } from '../../local/app-validation.js';
import { appVersionRoute } from './app-routes.js';
import { readAppBody, readDashboardBody, validScope } from './requests.js';
import { Store } from './store.js';

/** The faults the emulator can inject; see `failRate`. */
export type FaultKind = '500' | '503' | '429' | 'drop' | 'drop-after-commit';
export const ALL_FAULTS: FaultKind[] = ['500', '503', '429', 'drop', 'drop-after-commit'];

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

interface Envelope {
  status: 'success' | 'error' | 'conflict';
  message: string;
  data: unknown;
}

function send(res: ServerResponse, code: number, env: Envelope, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(env);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const ok = (res: ServerResponse, message: string, data: unknown): void =>
  send(res, 200, { status: 'success', message, data });
const error = (res: ServerResponse, code: number, message: string, headers?: Record<string, string>): void =>
  send(res, code, { status: code === 409 ? 'conflict' : 'error', message, data: null }, headers);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_BODY = 16 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  const dice = rng(options.seed ?? Date.now());
  const faults = options.faults ?? ALL_FAULTS;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Admin routes for benchmarks and tests (same token): counters, and a reset to an empty store.
    if (url.pathname === '/__emulator/stats' || url.pathname === '/__emulator/reset') {
      if (req.headers.authorization !== `Bearer ${token}`) return error(res, 401, 'Invalid or expired token');
      if (url.pathname === '/__emulator/reset' && req.method === 'POST') {
        store.clear();
        for (const k of Object.keys(stats) as Array<keyof EmulatorStats>) stats[k] = 0;
      }
      return ok(res, 'Emulator stats', { ...stats, dashboards: store.count() });
    }
    const m = /^(?:\/jarvispy\/[^/]+\/[^/]+)?\/api\/v1(\/.*)$/.exec(url.pathname);
    if (!m) return error(res, 404, `No route for ${req.method} ${url.pathname}; the API lives under /api/v1`);
    const segments = m[1]!
      .split('/')
      .slice(1)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
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
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const held = await options.intercept?.(req.method ?? 'GET', url.pathname);
    if (held !== undefined)
      return error(res, held, held === 503 ? 'Service temporarily unavailable' : `Intercepted (${held})`);

    const auth = req.headers.authorization ?? '';
    if (!auth) return error(res, 401, 'Missing Authorization header: expected Bearer token');
    if (auth !== `Bearer ${token}`) return error(res, 401, 'Invalid or expired token');

    let fault: FaultKind | undefined;
    if (options.failRate && dice() < options.failRate) {
      fault = faults[Math.floor(dice() * faults.length)];
      if (fault === 'drop-after-commit' && !(req.method === 'POST' && segments[2] === 'save')) fault = 'drop';
    }
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
    const Noun = api === 'apps' ? 'App' : 'Dashboard';
    const rest = segments.slice(1);
    const queryScope = url.searchParams.get('scope') ?? 'user';

    if (req.method === 'GET' && rest.length === 1 && rest[0] === 'list') {
      if (!validScope(queryScope)) return error(res, 400, `Invalid scope '${queryScope}'`);
      stats.list++;
      return ok(
        res,
        `All ${api} listed successfully`,
        shuffle(store.list(queryScope).map(api === 'apps' ? appRow : meta), dice),
      );
    }
    if (req.method === 'GET' && rest.length === 2 && rest[1] === 'list') {
      if (!validScope(queryScope)) return error(res, 400, `Invalid scope '${queryScope}'`);
      stats.list++;
      return ok(
        res,
        `${Noun}s listed successfully`,
        shuffle(store.list(queryScope, rest[0]).map(api === 'apps' ? appRow : meta), dice),
      );
    }
    if (req.method === 'GET' && rest.length === 2) {
      if (!validScope(queryScope)) return error(res, 400, `Invalid scope '${queryScope}'`);
      stats.get++;
      const d = store.get(queryScope, rest[0]!, rest[1]!);
      return d
        ? ok(res, `${Noun} loaded successfully`, api === 'apps' ? appOf(d) : { ...meta(d), definition: d.definition })
        : error(res, 404, `${Noun} '${rest[1]}' not found`);
    }
    if (req.method === 'DELETE' && rest.length === 2) {
      if (!validScope(queryScope)) return error(res, 400, `Invalid scope '${queryScope}'`);
      stats.delete++;
      const gone = await store.delete(queryScope, rest[0]!, rest[1]!);
      return gone
        ? ok(res, `${Noun} '${rest[1]}' deleted successfully`, null)
        : error(res, 404, `${Noun} '${rest[1]}' not found`);
    }
    if (req.method === 'POST' && rest.length === 2 && rest[1] === 'save') {
      const text = await readBody(req);
      if (text === undefined) return error(res, 413, 'Request body too large');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return error(res, 400, 'Malformed JSON body');
      }
      const parsed = api === 'apps' ? readAppBody(body) : readDashboardBody(body);
      if (typeof parsed === 'string') return error(res, 400, parsed);
      if (api === 'apps') {
        // The same validation as dashsync's own `validate`: every error at once, nothing saved.
        const problems = validateApp({
          ...parsed.definition,
          ...(parsed.id !== undefined ? { id: parsed.id } : {}),
          name: parsed.name,
        });
        const errors = problems.map((p) => ({ path: formatAppPath(p.path), message: p.message }));
        if (errors.length)
          return send(res, 400, {
            status: 'error',
            message: `App validation failed with ${errors.length} ${errors.length === 1 ? 'error' : 'errors'}; nothing was saved`,
            data: null,
            errors,
          } as Envelope);
      }
      const scope = parsed.scope ?? 'user';
      const unknownId = parsed.id !== undefined && !store.get(scope, rest[0]!, parsed.id);
      if (unknownId && options.clientIds === 'reject') return error(res, 404, `${Noun} '${parsed.id}' not found`);
      if (unknownId && options.clientIds === 'ignore') delete parsed.id;
      stats.save++;
      // An app keeps its id ("generated on first save") and name inside its definition.
      const id = parsed.id ?? randomUUID();
      const definition = api === 'apps' ? { ...parsed.definition, id, name: parsed.name } : parsed.definition;
      const saved = await store.save(scope, rest[0]!, { id, name: parsed.name, definition }, api === 'apps');
      await options.afterSave?.({ scope, projectId: rest[0]!, id: saved.id });
      if (fault === 'drop-after-commit') {
        stats.fault++;
        return void req.socket.destroy();
      }
      return ok(res, `${Noun} '${saved.id}' saved successfully`, { id: saved.id });
    }
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

function meta(d: { id: string; project_id: string; name: string; created_at: string; updated_at: string }): object {
  return { id: d.id, project_id: d.project_id, name: d.name, created_at: d.created_at, updated_at: d.updated_at };
}

// An app's list row carries no timestamps and no definition, as Prometheux documents.
function appRow(d: { id: string; project_id: string; name: string }): object {
  return { id: d.id, project_id: d.project_id, name: d.name };
}

// An app as a get returns it: the definition with its id and name inside.
function appOf(d: { id: string; project_id: string; name: string; definition: Record<string, unknown> }): object {
  return { ...appRow(d), definition: { ...d.definition, id: d.id, name: d.name } };
}

// Lists come in no promised order; the emulator makes sure clients do not depend on one.
function shuffle<T>(items: T[], dice: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(dice() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
