import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWatchSession } from '../../src/commands/watch/watch.js';
import type { CommandEvent } from '../../src/contract/events.js';
import type { Reporter } from '../../src/contract/reporter.js';
import type { WatchNotice } from '../../src/contract/watch.js';
import { plannedDeploys, stepsFor } from '../../src/core/deploy.js';
import type { Action, DeployOptions, Plan } from '../../src/core/types.js';
import { ApiError } from '../../src/errors.js';
import { appFileSchemaText } from '../../src/flavours/apps/file-schema.js';
import { flavourOf } from '../../src/flavours/index.js';
import { resolveSettings } from '../../src/config/resolve.js';
import { readFolder } from '../../src/local/folder.js';
import type { CachedFile } from '../../src/local/file-cache.js';
import { DashboardsClient } from '../../src/remote/client.js';
import { deployPlanLines } from '../../src/report/deploy-text.js';
import { watchNoticeToJson } from '../../src/report/result-json.js';
import { makeStyle } from '../../src/report/style.js';
import { ROOT, read, run, tree, write, appsExampleRepo, useEmulators } from '../helpers.js';

/*
 * The API flavour (src/flavours/): picked from api:, and what each flavour does with a file's own
 * keys; the rule that combines a file's publish: and bookmark: with the flags; watch taking the
 * steps after its saves; the User-Agent every call carries; a list row the apps API would not send.
 */

const server = useEmulators();
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const save = (path: string, deploy?: DeployOptions) =>
  ({
    kind: 'update',
    path,
    projectId: 'p',
    folder: 'p',
    id: path,
    name: path,
    local: { name: path, definition: {} },
    remote: { name: path, definition: { old: true } },
    reason: 'local-edit',
    adopt: false,
    localHash: 'l',
    remoteHash: 'r',
    ...(deploy ? { deploy } : {}),
  }) as Action;
const planOf = (...actions: Action[]): Plan => ({ actions, unmanaged: [], unchanged: 0 });

describe('the steps after a save: a file’s own key decides for its app, the flags for the rest', () => {
  it('publishes where the file says publish: true, without a flag', () => {
    expect(stepsFor(save('a', { publish: true }), {})).toEqual({ publish: true });
    expect(stepsFor(save('b'), {})).toEqual({});
  });

  it('keeps a draft where the file says publish: false, under --publish', () => {
    expect(stepsFor(save('a', { publish: false }), { publish: true })).toEqual({});
    expect(stepsFor(save('b'), { publish: true })).toEqual({ publish: true });
  });

  it("takes the file's bookmark label over --bookmark's, and the flag's publish beside it", () => {
    expect(stepsFor(save('a', { bookmark: 'mine' }), { bookmark: 'sha', publish: true })).toEqual({
      publish: true,
      bookmark: 'mine',
    });
  });

  it('takes no step for an action that saves nothing', () => {
    const link: Action = { kind: 'link', path: 'a', projectId: 'p', folder: 'p', id: 'a', name: 'a', hash: 'h' };
    expect(stepsFor({ ...link, deploy: { publish: true } } as Action, { publish: true })).toEqual({});
  });

  it('lists the apps a plan deploys in its order, grouped by their steps on the terminal', () => {
    const plan = planOf(save('x', { publish: false }), save('y', { bookmark: 'v2' }), save('z'));
    expect(plannedDeploys(plan, { publish: true }).map((planned) => planned.path)).toEqual(['y', 'z']);
    expect(deployPlanLines(plan, { publish: true }, makeStyle(false))).toBe(
      '\nAfter saving, for each of 1 app: bookmark the new checkpoint as "v2", then publish.\n  ^ y' +
        '\nAfter saving, for each of 1 app: publish.\n  ^ z',
    );
    expect(deployPlanLines(planOf(save('x', { publish: false })), { publish: true }, makeStyle(false))).toBe(
      '\nNothing to publish: each app saved keeps its draft (publish: false in its file).',
    );
  });
});

describe('the flavour, picked once from api:', () => {
  const settingsOf = (config: string) => resolveSettings({}, tree({ 'dashsync.yaml': config }), {});

  it('is the apps flavour with api: apps and the dashboards one otherwise, each with its words', async () => {
    expect(await flavourOf(settingsOf('api: apps\n'))).toMatchObject({
      api: 'apps',
      noun: { one: 'app', many: 'apps' },
    });
    expect(await flavourOf(settingsOf('{}\n'))).toMatchObject({ api: 'dashboards', noun: { one: 'dashboard' } });
  });

  it('refuses --publish and --bookmark for the dashboards API, and an empty --bookmark for apps', async () => {
    const dashboards = await flavourOf(settingsOf('{}\n'));
    const apps = await flavourOf(settingsOf('api: apps\n'));
    expect(() => dashboards.checkSteps({ publish: true })).toThrow('--publish needs the /apps API');
    expect(() => apps.checkSteps({ bookmark: ' ' })).toThrow('--bookmark needs a label');
    expect(() => apps.checkSteps({ publish: true, bookmark: 'v1' })).not.toThrow();
  });

  it("reads an app file's keys into its steps, and keeps them when the file is known from the cache", async () => {
    const dir = appsExampleRepo();
    const path = 'dashboards/sales/top-customers.yaml';
    write(dir, path, read(dir, path).replace(/^(name: .*\n)/m, '$1publish: true\nbookmark: v1\n'));
    const settings = resolveSettings({}, dir, {});
    const { reading } = await flavourOf(settings);
    const folder = { cwd: dir, dir: join(dir, 'dashboards'), projects: settings.projects, reading, light: true };
    const first = await readFolder(folder);
    expect(first.problems).toEqual([]);
    const deployOf = (files: typeof first.files) => files.find((file) => file.path === path)?.deploy;
    expect(deployOf(first.files)).toEqual({ publish: true, bookmark: 'v1' });
    expect(first.files.filter((file) => file.deploy !== undefined)).toHaveLength(1);
    // Read again through the cache: no file is parsed, and the steps are still there.
    const cache = new Map<string, CachedFile>([...first.cache].map(([key, entry]) => [key, { ...entry }]));
    const again = await readFolder({ ...folder, cache });
    expect(deployOf(again.files)).toEqual({ publish: true, bookmark: 'v1' });
    // The keys are not content: the same app with or without them hashes alike.
    const other = appsExampleRepo();
    const plain = await readFolder({ ...folder, cwd: other, dir: join(other, 'dashboards') });
    const hashOf = (files: typeof first.files) => files.find((file) => file.path === path)?.contentHash;
    expect(hashOf(first.files)).toBe(hashOf(plain.files));
  });

  it('ships schemas/app-file.schema.json exactly as the app file keys make it (npm run schemas)', () => {
    const committed = readFileSync(join(ROOT, 'schemas', 'app-file.schema.json'), 'utf8');
    expect(committed).toBe(appFileSchemaText());
    expect(JSON.parse(committed).properties).toMatchObject({
      publish: { type: 'boolean' },
      bookmark: { type: 'string', minLength: 1 },
    });
  });
});

