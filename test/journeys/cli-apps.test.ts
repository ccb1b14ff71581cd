import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/emulator/server.js';
import type { StoredDashboard } from '../../src/emulator/store.js';
import { parseYaml } from '../../src/local/yaml.js';
import { read, run, tree, write, useEmulators, APPS_CONFIG, appsExampleRepo } from '../helpers.js';

/*
 * Journeys of `api: apps` through the built CLI against the emulator, with the apps of
 * examples/apps (shaped like Prometheux's tutorials).
 */

const server = useEmulators();

const CONFIG = APPS_CONFIG;

const exampleRepo = appsExampleRepo;

const apps = (s: RunningServer): StoredDashboard[] => s.store.list('user');
const byName = (s: RunningServer, name: string): StoredDashboard => apps(s).find((d) => d.name === name)!;
const checkpoints = (s: RunningServer): number => apps(s).reduce((n, d) => n + (d.versions?.length ?? 0), 0);

async function noChanges(dir: string, env: Record<string, string>): Promise<void> {
  const r = await run(dir, ['plan', '--detailed-exitcode'], env);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

describe('apps: one truth for id and name', () => {
  it('creates the tutorial apps once, stores id and name inside each definition, and plans no change after', async () => {
    const s = await server();
    const dir = exampleRepo();
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 3 created, 0 updated, 0 deleted.');
    const top = byName(s, 'Top Customers');
    expect(top.definition).toMatchObject({ id: top.id, name: 'Top Customers', schemaVersion: 2 });
    expect(checkpoints(s)).toBe(3);
    await noChanges(dir, s.env);
    const again = await run(dir, ['apply', '--yes'], s.env);
    expect(again.stdout).toContain('No changes');
    expect(checkpoints(s)).toBe(3);
  });

  it('pulls apps with their id and name written once, and a plan after the pull is a no-op', async () => {
    const s = await server();
    expect((await run(exampleRepo(), ['apply', '--yes'], s.env)).code).toBe(0);
    const dir = tree({ 'dashsync.yaml': CONFIG });
    expect((await run(dir, ['pull'], s.env)).code).toBe(0);
    const text = read(dir, 'dashboards/sales/top-customers.yaml');
    expect(text.match(/^\s*id: "?[0-9a-f-]{36}"?$/gm)).toHaveLength(1);
    expect(text.match(/^\s*name: Top Customers$/gm)).toHaveLength(1);
    // The id is quoted or not, as YAML needs (an id of digits and one "e" would read as a number).
    expect(text).toMatch(
      new RegExp(
        `^id: "?${byName(s, 'Top Customers').id}"?\nname: Top Customers\ndefinition:\n  schemaVersion: 2\n`,
        'm',
      ),
    );
    await noChanges(dir, s.env);
    expect(checkpoints(s)).toBe(3);
  });

  it('saves an edit exactly once, with one checkpoint, and a second apply saves nothing', async () => {
    const s = await server();
    const dir = exampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const path = 'dashboards/sales/order-search.yaml';
    write(dir, path, read(dir, path).replace('submitLabel: Find orders', 'submitLabel: Search orders'));
    const saves = s.stats.save;
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.stdout).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
    expect(s.stats.save - saves).toBe(1);
    expect(byName(s, 'Order Search').versions).toHaveLength(2);
    expect((await run(dir, ['apply', '--yes'], s.env)).stdout).toContain('No changes');
    expect(s.stats.save - saves).toBe(1);
    expect(checkpoints(s)).toBe(4);
  });

  it('renames an app in one save, without a loop', async () => {
    const s = await server();
    const dir = exampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const path = 'dashboards/crm/lead-dashboard.yaml';
    write(dir, path, read(dir, path).replace('name: Lead Dashboard', 'name: Lead Desk'));
    expect((await run(dir, ['apply', '--yes'], s.env)).stdout).toContain('1 updated');
    const app = byName(s, 'Lead Desk');
    expect(app.definition.name).toBe('Lead Desk');
    expect(app.versions).toHaveLength(2);
    await noChanges(dir, s.env);
    expect((await run(dir, ['apply', '--yes'], s.env)).stdout).toContain('No changes');
    expect(checkpoints(s)).toBe(4);
  });

  it('creates a new app from a copied file whose id was removed, leaving the original untouched, even with an id left inside its definition', async () => {
    const s = await server();
    const dir = exampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const original = structuredClone(byName(s, 'Top Customers'));
    const text = read(dir, 'dashboards/sales/top-customers.yaml');
    // A copy as an older dashsync pulled it (id and name inside the definition too), its top-level id removed.
    const copy = text
      .replace(/^id: .*\n/m, '')
      .replace('name: Top Customers', 'name: Top Customers EU')
      .replace('definition:\n', `definition:\n  id: ${original.id}\n  name: Top Customers\n`);
    write(dir, 'dashboards/sales/top-customers-eu.yaml', copy);
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('+ dashboards/sales/top-customers-eu.yaml  "Top Customers EU"');
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.stdout, r.stderr).toContain('Apply complete: 1 created, 0 updated, 0 deleted.');
    expect(byName(s, 'Top Customers')).toEqual(original);
    const made = byName(s, 'Top Customers EU');
    expect(made.id).not.toBe(original.id);
    expect(made.definition).toMatchObject({ id: made.id, name: 'Top Customers EU' });
    expect(read(dir, 'dashboards/sales/top-customers-eu.yaml')).toMatch(new RegExp(`^id: "?${made.id}"?$`, 'm'));
    await noChanges(dir, s.env);
  });
});

