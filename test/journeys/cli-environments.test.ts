import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer, ServerOptions } from '../../src/emulator/server.js';
import { CLI, dashboardYaml, read, run, tree, write } from '../helpers.js';
import { spawn } from 'node:child_process';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function two(
  b: ServerOptions = {},
): Promise<{ a: RunningServer; b: RunningServer; env: Record<string, string>; config: string }> {
  const a = await startServer({ token: 'token-for-a-123456' });
  const bs = await startServer({ token: 'token-for-b-654321', ...b });
  servers.push(a, bs);
  const config = `environments:
  a:
    url: ${a.url}
    token_env: TOKEN_A
    projects: { sales: sales-a, ops: ops-a }
  b:
    url: ${bs.url}
    token_env: TOKEN_B
    projects: { sales: sales-b, ops: ops-b }
`;
  return { a, b: bs, env: { TOKEN_A: a.token, TOKEN_B: bs.token }, config };
}

const snapshot = (s: RunningServer) =>
  JSON.stringify(
    s.store
      .list('user')
      .map((d) => [d.id, d.project_id, d.name, d.definition, d.updated_at])
      .sort(),
  );

describe('environments', () => {
  it('promotes the same files from workspace A to B: creates all in B, then both are no-ops and A is untouched', async () => {
    const { a, b, env, config } = await two();
    const dir = tree({
      'dashsync.yaml': config,
      'dashboards/sales/rev.yaml': dashboardYaml('Revenue'),
      'dashboards/ops/lat.yaml': dashboardYaml('Latency'),
    });
    expect((await run(dir, ['apply', '--env', 'a', '--yes'], env)).code).toBe(0);
    const filesAfterA = read(dir, 'dashboards/sales/rev.yaml');
    const aBefore = snapshot(a);

    const toB = await run(dir, ['apply', '--env', 'b', '--yes'], env);
    expect(toB.code).toBe(0);
    expect(toB.stdout).toContain('Apply complete: 2 created');
    expect(b.store.list('user', 'sales-b').map((d) => d.name)).toEqual(['Revenue']);
    expect(b.store.list('user', 'ops-b').map((d) => d.name)).toEqual(['Latency']);
    // The target accepted the files' ids: same id in both workspaces, no id map needed.
    expect(b.store.list('user', 'sales-b')[0]!.id).toBe(a.store.list('user', 'sales-a')[0]!.id);
    expect(existsSync(join(dir, 'dashsync.ids.yaml'))).toBe(false);
    expect(read(dir, 'dashboards/sales/rev.yaml')).toBe(filesAfterA);

    expect((await run(dir, ['plan', '--env', 'b', '--detailed-exitcode'], env)).code).toBe(0);
    expect((await run(dir, ['plan', '--env', 'a', '--detailed-exitcode'], env)).code).toBe(0);
    expect(snapshot(a)).toBe(aBefore);
  });

  it('records the ids of a workspace that refuses client ids in dashsync.ids.yaml, and stays a no-op', async () => {
    for (const mode of ['ignore', 'reject'] as const) {
      const { a, b, env, config } = await two({ clientIds: mode });
      const dir = tree({ 'dashsync.yaml': config, 'dashboards/sales/rev.yaml': dashboardYaml('Revenue') });
      await run(dir, ['apply', '--env', 'a', '--yes'], env);
      const fileBefore = read(dir, 'dashboards/sales/rev.yaml');
      const r = await run(dir, ['apply', '--env', 'b', '--yes'], env);
      expect(r.code).toBe(0);
      const idA = a.store.list('user', 'sales-a')[0]!.id;
      const idB = b.store.list('user', 'sales-b')[0]!.id;
      expect(idB).not.toBe(idA);
      expect(read(dir, 'dashsync.ids.yaml')).toContain(`${idA}: ${idB}`);
      expect(read(dir, 'dashboards/sales/rev.yaml')).toBe(fileBefore);
      expect((await run(dir, ['plan', '--env', 'b', '--detailed-exitcode'], env)).code).toBe(0);
      expect((await run(dir, ['plan', '--env', 'a', '--detailed-exitcode'], env)).code).toBe(0);
      // A crash before the map was written: the namesake is adopted, not duplicated.
      write(dir, 'dashsync.ids.yaml', '{}\n');
      const again = await run(dir, ['apply', '--env', 'b', '--yes'], env);
      expect(again.code).toBe(0);
      expect(b.store.list('user', 'sales-b')).toHaveLength(1);
      expect(read(dir, 'dashsync.ids.yaml')).toContain(`${idA}: ${idB}`);
      await Promise.all(servers.splice(0).map((s) => s.close()));
    }
  });

  it('renders per-environment variables, compares rendered values, and pull keeps the placeholders', async () => {
    const { a, b, env, config } = await two();
    const cfg = `${config.replace('  b:\n', '  b:\n    variables: { source: prod-db, limit: 500 }\n')}variables:\n  source: staging-db\n  limit: 100\n`;
    const dir = tree({
      'dashsync.yaml': cfg,
      'dashboards/sales/rev.yaml':
        '# uses variables\nname: Revenue (${{ var.source }})\ndefinition:\n  datasource: ${{ var.source }}\n  limit: ${{ var.limit }}\n  literal: $${{ var.source }}\n  title: Revenue\n',
    });
    await run(dir, ['apply', '--env', 'a', '--yes'], env);
    await run(dir, ['apply', '--env', 'b', '--yes'], env);
    expect(a.store.list('user', 'sales-a')[0]).toMatchObject({
      name: 'Revenue (staging-db)',
      definition: { datasource: 'staging-db', limit: 100, literal: '${{ var.source }}' },
    });
    expect(b.store.list('user', 'sales-b')[0]).toMatchObject({
      name: 'Revenue (prod-db)',
      definition: { datasource: 'prod-db', limit: 500 },
    });
    expect((await run(dir, ['plan', '--env', 'b', '--detailed-exitcode'], env)).code).toBe(0);

    // A remote change to another field: pull rewrites that field and keeps every placeholder.
    const d = b.store.list('user', 'sales-b')[0]!;
    await b.store.save('user', 'sales-b', {
      id: d.id,
      name: d.name,
      definition: { ...d.definition, title: 'Revenue (edited in UI)' },
    });
    const pulled = await run(dir, ['pull', '--env', 'b'], env);
    expect(pulled.code).toBe(0);
    const text = read(dir, 'dashboards/sales/rev.yaml');
    expect(text).toContain('name: Revenue (${{ var.source }})');
    expect(text).toContain('datasource: ${{ var.source }}');
    expect(text).toContain('limit: ${{ var.limit }}');
    expect(text).toContain('title: Revenue (edited in UI)');
    expect(text).toContain('# uses variables');
  });

  it('reports an undefined variable as a validation error with its line and column', async () => {
    const dir = tree({
      'dashsync.yaml': 'variables: { a: 1 }\n',
      'dashboards/p/x.yaml': 'name: X\ndefinition:\n  q: SELECT ${{ var.missing }}\n',
    });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dashboards/p/x.yaml:3:6: variable "missing" is not defined for this environment');
  });
});