/** A reporter that keeps the watch notices it is shown. */
function noticeRecorder(): Reporter & { notices: WatchNotice[] } {
  const notices: WatchNotice[] = [];
  const show = (e: CommandEvent): void => {
    if (e.type === 'watch') notices.push(e.notice);
  };
  return { show, event: () => {}, warn: () => {}, debug: () => {}, notices };
}

describe('watch takes the steps a file asks for after each save', () => {
  it('publishes an app whose file says publish: true at start and after a batch, and no other', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    const top = 'dashboards/sales/top-customers.yaml';
    const orders = 'dashboards/sales/order-search.yaml';
    write(dir, top, read(dir, top).replace(/^(name: .*\n)/m, '$1publish: true\n'));
    const reporter = noticeRecorder();
    const session = await openWatchSession({ cwd: dir, env: s.env, reporter, interval: 0 });
    try {
      await session.start();
      const app = (name: string) => s.store.list('user').find((stored) => stored.name === name)!;
      const newest = (name: string) => app(name).versions!.at(-1)!.version_id;
      expect(app('Top Customers').published_version_id).toBe(newest('Top Customers'));
      expect(app('Order Search').published_version_id).toBeUndefined();
      const published = reporter.notices.filter((notice) => notice.kind === 'published');
      expect(published).toEqual([{ kind: 'published', path: top, id: app('Top Customers').id }]);
      expect(watchNoticeToJson(published[0]!, new Date(0))).toEqual({
        time: '1970-01-01T00:00:00.000Z',
        event: 'published',
        path: top,
        id: app('Top Customers').id,
      });
      for (const path of [top, orders]) write(dir, path, read(dir, path).replace(/^( {6}label: .*)$/m, '$1 (2)'));
      expect(await session.syncChanges([top, orders])).toBe(true);
      expect(app('Top Customers').versions).toHaveLength(2);
      expect(app('Top Customers').published_version_id).toBe(newest('Top Customers'));
      expect(app('Order Search').published_version_id).toBeUndefined();
      expect(session.result).toMatchObject({ created: 3, updated: 2, failed: 0 });
    } finally {
      await session.stop();
      await session.close();
    }
  });
});

describe('what every call carries, and what a list must hold', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((stub) => stub.close()));
  });

  /** A server on 127.0.0.1 that lists one app without its project_id. */
  async function listingWithoutProject(): Promise<string> {
    const http = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', message: 'ok', data: [{ id: 'a1', name: 'Leads' }] }));
    });
    await new Promise<void>((listening) => http.listen(0, '127.0.0.1', listening));
    servers.push({ close: () => new Promise((closed) => http.close(() => closed())) });
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1`;
  }

  it('names dashsync and its version in the User-Agent of every call, as the emulator records', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    const r = await run(dir, ['apply', '--yes', '--publish', '--debug'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect([...s.clients.keys()]).toEqual([`dashsync/${VERSION}`]);
    const calls = s.stats.list + s.stats.get + s.stats.save + s.stats.versions;
    expect(s.clients.get(`dashsync/${VERSION}`)).toBe(calls);
    expect(calls).toBeGreaterThan(3);
    expect(r.stderr).toContain(`(Authorization: Bearer ***, User-Agent: dashsync/${VERSION})`);
  });

  it('refuses a list row without project_id in apps mode, saying "app" and naming the call', async () => {
    const baseUrl = await listingWithoutProject();
    const client = new DashboardsClient({ baseUrl, token: 't', scope: 'user', api: 'apps', retry: { attempts: 1 } });
    try {
      const failure = await client.listAll().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).message).toBe(
        'GET /apps/list?scope=user failed (200): a listed app has no project_id: {"id":"a1","name":"Leads"}',
      );
      expect((failure as ApiError).suggestion).toBe(
        'the server does not answer as the Apps API documents; nothing was recorded from this answer',
      );
    } finally {
      await client.close();
    }
  });

  it('stops pull there, as any answer of the wrong shape, before a file is written', async () => {
    const baseUrl = await listingWithoutProject();
    const dir = tree({ 'dashsync.yaml': 'api: apps\n' });
    const r = await run(dir, ['pull'], { DASHSYNC_URL: baseUrl, DASHSYNC_TOKEN: 'token-123456789' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('GET /apps/list?scope=user failed (200): a listed app has no project_id');
    expect(r.stderr).not.toContain('dashboard');
    expect(existsSync(join(dir, 'dashboards'))).toBe(false);
  });
});