describe('apps: validation', () => {
  const broken = (text: string): string =>
    text
      .replace('schemaVersion: 2', 'schemaVersion: 3')
      .replace('span: 3 }', 'span: 13 }')
      .replace('groupId: load_top', 'groupId: load_all')
      .replace('type: bar_chart', 'type: bar');

  it('catches an invalid app offline with file, line and column, without any request', async () => {
    const dir = exampleRepo();
    write(dir, 'dashboards/sales/top-customers.yaml', broken(read(dir, 'dashboards/sales/top-customers.yaml')));
    const r = await run(dir, ['validate'], { DASHSYNC_URL: 'http://127.0.0.1:9', DASHSYNC_TOKEN: 'x' });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('dashboards/'));
    expect(lines).toEqual([
      'dashboards/sales/top-customers.yaml:4:18: "definition.schemaVersion" must be 2',
      'dashboards/sales/top-customers.yaml:25:55: "definition.pages[0].sections[0].widgets[0].groupId" no run group "load_all" on this page',
      'dashboards/sales/top-customers.yaml:25:71: "definition.pages[0].sections[0].widgets[0].span" must be at most 12',
      expect.stringMatching(
        /^dashboards\/sales\/top-customers\.yaml:28:36: "definition\.pages\[0\]\.sections\[0\]\.widgets\[3\]\.type" must be one of "input_ref", /,
      ),
    ]);
    expect(r.stdout).toContain('4 problems in 1 file; 2 of 3 files valid.');
  });

  it('stops plan and apply on the same invalid app before any request, and the emulator refuses it on save with the same errors', async () => {
    const s = await server();
    const dir = exampleRepo();
    write(dir, 'dashboards/sales/top-customers.yaml', broken(read(dir, 'dashboards/sales/top-customers.yaml')));
    for (const args of [['plan'], ['apply', '--yes', '--project', 'sales']]) {
      const r = await run(dir, args, s.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'dashboards/sales/top-customers.yaml:25:71: "definition.pages[0].sections[0].widgets[0].span" must be at most 12',
      );
      expect(r.stderr).toContain('dashboards/sales/top-customers.yaml:4:18: "definition.schemaVersion" must be 2');
    }
    expect(s.stats.list + s.stats.get + s.stats.save).toBe(0);
    // The emulator refuses the same app (as a save sends it) with the same four errors.
    const definition = (parseYaml(read(dir, 'dashboards/sales/top-customers.yaml')).value as { definition: object })
      .definition;
    const res = await fetch(`${s.url}/apps/sales-analytics/save`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'user', app: { ...definition, name: 'Top Customers' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; errors: Array<{ path: string; message: string }> };
    expect(body.message).toContain('App validation failed with 4 errors; nothing was saved');
    expect(body.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(
      expect.arrayContaining([
        'schemaVersion: must be 2',
        'pages[0].sections[0].widgets[0].span: must be at most 12',
        'pages[0].sections[0].widgets[0].groupId: no run group "load_all" on this page',
      ]),
    );
    expect(s.store.count()).toBe(0);
  });

  it('keeps the emulator from accepting an empty app or a dashboard-shaped one', async () => {
    const s = await server();
    for (const app of [{ name: 'x' }, { name: 'x', widgets: [] }]) {
      const res = await fetch(`${s.url}/apps/p/save`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'user', app }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Array<{ path: string; message: string }> };
      expect(body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['schemaVersion', 'header', 'pages']));
    }
    expect(s.store.count()).toBe(0);
  });
});

