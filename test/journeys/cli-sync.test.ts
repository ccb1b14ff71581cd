import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardYaml, emulator, read, run, tree, write } from '../helpers.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(opts: Parameters<typeof emulator>[0] = {}) {
  const s = await emulator(opts);
  servers.push(s);
  return s;
}

describe('validate', () => {
  it('reports each problem as path:line:col and exits 1, without a stack trace', async () => {
    const dir = tree({
      'dashboards/sales/good.yaml': dashboardYaml('Good'),
      'dashboards/sales/bad.yaml': 'name: Bad\ndefinition: {}\ncolor: red\n',
      'dashboards/sales/broken.yml': 'name: [unclosed\n',
      'dashboards/loose.yaml': dashboardYaml('Loose'),
      'dashboards/sales/.hidden.yaml': 'not: [valid',
    });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dashboards/sales/bad.yaml:3:1: unknown key "color" (allowed: id, name, definition)');
    expect(r.stdout).toMatch(/dashboards\/sales\/broken\.yml:\d+:\d+: /);
    expect(r.stdout).toContain('dashboards/loose.yaml:1:1: dashboard files belong in a project folder');
    expect(r.stdout).not.toContain('.hidden');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('finds duplicate ids and id-less namesakes across files', async () => {
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A', '', 'same-id'),
      'dashboards/p/b.yaml': dashboardYaml('B', '', 'same-id'),
      'dashboards/p/c.yaml': dashboardYaml('Twin'),
      'dashboards/p/d.yaml': dashboardYaml('Twin'),
    });
    const r = await run(dir, ['validate', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      problems: Array<{ path: string; line: number; message: string }>;
    };
    expect(out.valid).toBe(false);
    expect(out.problems.map((p) => `${p.path}:${p.line}`)).toEqual(['dashboards/p/b.yaml:1', 'dashboards/p/d.yaml:1']);
  });

  it('rejects a bad dashsync.yaml with its line and column', async () => {
    const dir = tree({
      'dashsync.yaml': 'url: https://x\nprojets:\n  a: b\n',
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')[0]).toBe(
      'dashsync.yaml:2:1: unknown key "projets" (allowed: url, scope, api, dir, token_env, concurrency, projects, environments, variables, exclude, drift)',
    );
  });
});

describe('plan and apply', () => {
  it('creates everything, writes ids back without touching anything else, then has nothing to do', async () => {
    const s = await server();
    const original = '# keep this comment\nname: "Sales"  # and this one\n\ndefinition:\n  title: yes\n  widgets: []\n';
    const dir = tree({
      'dashboards/sales/sales.yaml': original,
      'dashboards/ops/latency.yaml': dashboardYaml('Latency'),
    });

    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('+ dashboards/ops/latency.yaml  "Latency"');
    expect(plan.stdout).toContain('+ dashboards/sales/sales.yaml  "Sales"');
    expect(plan.stdout.trim().split('\n').at(-1)).toBe('Plan: 2 to create, 0 to update, 0 to delete.');
    expect(s.store.count()).toBe(0);

    const refused = await run(dir, ['apply'], s.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'apply needs confirmation, and there is no terminal to ask on: nothing was changed',
    );
    expect(s.store.count()).toBe(0);

    const applied = await run(dir, ['apply', '--yes'], s.env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 2 created, 0 updated, 0 deleted.');
    const stored = s.store.list('user', 'sales');
    expect(stored).toHaveLength(1);
    expect(read(dir, 'dashboards/sales/sales.yaml')).toBe(
      original.replace('name: "Sales"', `id: ${stored[0]!.id}\nname: "Sales"`),
    );
    expect(stored[0]!.definition).toEqual({ title: 'yes', widgets: [] });

    const again = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('No changes. Remote matches local files.');
    const saves = s.stats.save;
    const reapply = await run(dir, ['apply', '--yes'], s.env);
    expect(reapply.code).toBe(0);
    expect(s.stats.save).toBe(saves);
  });

  it('shows an edit as a diff of only the changed region and applies it', async () => {
    const s = await server();
    const lines = Array.from({ length: 30 }, (_, i) => `  k${i}: v${i}`).join('\n');
    const dir = tree({ 'dashboards/p/big.yaml': `name: Big\ndefinition:\n${lines}\n` });
    await run(dir, ['apply', '--yes'], s.env);
    write(dir, 'dashboards/p/big.yaml', read(dir, 'dashboards/p/big.yaml').replace('k15: v15', 'k15: changed'));
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('~ dashboards/p/big.yaml  "Big"');
    expect(plan.stdout).toContain('-  k15: v15');
    expect(plan.stdout).toContain('+  k15: changed');
    expect(plan.stdout).toContain('k12: v12');
    expect(plan.stdout).not.toContain('k5: v5');
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    const applied = await run(dir, ['apply', '--yes'], s.env);
    expect(applied.code).toBe(0);
    expect(s.store.list('user', 'p')[0]!.definition.k15).toBe('changed');
  });

  it('prints the plan as documented JSON', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan', '--json'], s.env);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({
      format: 'dashsync-plan/1',
      changes: true,
      workspace: { url: s.url, scope: 'user' },
      summary: { create: 1, update: 0, delete: 0 },
    });
    expect(plan.actions).toEqual([
      {
        action: 'create',
        path: 'dashboards/p/a.yaml',
        project: 'p',
        projectId: 'p',
        name: 'A',
        localHash: expect.stringMatching(/^[0-9a-f]{32}$/),
        // What the new dashboard holds, in words.
        changes: [
          { kind: 'added', what: 'widget', id: '#1', type: 'chart', where: {}, text: 'the chart "#1" is added' },
        ],
      },
    ]);
  });

  it('adopts the dashboard left by a crash between create and id write-back instead of duplicating it', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const id = (
      await s.store.save('user', 'p', {
        name: 'A',
        definition: { title: 'A', widgets: [{ type: 'chart', query: 'SELECT 1' }] },
      })
    ).id;
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('= dashboards/p/a.yaml');
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code).toBe(0);
    expect(s.store.count()).toBe(1);
    expect(read(dir, 'dashboards/p/a.yaml')).toContain(`id: ${id}`);
  });

  it('changes nothing while the plan has an error, and exits 1', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Twin', definition: {} });
    await s.store.save('user', 'p', { name: 'Twin', definition: {} });
    const dir = tree({
      'dashboards/p/twin.yaml': dashboardYaml('Twin'),
      'dashboards/p/new.yaml': dashboardYaml('New'),
    });
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('x dashboards/p/twin.yaml');
    expect(r.stdout).toContain('2 remote dashboards in project p are named "Twin"');
    expect(r.stderr).toContain('error: the plan has 1 error (marked x above): nothing was applied');
    expect(
      s.store
        .list('user', 'p')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['Twin', 'Twin']);
    expect(read(dir, 'dashboards/p/new.yaml')).toBe(dashboardYaml('New'));
  });

  it('reports one failed action, carries out the others, and exits 1', async () => {
    const s = await server({
      intercept: (method, path) => (method === 'POST' && path.includes('/bad/') ? 500 : undefined),
    });
    const dir = tree({ 'dashboards/bad/b.yaml': dashboardYaml('B'), 'dashboards/p/new.yaml': dashboardYaml('New') });
    const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_RETRIES: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAILED  dashboards/bad/b.yaml');
    expect(r.stdout).toContain('Apply finished with errors: 1 created, 0 updated, 0 deleted, 1 failed.');
    expect(s.store.list('user', 'p').map((d) => d.name)).toEqual(['New']);
  });

  it('lists unmanaged dashboards without --prune and deletes them with it, only in local project folders', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Orphan', definition: {} });
    await s.store.save('user', 'other', { name: 'Elsewhere', definition: {} });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('Not managed here');
    expect(plan.stdout).toContain('"Orphan"');
    expect(plan.stdout).not.toContain('Elsewhere');
    const pruned = await run(dir, ['apply', '--yes', '--prune'], s.env);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('- dashboards/p/  "Orphan"');
    expect(s.store.list('user', 'p').map((d) => d.name)).toEqual(['A']);
    expect(s.store.list('user', 'other').map((d) => d.name)).toEqual(['Elsewhere']);
  });

  it('stops on an invalid file before a single request', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': 'name: B\n' });
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dashboards/p/b.yaml:1:1: missing key "definition"');
    expect(s.stats.list + s.stats.get + s.stats.save).toBe(0);
  });

  it('creates again, under its own id, a file whose dashboard was deleted remotely', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A', '', 'kept-id-1') });
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('id kept-id-1 is not in the workspace');
    await run(dir, ['apply', '--yes'], s.env);
    expect(s.store.get('user', 'p', 'kept-id-1')?.name).toBe('A');
  });

  it('maps project folders to project ids from dashsync.yaml and limits work with --project', async () => {
    const s = await server();
    const dir = tree({
      'dashsync.yaml': 'projects:\n  sales: 1111-sales\n',
      'dashboards/sales/a.yaml': dashboardYaml('A'),
      'dashboards/ops/b.yaml': dashboardYaml('B'),
    });
    const r = await run(dir, ['apply', '--yes', '--project', 'sales'], s.env);
    expect(r.code).toBe(0);
    expect(s.store.list('user', '1111-sales').map((d) => d.name)).toEqual(['A']);
    expect(s.store.list('user', 'ops')).toEqual([]);
  });

  it('says what to set when the token is missing', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan'], { DASHSYNC_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no API token: set DASHSYNC_TOKEN or PMTX_TOKEN (or pass --token)');
  });

  it('names the HTTP call when the server cannot be reached', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan'], {
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: 'some-token-value',
      DASHSYNC_RETRIES: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: GET /dashboards/list?scope=user failed: connection refused');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('never prints the token, not even with --debug or a rejected token', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const ok = await run(dir, ['apply', '--yes', '--debug'], s.env);
    expect(ok.stderr).toContain('Authorization: Bearer ***');
    const bad = await run(dir, ['plan', '--debug'], { ...s.env, DASHSYNC_TOKEN: 'wrong-token-QWERTY' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('token was rejected');
    for (const out of [ok.stdout, ok.stderr, bad.stdout, bad.stderr, read(dir, '.dashsync/state.json')]) {
      expect(out).not.toContain(s.token);
      expect(out).not.toContain('wrong-token-QWERTY');
    }
  });
});

