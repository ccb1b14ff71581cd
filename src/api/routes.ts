/*
 * The routes of the Dashboards API and its documented successor, the Apps API, relative to the base
 * URL (`.../api/v1`): the client builds its paths with routePath, the emulator recognises calls with
 * matchRoute, so the two cannot drift apart. `scope` is a query parameter, or a body field on save.
 */

import type { Noun } from '../core/words.js';

/** Which API: `dashboards` (the original paths, now a deprecated alias) or `apps`. */
export type ApiFlavour = 'dashboards' | 'apps';

/** What each API calls the things it keeps: its documentation's words, which messages use too. */
export const API_NOUNS: Readonly<Record<ApiFlavour, Noun>> = {
  dashboards: { one: 'dashboard', many: 'dashboards' },
  apps: { one: 'app', many: 'apps' },
};

/** Each API by its documented name. */
export const API_NAMES: Readonly<Record<ApiFlavour, string>> = { dashboards: 'Dashboards API', apps: 'Apps API' };

/** An HTTP method the API uses. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One documented call: its method, its path after `/{api}` (`:name` a parameter), and whether only /apps has it. */
interface Route {
  method: Method;
  path: readonly string[];
  appsOnly?: true;
}

/** Every documented call, by name. */
export const ROUTES = {
  listAll: { method: 'GET', path: ['list'] },
  listProject: { method: 'GET', path: [':project', 'list'] },
  get: { method: 'GET', path: [':project', ':id'] },
  save: { method: 'POST', path: [':project', 'save'] },
  delete: { method: 'DELETE', path: [':project', ':id'] },
  versions: { method: 'GET', path: [':project', ':id', 'versions'], appsOnly: true },
  restore: { method: 'POST', path: [':project', ':id', 'versions', ':version', 'restore'], appsOnly: true },
  bookmark: { method: 'PATCH', path: [':project', ':id', 'versions', ':version', 'bookmark'], appsOnly: true },
  publish: { method: 'POST', path: [':project', ':id', 'publish'], appsOnly: true },
  unpublish: { method: 'POST', path: [':project', ':id', 'unpublish'], appsOnly: true },
} as const satisfies Record<string, Route>;

/** The name of a documented call. */
export type RouteName = keyof typeof ROUTES;

/** The parameters a route's path names (`project`, `id`, `version`). */
export type RouteParams = { project?: string; id?: string; version?: string };

/**
 * The path of a call, relative to the base URL, each parameter encoded: `routePath('apps', 'get',
 * {project: 'p', id: 'a'})` is `/apps/p/a`.
 */
export function routePath(api: ApiFlavour, name: RouteName, params: RouteParams = {}): string {
  const segments = ROUTES[name].path.map((segment) => {
    if (!segment.startsWith(':')) return segment;
    const value = params[segment.slice(1) as keyof RouteParams];
    if (value === undefined) throw new Error(`route ${name} needs ${segment.slice(1)}`);
    return encodeURIComponent(value);
  });
  return `/${api}/${segments.join('/')}`;
}

/** A call recognised: which route, with its parameters decoded. */
export interface MatchedRoute {
  name: RouteName;
  params: Required<RouteParams>;
}

/**
 * The route a call is, from its method and its decoded path segments after `/{api}`; undefined
 * when it is none. Fixed words win over parameters (`GET /apps/p/list` lists, it is no get of an
 * app named `list`), as the routes are listed.
 */
export function matchRoute(api: ApiFlavour, method: string, segments: readonly string[]): MatchedRoute | undefined {
  for (const [name, route] of Object.entries(ROUTES) as Array<[RouteName, Route]>) {
    if (route.method !== method || route.path.length !== segments.length) continue;
    if (route.appsOnly && api !== 'apps') continue;
    const params = { project: '', id: '', version: '' };
    const fits = route.path.every((segment, i) => {
      if (!segment.startsWith(':')) return segment === segments[i];
      params[segment.slice(1) as keyof RouteParams] = segments[i]!;
      return true;
    });
    if (fits) return { name, params };
  }
  return undefined;
}

/**
 * Why an id cannot be a segment of a call's path, or undefined. `.` and `..` go through
 * encodeURIComponent unchanged, and a URL resolves them: `GET /dashboards/p/..` is another call
 * than the one meant (a DELETE of another path). Refused in files and in answers alike.
 */
export function idSegmentProblem(id: string): string | undefined {
  return id === '.' || id === '..'
    ? `the id "${id}" would change the path of every call made with it: an id cannot be "." or ".."`
    : undefined;
}