describe('apps: moving to another project', () => {
  it('points every page at the target project when an environment maps the folder elsewhere, and stays a no-op', async () => {
    const s = await server();
    const dir = exampleRepo(`${CONFIG}environments:\n  prod:\n    projects: { sales: prod-sales, crm: prod-crm }\n`);
    expect((await run(dir, ['apply', '--yes', '--env', 'prod'], s.env)).code).toBe(0);
    const lead = byName(s, 'Lead Dashboard');
    expect(lead.project_id).toBe('prod-crm');
    expect((lead.definition.pages as Array<{ project: { id: string } }>).map((p) => p.project.id)).toEqual([
      'prod-crm',
      'prod-crm',
    ]);
    expect((byName(s, 'Top Customers').definition.pages as Array<{ project: { id: string } }>)[0]!.project.id).toBe(
      'prod-sales',
    );
    const plan = await run(dir, ['plan', '--detailed-exitcode', '--env', 'prod'], s.env);
    expect(plan.code, plan.stdout).toBe(0);
    const before = read(dir, 'dashboards/crm/lead-dashboard.yaml');
    expect((await run(dir, ['pull', '--env', 'prod'], s.env)).code).toBe(0);
    expect(read(dir, 'dashboards/crm/lead-dashboard.yaml').replace(/^id: .*\n/, '')).toBe(
      before.replace(/^id: .*\n/, ''),
    );
  });

  it('migrates apps so that every page points at the target project', async () => {
    const a = await server();
    const b = await server({ token: 'token-for-b-654321' });
    const config = `api: apps\nenvironments:\n  a:\n    url: ${a.url}\n    token_env: TOKEN_A\n    projects: { sales: sales-analytics, crm: crm-leads }\n  b:\n    url: ${b.url}\n    token_env: TOKEN_B\n    projects: { sales: sales-b, crm: crm-b }\n`;
    const dir = exampleRepo(config);
    const env = { TOKEN_A: a.token, TOKEN_B: b.token };
    expect((await run(dir, ['apply', '--yes', '--env', 'a'], env)).code).toBe(0);
    const r = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(apps(b)).toHaveLength(3);
    for (const d of apps(b)) {
      expect(['sales-b', 'crm-b']).toContain(d.project_id);
      for (const p of d.definition.pages as Array<{ project: { id: string } }>) expect(p.project.id).toBe(d.project_id);
    }
    expect((await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes'], env)).stdout).toContain('No changes');
  });
});

describe('apps: deploys that reach viewers', () => {
  it('publishes only the apps whose save changed them, and says so per app', async () => {
    const s = await server();
    const dir = exampleRepo();
    const first = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('ok  published dashboards/sales/top-customers.yaml');
    expect(apps(s).every((d) => d.published_version_id === d.versions![d.versions!.length - 1]!.version_id)).toBe(true);
    const publishedBefore = new Map(apps(s).map((d) => [d.name, d.published_version_id]));
    const path = 'dashboards/sales/order-search.yaml';
    write(dir, path, read(dir, path).replace('label: Find orders', 'label: Orders'));
    const plan = await run(dir, ['plan', '--publish'], s.env);
    expect(plan.stdout).toContain('After saving, for each of 1 app: publish.');
    const r = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(r.stdout.match(/published /g)).toHaveLength(1);
    expect(r.stdout).toContain('ok  published dashboards/sales/order-search.yaml');
    const order = byName(s, 'Order Search');
    expect(order.published_version_id).toBe(order.versions![1]!.version_id);
    expect(byName(s, 'Top Customers').published_version_id).toBe(publishedBefore.get('Top Customers'));
    const idle = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(idle.stdout).not.toContain('published');
  });

  it('keeps publish and bookmark in a saved plan: apply does what was reviewed, and refuses other flags', async () => {
    const s = await server();
    const dir = exampleRepo();
    expect((await run(dir, ['plan', '--out', 'plain.json'], s.env)).code).toBe(0);
    const added = await run(dir, ['apply', 'plain.json', '--publish'], s.env);
    expect(added.code).toBe(1);
    expect(added.stderr).toContain('plain.json was reviewed without --publish or --bookmark');
    expect(s.stats.save).toBe(0);
    expect((await run(dir, ['plan', '--publish', '--bookmark', 'sha1', '--out', 'deploy.json'], s.env)).code).toBe(0);
    const r = await run(dir, ['apply', 'deploy.json'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/ok {2}published /g)).toHaveLength(3);
    expect(r.stdout.match(/ok {2}bookmarked /g)).toHaveLength(3);
    expect(
      apps(s).every((d) => d.published_version_id !== undefined && d.versions!.some((v) => v.label === 'sha1')),
    ).toBe(true);
  });

  it('bookmarks each new checkpoint with the label, and plan says it will', async () => {
    const s = await server();
    const dir = exampleRepo();
    const plan = await run(dir, ['plan', '--bookmark', 'abc123'], s.env);
    expect(plan.stdout).toContain('After saving, for each of 3 apps: bookmark the new checkpoint as "abc123".');
    const r = await run(dir, ['apply', '--yes', '--bookmark', 'abc123'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/ok {2}bookmarked /g)).toHaveLength(3);
    for (const d of apps(s))
      expect(d.versions).toEqual([expect.objectContaining({ bookmarked: true, label: 'abc123' })]);
    const path = 'dashboards/crm/lead-dashboard.yaml';
    write(dir, path, read(dir, path).replace('label: Activity', 'label: Touches'));
    expect((await run(dir, ['apply', '--yes', '--bookmark', 'def456'], s.env)).code).toBe(0);
    expect(byName(s, 'Lead Dashboard').versions!.map((v) => v.label)).toEqual(['abc123', 'def456']);
    expect(byName(s, 'Top Customers').versions).toHaveLength(1);
  });

  it('refuses --publish where there is no /apps API', async () => {
    const dir = tree({ 'dashboards/p/x.yaml': 'name: X\ndefinition: {}\n' });
    const s = await server();
    const r = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--publish needs the /apps API');
    expect(s.store.count()).toBe(0);
  });
});