describe('migrate', () => {
  it('copies every dashboard from A to B, and a second run is a no-op; the source is only read', async () => {
    const { a, b, env, config } = await two();
    for (let i = 0; i < 12; i++)
      await a.store.save('user', i % 2 ? 'sales-a' : 'ops-a', {
        name: `Board ${i}`,
        definition: { i, widgets: [{ q: `SELECT ${i}` }] },
      });
    const before = snapshot(a);
    const dir = tree({ 'dashsync.yaml': config });
    const dry = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--dry-run', '--detailed-exitcode'], env);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain('Plan: 12 to create, 0 to update, 0 to delete.');
    expect(b.store.count()).toBe(0);
    const refused = await run(dir, ['migrate', '--from', 'a', '--to', 'b'], env);
    expect(refused.code).toBe(1);
    expect(b.store.count()).toBe(0);
    const r = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Migration complete: 12 created');
    expect(b.store.list('user', 'sales-b')).toHaveLength(6);
    expect(b.store.list('user', 'ops-b')).toHaveLength(6);
    const again = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).plan.changes).toBe(false);
    expect(snapshot(a)).toBe(before);
  });

  it('maps projects with --project SRC=DST', async () => {
    const { a, b, env, config } = await two();
    await a.store.save('user', 'sales-a', { name: 'S', definition: {} });
    await a.store.save('user', 'ops-a', { name: 'O', definition: {} });
    const dir = tree({ 'dashsync.yaml': config });
    const r = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--project', 'sales-a=elsewhere', '--yes'], env);
    expect(r.code).toBe(0);
    expect(b.store.list('user', 'elsewhere').map((d) => d.name)).toEqual(['S']);
    expect(b.store.count()).toBe(1);
  });

  it('completes an interrupted migration without duplicates', async () => {
    const { a, b, env, config } = await two({ latencyMs: 30 });
    for (let i = 0; i < 40; i++) await a.store.save('user', 'sales-a', { name: `Board ${i}`, definition: { i } });
    const dir = tree({ 'dashsync.yaml': config });
    const child = spawn(process.execPath, [CLI, 'migrate', '--from', 'a', '--to', 'b', '--yes', '--concurrency', '2'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (b.store.count() >= 5) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => child.once('exit', r));
    const partial = b.store.count();
    expect(partial).toBeLessThan(40);
    const r = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes'], env);
    expect(r.code).toBe(0);
    expect(b.store.count()).toBe(40);
    expect(new Set(b.store.list('user').map((d) => d.name)).size).toBe(40);
  });
});
