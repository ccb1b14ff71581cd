import { describe, expect, it } from 'vitest';
import { DOCUMENTED_STATUSES, envelopeStatus } from '../../src/api/envelope.js';
import { matchRoute, routePath, ROUTES } from '../../src/api/routes.js';
import type { RouteName } from '../../src/api/routes.js';

/* The API contract the client and the emulator share: a path the client builds is the call the emulator recognises. */

describe('the routes', () => {
  const params = { project: 'sales/analytics', id: 'app 1', version: 'v%2' };
  const names = Object.keys(ROUTES) as RouteName[];

  it('recognise every path the client builds as the same call, its parameters decoded', () => {
    for (const name of names) {
      const path = routePath('apps', name, params);
      const [, api, ...segments] = path.split('/');
      expect(api).toBe('apps');
      const matched = matchRoute('apps', ROUTES[name].method, segments.map(decodeURIComponent));
      expect([name, matched?.name]).toEqual([name, name]);
      for (const key of ROUTES[name].path.filter((segment) => segment.startsWith(':')))
        expect(matched!.params[key.slice(1) as keyof typeof params]).toBe(params[key.slice(1) as keyof typeof params]);
    }
  });

  it('give the deprecated /dashboards paths the five shared calls only, and prefer fixed words to parameters', () => {
    const shared = names.filter((name) =>
      matchRoute(
        'dashboards',
        ROUTES[name].method,
        routePath('dashboards', name, params).split('/').slice(2).map(decodeURIComponent),
      ),
    );
    expect(shared).toEqual(['listAll', 'listProject', 'get', 'save', 'delete']);
    expect(matchRoute('apps', 'GET', ['p', 'list'])?.name).toBe('listProject');
    expect(matchRoute('apps', 'PUT', ['p', 'a'])).toBeUndefined();
    expect(() => routePath('apps', 'get', { project: 'p' })).toThrow('route get needs id');
  });
});

describe('the envelope', () => {
  it('carries the status each documented HTTP status comes with', () => {
    for (const [code, documented] of Object.entries(DOCUMENTED_STATUSES))
      expect([code, envelopeStatus(Number(code))]).toEqual([code, documented.status]);
    expect(envelopeStatus(503)).toBe('error');
  });
});