describe('pull', () => {
  it('brings every project of the workspace into an empty folder, and a second pull changes no byte', async () => {
    const s = await server();
    await s.store.save('user', 'sales', {
      name: 'Revenue / EU',
      definition: { widgets: [{ q: 'SELECT 1\nFROM t\n' }] },
    });
    await s.store.save('user', 'sales', { name: 'revenue eu', definition: {} });
    await s.store.save('user', 'ops', { name: 'Latency', definition: {} });
    const dir = tree();
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'dashboards/sales')).sort()).toEqual(['revenue-eu-2.yaml', 'revenue-eu.yaml']);
    expect(read(dir, 'dashboards/sales/revenue-eu.yaml')).toContain('q: |\n');
    const before = read(dir, 'dashboards/sales/revenue-eu.yaml');
    const again = await run(dir, ['pull'], s.env);
    expect(again.stdout).toContain('0 new, 0 updated, 0 removed, 3 unchanged');
    expect(read(dir, 'dashboards/sales/revenue-eu.yaml')).toBe(before);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code).toBe(0);
  });

  it('changes no byte right after an apply', async () => {
    const s = await server();
    const text = '# mine\nname: A\ndefinition:\n  b: 1\n  a: 2\n';
    const dir = tree({ 'dashboards/p/a.yaml': text });
    await run(dir, ['apply', '--yes'], s.env);
    const after = read(dir, 'dashboards/p/a.yaml');
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(0);
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(after);
  });

  it('rewrites a file changed remotely, keeping its comments and key order', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': '# mine\nname: A\ndefinition:\n  # the title\n  title: Old\n  z: 1\n' });
    await run(dir, ['apply', '--yes'], s.env);
    const d = s.store.list('user', 'p')[0]!;
    await s.store.save('user', 'p', { id: d.id, name: 'A', definition: { z: 1, title: 'New' } });
    const r = await run(dir, ['pull'], s.env);
    expect(r.stdout).toContain('~ dashboards/p/a.yaml');
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(
      `# mine\nid: ${d.id}\nname: A\ndefinition:\n  # the title\n  title: New\n  z: 1\n`,
    );
  });

  it('never overwrites a local edit unless --force', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    await run(dir, ['apply', '--yes'], s.env);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    const edited = read(dir, 'dashboards/p/a.yaml');
    const kept = await run(dir, ['pull'], s.env);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('edited locally and not applied yet; kept');
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(edited);
    const forced = await run(dir, ['pull', '--force'], s.env);
    expect(forced.code).toBe(0);
    expect(read(dir, 'dashboards/p/a.yaml')).toContain('SELECT 1');
  });

  it('keeps a differing file when there is no sync state to tell who changed it', async () => {
    const s = await server();
    const id = (await s.store.save('user', 'p', { name: 'A', definition: { v: 1 } })).id;
    const dir = tree({ 'dashboards/p/a.yaml': `id: ${id}\nname: A\ndefinition:\n  v: 2\n` });
    const r = await run(dir, ['pull'], s.env);
    expect(r.stdout).toContain('no sync record');
    expect(read(dir, 'dashboards/p/a.yaml')).toContain('v: 2');
  });

  it('removes files of dashboards deleted remotely only with --prune', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    await run(dir, ['apply', '--yes'], s.env);
    const b = s.store.list('user', 'p').find((d) => d.name === 'B')!;
    await s.store.delete('user', 'p', b.id);
    const kept = await run(dir, ['pull'], s.env);
    expect(kept.stdout).toContain('not in the workspace');
    expect(existsSync(join(dir, 'dashboards/p/b.yaml'))).toBe(true);
    const pruned = await run(dir, ['pull', '--prune'], s.env);
    expect(pruned.stdout).toContain('- dashboards/p/b.yaml');
    expect(existsSync(join(dir, 'dashboards/p/b.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'dashboards/p/a.yaml'))).toBe(true);
  });

  it('round-trips tricky values: pull, apply sends nothing, pull changes nothing', async () => {
    const s = await server();
    const definition = {
      strings: ['yes', 'no', 'on', '0x1F', '1e3', '012', 'null', '~', '2026-01-01', ''],
      emoji: 'Ünïcødé 📈',
      empty: { o: {}, a: [] },
      nothing: null,
      deep: { a: { b: { c: { d: [1, [2, { e: 'f' }]] } } } },
      sql: 'SELECT a\nFROM t\nWHERE b = 1\n',
    };
    const id = (await s.store.save('user', 'p', { name: 'Tricky: "yes"', definition })).id;
    const dir = tree();
    await run(dir, ['pull'], s.env);
    const first = readdirSync(join(dir, 'dashboards/p'));
    const text = read(dir, `dashboards/p/${first[0]}`);
    expect(text).toContain('sql: |\n');
    const saves = s.stats.save;
    const applied = await run(dir, ['apply', '--yes'], s.env);
    expect(applied.stdout).toContain('No changes.');
    expect(s.stats.save).toBe(saves);
    expect(s.store.get('user', 'p', id)!.definition).toEqual(definition);
    await run(dir, ['pull'], s.env);
    expect(read(dir, `dashboards/p/${first[0]}`)).toBe(text);
  });

  it('refuses a project id that cannot be a folder name', async () => {
    const s = await server();
    await s.store.save('user', '../escape', { name: 'X', definition: {} });
    const dir = tree();
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cannot be used as a folder name');
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
  });
});

