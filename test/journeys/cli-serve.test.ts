import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, tree } from '../helpers.js';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function startServe(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; out: () => string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 5000);
    child.stdout.on('data', () => {
      const m = /listening on (\S+)/.exec(out);
      if (m && out.includes('try: curl')) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
  });
  return { child, url, out: () => out };
}

describe('dashsync serve', () => {
  it('answers all five routes, then stops cleanly on SIGTERM', async () => {
    const started = Date.now();
    const { child, url, out } = await startServe([]);
    expect(Date.now() - started).toBeLessThan(3000);
    const token = /token \(random, for this run\): (\S+)/.exec(out())![1]!;
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const json = async (r: Response) => ({
      status: r.status,
      body: (await r.json()) as { status: string; data: unknown },
    });

    const saved = await json(
      await fetch(`${url}/dashboards/proj/save`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ scope: 'user', dashboard: { name: 'Via curl', definition: { a: 1 } } }),
      }),
    );
    expect(saved).toMatchObject({ status: 200, body: { status: 'success' } });
    const id = (saved.body.data as { id: string }).id;
    expect(await json(await fetch(`${url}/dashboards/list?scope=user`, { headers: h }))).toMatchObject({
      status: 200,
      body: { data: [{ id, project_id: 'proj', name: 'Via curl' }] },
    });
    expect(await json(await fetch(`${url}/dashboards/proj/list?scope=user`, { headers: h }))).toMatchObject({
      status: 200,
      body: { data: [{ id }] },
    });
    expect(await json(await fetch(`${url}/dashboards/proj/${id}?scope=user`, { headers: h }))).toMatchObject({
      status: 200,
      body: { data: { id, definition: { a: 1 } } },
    });
    expect(
      await json(await fetch(`${url}/dashboards/proj/${id}?scope=user`, { method: 'DELETE', headers: h })),
    ).toMatchObject({ status: 200, body: { data: null } });
    expect(await json(await fetch(`${url}/dashboards/proj/${id}?scope=user`, { headers: h }))).toMatchObject({
      status: 404,
      body: { status: 'error', data: null },
    });
    expect((await fetch(`${url}/dashboards/list`)).status).toBe(401);

    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });

  it('keeps its data in --data across a kill -9 and a restart', async () => {
    const data = join(tree(), 'ws.json');
    const first = await startServe(['--data', data, '--token', 'tok-123456789']);
    const h = { authorization: 'Bearer tok-123456789', 'content-type': 'application/json' };
    for (let i = 0; i < 5; i++)
      await fetch(`${first.url}/dashboards/p/save`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ dashboard: { name: `D${i}`, definition: {} } }),
      });
    first.child.kill('SIGKILL');
    const second = await startServe(['--data', data, '--token', 'tok-123456789']);
    expect(second.out()).toContain('5 dashboards loaded');
    const list = (await (await fetch(`${second.url}/dashboards/list`, { headers: h })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(5);
  });

  it('does not print a token it was given', async () => {
    const { out } = await startServe([], { DASHSYNC_TOKEN: 'given-token-abcdef' });
    expect(out()).not.toContain('given-token-abcdef');
  });
});
