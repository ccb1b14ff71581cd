import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { DashboardsClient } from '../../src/remote/client.js';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { tree } from '../helpers.js';

const TOKEN = 'secret-token-9f8e7d6c5b4a';
const servers: Array<{ close(): Promise<void> }> = [];
const clients: DashboardsClient[] = [];

async function setup(
  opts: Parameters<typeof startServer>[0] = {},
  scope: 'user' | 'organization' = 'user',
): Promise<{ server: RunningServer; client: DashboardsClient }> {
  const server = await startServer({ token: TOKEN, ...opts });
  servers.push(server);
  const client = new DashboardsClient({ baseUrl: server.url, token: TOKEN, scope, retry: { attempts: 1 } });
  clients.push(client);
  return { server, client };
}

/** A hand-written server answering every call with `handler`, and a client of it (fast retries). */
async function stubbed(
  handler: Parameters<typeof createServer>[1],
  options: { path?: string; retry?: { baseDelayMs: number } } = {},
): Promise<DashboardsClient> {
  const http = createServer(handler);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  servers.push({ close: () => new Promise((r) => http.close(() => r())) });
  const client = new DashboardsClient({
    baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}${options.path ?? ''}`,
    token: TOKEN,
    scope: 'user',
    ...(options.retry ? { retry: options.retry } : {}),
  });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('client against the emulator', () => {
  it('creates, lists, gets, updates and deletes over real HTTP', async () => {
    const { client } = await setup();
    const id = await client.save('proj-1', { name: 'Sales', definition: { widgets: [{ type: 'chart' }] } });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await client.save('proj-2', { name: 'Ops', definition: {} });
    const all = await client.listAll();
    expect(all.map((d) => d.name).sort()).toEqual(['Ops', 'Sales']);
    expect(all.every((d) => typeof d.updatedAt === 'string')).toBe(true);
    expect((await client.listProject('proj-1')).map((d) => d.id)).toEqual([id]);
    expect(await client.get('proj-1', id)).toMatchObject({
      id,
      projectId: 'proj-1',
      name: 'Sales',
      definition: { widgets: [{ type: 'chart' }] },
    });
    expect(await client.save('proj-1', { id, name: 'Sales v2', definition: {} })).toBe(id);
    expect((await client.get('proj-1', id))?.name).toBe('Sales v2');
    await client.delete('proj-1', id);
    expect(await client.get('proj-1', id)).toBeUndefined();
    expect(await client.listProject('proj-1')).toEqual([]);
  });

  it('percent-encodes path segments', async () => {
    const { client, server } = await setup();
    const id = await client.save('a b/c?d', { name: 'Odd', definition: {} });
    expect(server.store.get('user', 'a b/c?d', id)).toBeDefined();
    expect((await client.get('a b/c?d', id))?.name).toBe('Odd');
  });

  it('keeps scopes apart', async () => {
    const { server, client: user } = await setup();
    const org = new DashboardsClient({ baseUrl: server.url, token: TOKEN, scope: 'organization' });
    clients.push(org);
    await user.save('p', { name: 'Mine', definition: {} });
    await org.save('p', { name: 'Ours', definition: {} });
    expect((await user.listAll()).map((d) => d.name)).toEqual(['Mine']);
    expect((await org.listAll()).map((d) => d.name)).toEqual(['Ours']);
  });

  it('accepts the cloud path form /jarvispy/{org}/{user}/api/v1', async () => {
    const { server } = await setup();
    const c = new DashboardsClient({
      baseUrl: server.url.replace('/api/v1', '/jarvispy/acme/me/api/v1'),
      token: TOKEN,
      scope: 'user',
    });
    clients.push(c);
    expect(await c.listAll()).toEqual([]);
  });

  it('rejects a bad token with a readable message that does not hold the token', async () => {
    const { server } = await setup();
    const c = new DashboardsClient({
      baseUrl: server.url,
      token: 'wrong-token-zzzz',
      scope: 'user',
      retry: { attempts: 1 },
    });
    clients.push(c);
    const e = await caught(c.listAll());
    expect(e.kind).toBe('unauthorized');
    expect(e.status).toBe(401);
    expect(e.message).toContain('GET /dashboards/list?scope=user failed (401): Invalid or expired token');
    expect(e.suggestion).toContain('DASHSYNC_TOKEN');
    expect(`${e.message} ${e.suggestion} ${e.stack}`).not.toContain('wrong-token-zzzz');
  });

  it('reports a malformed save as a validation error with the server message', async () => {
    const { client } = await setup();
    const e = await caught(client.save('p', { name: '', definition: {} }));
    expect(e.kind).toBe('validation');
    expect(e.message).toContain("POST /dashboards/p/save failed (400): Field 'dashboard.name'");
  });

  it('reports a refused connection as a network error naming the call', async () => {
    const { server } = await setup();
    const url = server.url;
    await server.close();
    const c = new DashboardsClient({ baseUrl: url, token: TOKEN, scope: 'user', retry: { attempts: 1 } });
    clients.push(c);
    const e = await caught(c.listAll());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/GET \/dashboards\/list\?scope=user failed: connection refused/);
  });

  it('reports a dropped connection, and retries it when the call is safe to repeat', async () => {
    const { server } = await setup({ failRate: 1, faults: ['drop'] });
    const c = new DashboardsClient({
      baseUrl: server.url,
      token: TOKEN,
      scope: 'user',
      retry: { attempts: 3, baseDelayMs: 1 },
    });
    clients.push(c);
    const e = await caught(c.listAll());
    expect(e.kind).toBe('network');
    expect(e.message).toContain('dropped');
    expect(server.stats.fault).toBe(3);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    let calls = 0;
    const c = await stubbed(
      (req, res) => {
        calls++;
        if (calls === 1) {
          res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
          return res.end(JSON.stringify({ status: 'error', message: 'slow down', data: null }));
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'success',
            message: 'ok',
            data: [{ id: 'a', project_id: 'p', name: 'A', surprise: 1 }],
          }),
        );
      },
      { retry: { baseDelayMs: 1 } },
    );
    expect(await c.listAll()).toEqual([{ id: 'a', projectId: 'p', name: 'A' }]);
    expect(calls).toBe(2);
  });

  it('tries a call answered 503 five times in all (four retries, the one default), then gives up with the 503', async () => {
    let calls = 0;
    const c = await stubbed(
      (_req, res) => {
        calls++;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', message: 'busy', data: null }));
      },
      { retry: { baseDelayMs: 1 } },
    );
    expect((await caught(c.listAll())).status).toBe(503);
    expect(calls).toBe(5);
  });

  it('gives a clear error for a response that is not JSON', async () => {
    const c = await stubbed(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      },
      { path: '/api/v1' },
    );
    const e = await caught(c.listAll());
    expect(e.kind).toBe('protocol');
    expect(e.message).toContain('not JSON');
  });

  it('never makes a duplicate when a create is dropped after the server committed it', async () => {
    const { server } = await setup({ failRate: 0.5, faults: ['drop-after-commit'], seed: 7 });
    const c = new DashboardsClient({
      baseUrl: server.url,
      token: TOKEN,
      scope: 'user',
      retry: { attempts: 8, baseDelayMs: 1 },
    });
    clients.push(c);
    const known = new Set<string>();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await c.save('p', { name: `Board ${i}`, definition: { i } }, known));
    const stored = server.store.list('user', 'p');
    expect(stored).toHaveLength(20);
    expect(new Set(stored.map((d) => d.id))).toEqual(new Set(ids));
    expect(server.stats.fault).toBeGreaterThan(3);
  });
});

describe('emulator', () => {
  it('answers the documented envelope and status codes', async () => {
    const { server } = await setup();
    const call = async (method: string, path: string, body?: unknown, auth = `Bearer ${TOKEN}`) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: auth, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as { status: string; message: string; data: unknown } };
    };
    expect(await call('GET', '/dashboards/list')).toMatchObject({ status: 200, body: { status: 'success', data: [] } });
    expect(await call('GET', '/dashboards/list', undefined, '')).toMatchObject({
      status: 401,
      body: { status: 'error', data: null },
    });
    expect(await call('GET', '/dashboards/p/nope?scope=user')).toMatchObject({
      status: 404,
      body: { status: 'error', data: null },
    });
    expect(await call('POST', '/dashboards/p/save', '{not json')).toMatchObject({
      status: 400,
      body: { status: 'error' },
    });
    expect(await call('POST', '/dashboards/p/save', { scope: 'galaxy', dashboard: { name: 'x' } })).toMatchObject({
      status: 400,
    });
    const saved = await call('POST', '/dashboards/p/save', {
      scope: 'user',
      dashboard: { name: 'X', definition: { a: 1 } },
    });
    expect(saved).toMatchObject({ status: 200, body: { status: 'success', data: { id: expect.any(String) } } });
    const id = (saved.body.data as { id: string }).id;
    expect(saved.body.message).toBe(`Dashboard '${id}' saved successfully`);
    const got = await call('GET', `/dashboards/p/${id}?scope=user`);
    expect(got.body.data).toMatchObject({
      id,
      project_id: 'p',
      name: 'X',
      definition: { a: 1 },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const listed = await call('GET', '/dashboards/p/list');
    expect(Object.keys((listed.body.data as object[])[0]!).sort()).toEqual([
      'created_at',
      'id',
      'name',
      'project_id',
      'updated_at',
    ]);
    expect(await call('DELETE', `/dashboards/p/${id}?scope=user`)).toMatchObject({
      status: 200,
      body: { status: 'success', data: null },
    });
    expect(await call('DELETE', `/dashboards/p/${id}?scope=user`)).toMatchObject({ status: 404 });
  });

  it('keeps data across a restart with --data, written atomically', async () => {
    const file = join(tree(), 'data.json');
    const first = await startServer({ token: TOKEN, dataFile: file });
    const c1 = new DashboardsClient({ baseUrl: first.url, token: TOKEN, scope: 'user' });
    const id = await c1.save('p', { name: 'Kept', definition: { x: [1, 2] } });
    await c1.close();
    await first.close();
    const second = await startServer({ token: TOKEN, dataFile: file });
    servers.push(second);
    const c2 = new DashboardsClient({ baseUrl: second.url, token: TOKEN, scope: 'user' });
    clients.push(c2);
    expect(await c2.get('p', id)).toMatchObject({ name: 'Kept', definition: { x: [1, 2] } });
  });

  it('changes updated_at on every save', async () => {
    const { client } = await setup();
    const id = await client.save('p', { name: 'A', definition: {} });
    const before = (await client.listAll())[0]!.updatedAt;
    await client.save('p', { id, name: 'A', definition: { x: 1 } });
    expect((await client.listAll())[0]!.updatedAt).not.toBe(before);
  });
});