describe('doing no work twice', () => {
  it('a warm plan with no changes costs one list request and no get', async () => {
    const s = await server();
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`dashboards/p${i % 3}/d${i}.yaml`] = dashboardYaml(`D${i}`);
    const dir = tree(files);
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    // The first plan after apply proves what was saved (one get each: apply records no updated_at
    // it has not seen with the saved content); from then on a plan is one list.
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
    const before = { ...s.stats };
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code).toBe(0);
    expect(s.stats.list - before.list).toBe(1);
    expect(s.stats.get - before.get).toBe(0);
  });

  it('still sees a remote edit, and a local one, when the rest is skipped', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/b.yaml': dashboardYaml('B'),
      'dashboards/p/c.yaml': dashboardYaml('C'),
    });
    await run(dir, ['apply', '--yes'], s.env);
    await run(dir, ['plan'], s.env);
    const a = s.store.list('user', 'p').find((d) => d.name === 'A')!;
    await s.store.save('user', 'p', { id: a.id, name: 'A', definition: { edited: 'remotely' } });
    write(dir, 'dashboards/p/b.yaml', read(dir, 'dashboards/p/b.yaml').replace('SELECT 1', 'SELECT 2'));
    const gets = s.stats.get;
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('~ dashboards/p/a.yaml');
    expect(plan.stdout).toContain('apply will revert that change');
    expect(plan.stdout).toContain('~ dashboards/p/b.yaml');
    expect(plan.stdout).not.toContain('c.yaml');
    expect(s.stats.get - gets).toBe(2);
  });

  it('falls back to full fetches when the server gives no updated_at', async () => {
    const s = await server();
    const { createServer, request } = await import('node:http');
    // A proxy that strips updated_at from every response.
    const proxy = createServer((req, res) => {
      const up = request(
        `${s.url.replace('/api/v1', '')}${req.url}`,
        { method: req.method, headers: req.headers },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => {
            const out = body.replace(/,"updated_at":"[^"]*"/g, '');
            res.writeHead(r.statusCode ?? 500, {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(out),
            });
            res.end(out);
          });
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    servers.push({
      close: () =>
        new Promise((r) => {
          proxy.closeAllConnections();
          proxy.close(() => r());
        }),
    });
    const env = {
      DASHSYNC_URL: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
      DASHSYNC_TOKEN: s.token,
    };
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    await run(dir, ['apply', '--yes'], env);
    const a = s.store.list('user', 'p').find((d) => d.name === 'A')!;
    await s.store.save('user', 'p', { id: a.id, name: 'A', definition: { edited: 'remotely' } });
    const gets = s.stats.get;
    const plan = await run(dir, ['plan'], env);
    expect(plan.stdout).toContain('~ dashboards/p/a.yaml');
    expect(s.stats.get - gets).toBe(2);
  });
});
