import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchRoute } from '../api/routes.js';
import { appVersionRoute } from './app-routes.js';
import type { ApiCall } from './call.js';
import { dashboardRoute } from './dashboard-routes.js';
import { ALL_FAULTS, drawFault, reshaped, seededDice, trickleResponse } from './faults.js';
import { DEFAULT_USER } from './options.js';
import type { EmulatorStats, RunningServer, ServerOptions } from './options.js';
import { readBody, validScope } from './requests.js';
import { answer, error, ok } from './responses.js';
import { save } from './save.js';
import { Store } from './store.js';

export type { EmulatorStats, RunningServer, ServerOptions } from './options.js';

/**
 * Starts a stand-in for the Prometheux Dashboards API and its successor, the Apps API: the documented
 * routes (api/routes.ts) under `/api/v1` and `/jarvispy/{org}/{user}/api/v1`, the documented
 * envelope and status codes, Bearer auth and separate scopes. Used by `dashsync serve`, the tests
 * and the benchmarks.
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
  const clients = new Map<string, number>();
  let inflight = 0;
  let apiCalls = 0;
  const misbehave = options.misbehave ?? {};
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
        clients.clear();
      }
      return ok(res, 'Emulator stats', { ...stats, dashboards: store.count(), clients: Object.fromEntries(clients) });
    }
    const underApi = /^(?:\/jarvispy\/[^/]+\/[^/]+)?\/api\/v1(\/.*)$/.exec(url.pathname);
    if (!underApi) return error(res, 404, `No route for ${req.method} ${url.pathname}; the API lives under /api/v1`);
    const agent = req.headers['user-agent'] ?? '(none)';
    clients.set(agent, (clients.get(agent) ?? 0) + 1);
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
    if (misbehave.trickleMs) trickleResponse(res, misbehave.trickleMs);
    if (misbehave.loginPage) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(
        '<!doctype html><html><head><title>Sign in</title></head><body><form>Sign in</form></body></html>',
      );
    }
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

  // Who a Bearer token belongs to: the main token's user, or one of the further tokens'.
  const users = new Map<string, string>([
    ...Object.entries(options.tokens ?? {}),
    [token, options.user ?? DEFAULT_USER],
  ]);

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]): Promise<void> => {
    if (options.latencyMs) await new Promise((resume) => setTimeout(resume, options.latencyMs));
    const held = await options.intercept?.(req.method ?? 'GET', url.pathname);
    if (held !== undefined)
      return error(res, held, held === 503 ? 'Service temporarily unavailable' : `Intercepted (${held})`);

    if (misbehave.unauthorizedAfter !== undefined && ++apiCalls > misbehave.unauthorizedAfter)
      return error(res, 401, 'Token expired');
    const auth = req.headers.authorization ?? '';
    if (!auth) return error(res, 401, 'Missing Authorization header: expected Bearer token');
    const user = auth.startsWith('Bearer ') ? users.get(auth.slice('Bearer '.length)) : undefined;
    if (user === undefined) return error(res, 401, 'Invalid or expired token');

    // /dashboards and its successor /apps share one store (the old paths are an alias).
    const [api, ...rest] = segments;
    const matched = api === 'dashboards' || api === 'apps' ? matchRoute(api, req.method ?? 'GET', rest) : undefined;
    const fault = drawFault(dice, { failRate: options.failRate, faults, isSave: matched?.name === 'save' });
    if (fault && fault !== 'drop-after-commit') {
      stats.fault++;
      if (fault === 'drop') return void req.socket.destroy();
      if (fault === '429')
        return error(res, 429, 'Rate limit exceeded', { 'retry-after': String(options.retryAfter ?? 1) });
      return error(res, Number(fault), fault === '503' ? 'Service temporarily unavailable' : 'Internal server error');
    }
    if (api !== 'dashboards' && api !== 'apps') return error(res, 404, `No route for ${req.method} ${url.pathname}`);
    if (!matched) {
      if (rest.length >= 1 && ['GET', 'POST', 'DELETE'].includes(req.method ?? ''))
        return error(res, 404, `No route for ${req.method} ${url.pathname}`);
      return error(res, 405, `Method ${req.method} not allowed`);
    }
    const queryScope = url.searchParams.get('scope') ?? 'user';
    // A save's scope is in its body; every other call's in the query.
    if (matched.name !== 'save' && !validScope(queryScope)) return error(res, 400, `Invalid scope '${queryScope}'`);
    const call: ApiCall = { req, res, api, route: matched, queryScope, user, fault, store, stats, options, dice };
    if (matched.name === 'save') return save(call);
    const readJson = async (): Promise<unknown> => {
      try {
        return JSON.parse((await readBody(req)) ?? '') as unknown;
      } catch {
        return undefined;
      }
    };
    const answered = (await dashboardRoute(call)) ?? (await appVersionRoute(call, readJson));
    if (!answered) return error(res, 404, `No route for ${req.method} ${url.pathname}`);
    const shape = misbehave.reshape?.[matched.name === 'get' ? 'get' : 'list'];
    const listOrGet = matched.name === 'get' || matched.name === 'listAll' || matched.name === 'listProject';
    return answer(res, listOrGet ? { ...answered, data: reshaped(answered.data, shape) } : answered);
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
    clients,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
