import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/emulator/server.js';
import type { StoredDashboard } from '../../src/emulator/store.js';
import { parseYaml } from '../../src/local/yaml.js';
import { read, run, tree, write, useEmulators, APPS_CONFIG, appsExampleRepo } from '../helpers.js';

/*
 * `publish:` and `bookmark:` in an app file, through the built CLI against the emulator: what apply,
 * plan (text, JSON, Markdown), saved plans, pull, watch, migrate and the file cache do with them,
 * and how they combine with --publish and --bookmark.
 */

const server = useEmulators();

const TOP = 'dashboards/sales/top-customers.yaml';
const ORDERS = 'dashboards/sales/order-search.yaml';
const LEADS = 'dashboards/crm/lead-dashboard.yaml';

const apps = (s: RunningServer): StoredDashboard[] => s.store.list('user');
const byName = (s: RunningServer, name: string): StoredDashboard => apps(s).find((d) => d.name === name)!;
const isPublished = (d: StoredDashboard): boolean =>
  d.published_version_id !== undefined && d.published_version_id === d.versions!.at(-1)!.version_id;

/** The file's text with `keys` (YAML lines) written under its `name:` line. */
function withKeys(dir: string, path: string, keys: string): void {
  write(dir, path, read(dir, path).replace(/^(name: .*\n)/m, `$1${keys}\n`));
}

/** An edit of an app's content (a page label), so that the next apply saves it. */
function editLabel(dir: string, path: string): void {
  const text = read(dir, path);
  const edited = text.replace(/^( {6}label: )(.*)$/m, '$1$2 (edited)');
  expect(edited).not.toBe(text);
  write(dir, path, edited);
}

describe('apps: publish: and bookmark: in a file', () => {
  it('publishes the app whose file says publish: true without --publish, and only that one; plan says so', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, TOP, 'publish: true');
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`After saving, for each of 1 app: publish.\n  ^ ${TOP}\n`);
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/published /g)).toHaveLength(1);
    expect(r.stdout).toContain(`ok  published ${TOP}`);
    expect(isPublished(byName(s, 'Top Customers'))).toBe(true);
    expect(byName(s, 'Order Search').published_version_id).toBeUndefined();
    // The key is the file's own: it is never sent, and the app holds no trace of it.
    expect(byName(s, 'Top Customers').definition).not.toHaveProperty('publish');
    // Unchanged since: nothing is saved, so nothing is published again.
    const idle = await run(dir, ['apply', '--yes'], s.env);
    expect(idle.stdout).toContain('No changes');
    expect(idle.stdout).not.toContain('published');
  });

  it('keeps the app whose file says publish: false a draft under --publish, and plan says which are published', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, ORDERS, 'publish: false');
    const plan = await run(dir, ['plan', '--publish'], s.env);
    expect(plan.stdout).toContain(`After saving, for each of 2 apps: publish.\n  ^ ${LEADS}\n  ^ ${TOP}\n`);
    expect(plan.stdout).not.toContain(`^ ${ORDERS}`);
    const r = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(byName(s, 'Order Search').published_version_id).toBeUndefined();
    expect(isPublished(byName(s, 'Top Customers'))).toBe(true);
    expect(isPublished(byName(s, 'Lead Dashboard'))).toBe(true);
  });

  it("bookmarks with the file's own label, which replaces --bookmark's for that app only", async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, LEADS, 'bookmark: release-2\npublish: true');
    const plan = await run(dir, ['plan', '--bookmark', 'sha1'], s.env);
    expect(plan.stdout).toContain(
      `After saving, for each of 1 app: bookmark the new checkpoint as "release-2", then publish.\n  ^ ${LEADS}\n`,
    );
    expect(plan.stdout).toContain(
      `After saving, for each of 2 apps: bookmark the new checkpoint as "sha1".\n  ^ ${ORDERS}\n  ^ ${TOP}\n`,
    );
    const r = await run(dir, ['apply', '--yes', '--bookmark', 'sha1'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(byName(s, 'Lead Dashboard').versions!.map((v) => v.label)).toEqual(['release-2']);
    expect(byName(s, 'Top Customers').versions!.map((v) => v.label)).toEqual(['sha1']);
    expect(isPublished(byName(s, 'Lead Dashboard'))).toBe(true);
    expect(byName(s, 'Top Customers').published_version_id).toBeUndefined();
  });

  it('says in plan --json and the Markdown plan which apps a file publishes', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, TOP, 'publish: true\nbookmark: v2');
    const json = await run(dir, ['plan', '--json'], s.env);
    expect(json.code, json.stderr).toBe(0);
    const planned = JSON.parse(json.stdout) as { deploy: unknown; actions: Array<Record<string, unknown>> };
    expect(planned.deploy).toEqual({ publish: false, paths: [TOP] });
    expect(planned.actions.find((a) => a.path === TOP)).toMatchObject({ publish: true, bookmark: 'v2' });
    expect(planned.actions.find((a) => a.path === ORDERS)).not.toHaveProperty('publish');
    const markdown = await run(dir, ['plan', '--format', 'markdown'], s.env);
    expect(markdown.stdout).toContain(
      'After saving, for each of 1 app: bookmark the new checkpoint as `v2`, then publish.',
    );
    expect(markdown.stdout).toContain(`- <code>^</code> \`${TOP}\``);
  });

  it('records the keys in a saved plan: apply publishes as reviewed, and refuses a plan whose file changed its key', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, TOP, 'publish: true');
    expect((await run(dir, ['plan', '--out', 'reviewed.json'], s.env)).code).toBe(0);
    const saved = JSON.parse(read(dir, 'reviewed.json')) as {
      deploy: unknown;
      actions: Array<Record<string, unknown>>;
    };
    expect(saved.actions.find((a) => a.path === TOP)).toMatchObject({ action: 'create', publish: true });
    expect(saved.deploy).toEqual({ publish: false, paths: [TOP] });
    // The content did not change, only what apply does after the save: the plan is stale.
    write(dir, TOP, read(dir, TOP).replace('publish: true', 'publish: false'));
    const stale = await run(dir, ['apply', 'reviewed.json'], s.env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`+ ${TOP}: the file's publish: or bookmark: changed since the plan was made`);
    expect(s.stats.save).toBe(0);
    write(dir, TOP, read(dir, TOP).replace('publish: false', 'publish: true'));
    const r = await run(dir, ['apply', 'reviewed.json'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`ok  published ${TOP}`);
    expect(isPublished(byName(s, 'Top Customers'))).toBe(true);
  });

  it('keeps the keys when pull rewrites the file, and plans no change after', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, TOP, '# viewers see every change\npublish: true\nbookmark: kept');
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    // A change made in the workspace, which pull brings into the file.
    const top = byName(s, 'Top Customers');
    await s.store.save('user', top.project_id, {
      id: top.id,
      name: 'Top Customers',
      definition: { ...top.definition, header: { title: 'Top Customers, renamed' } },
    });
    const pulled = await run(dir, ['pull'], s.env);
    expect(pulled.code, pulled.stderr).toBe(0);
    const text = read(dir, TOP);
    expect(text).toContain('title: Top Customers, renamed');
    expect(text).toContain('# viewers see every change\npublish: true\nbookmark: kept\n');
    expect(parseYaml(text).value).toMatchObject({ publish: true, bookmark: 'kept' });
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('keeps the keys of a file known from the file cache: validate fills it, then migrate publishes the copy', async () => {
    const a = await server();
    const b = await server({ token: 'token-for-b-654321' });
    const config = `api: apps\nenvironments:\n  a:\n    url: ${a.url}\n    token_env: TOKEN_A\n    projects: { sales: sales-analytics, crm: crm-leads }\n  b:\n    url: ${b.url}\n    token_env: TOKEN_B\n    projects: { sales: sales-b, crm: crm-b }\n`;
    const dir = appsExampleRepo(config);
    const env = { TOKEN_A: a.token, TOKEN_B: b.token };
    withKeys(dir, ORDERS, 'publish: true');
    expect((await run(dir, ['apply', '--yes', '--env', 'a'], env)).code).toBe(0);
    // Both runs read the files from the cache the first ones wrote: no file is parsed again.
    expect((await run(dir, ['validate', '--env', 'a'])).code).toBe(0);
    const dry = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--dry-run'], env);
    expect(dry.stdout).toContain(`After saving, for each of 1 app: publish.\n  ^ a/sales-analytics/order-search\n`);
    const r = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(isPublished(byName(b, 'Order Search'))).toBe(true);
    expect(byName(b, 'Top Customers').published_version_id).toBeUndefined();
  });

  it('takes --publish and --bookmark in migrate, for every app it saves in the target', async () => {
    const a = await server();
    const b = await server({ token: 'token-for-b-654321' });
    const config = `api: apps\nenvironments:\n  a:\n    url: ${a.url}\n    token_env: TOKEN_A\n  b:\n    url: ${b.url}\n    token_env: TOKEN_B\n`;
    const dir = appsExampleRepo(`${APPS_CONFIG}${config.replace('api: apps\n', '')}`);
    const env = { TOKEN_A: a.token, TOKEN_B: b.token };
    expect((await run(dir, ['apply', '--yes', '--env', 'a'], env)).code).toBe(0);
    const r = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes', '--publish', '--bookmark', 'm1'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/ok {2}published /g)).toHaveLength(3);
    for (const app of apps(b)) {
      expect(isPublished(app)).toBe(true);
      expect(app.versions!.map((v) => v.label)).toEqual(['m1']);
    }
    expect(apps(a).every((app) => app.published_version_id === undefined)).toBe(true);
  });

  it('refuses publish: and bookmark: in a file of the dashboards API, at the key', async () => {
    const dir = tree({
      'dashboards/p/x.yaml': 'name: X\npublish: true\ndefinition: {}\n',
      'dashboards/p/y.yaml': 'name: Y\ndefinition: {}\nbookmark: v1\n',
    });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'dashboards/p/x.yaml:2:1: "publish" is for apps (api: apps): the dashboards API has no publishing; remove it',
    );
    expect(r.stdout).toContain(
      'dashboards/p/y.yaml:3:1: "bookmark" is for apps (api: apps): the dashboards API has no versions to bookmark; remove it',
    );
    const s = await server();
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('dashboards/p/x.yaml:2:1: "publish" is for apps');
    expect(s.stats.list).toBe(0);
  });

  it('refuses a publish: that is not true or false, and a bookmark: that is empty or not one line, at the key', async () => {
    const dir = appsExampleRepo();
    withKeys(dir, TOP, 'publish: yes please');
    withKeys(dir, LEADS, 'bookmark: ""');
    withKeys(dir, ORDERS, 'bookmark: "two\\nlines"');
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`${TOP}:3:\\d+: "publish" must be true or false`));
    expect(r.stdout).toMatch(new RegExp(`${LEADS}:4:\\d+: "bookmark" must not be empty`));
    expect(r.stdout).toMatch(
      new RegExp(`${ORDERS}:\\d+:11: "bookmark" must be one line of text, without control characters`),
    );
  });

  it("holds --bookmark to the rule of a file's bookmark: (not blank, one line, at most 200 characters), before any call", async () => {
    const s = await server();
    const dir = appsExampleRepo();
    withKeys(dir, LEADS, 'bookmark: "   "');
    withKeys(dir, ORDERS, `bookmark: ${'x'.repeat(201)}`);
    const files = await run(dir, ['validate']);
    expect(files.code).toBe(1);
    expect(files.stdout).toMatch(new RegExp(`${LEADS}:4:\\d+: "bookmark" must not be blank`));
    expect(files.stdout).toMatch(new RegExp(`${ORDERS}:\\d+:11: "bookmark" must be at most 200 characters`));
    const clean = appsExampleRepo();
    for (const [label, says] of [
      ['two\nlines', 'the label must be one line of text, without control characters'],
      ['\u001b[31mred', 'the label must be one line of text, without control characters'],
      ['y'.repeat(201), 'the label must be at most 200 characters'],
      ['  ', '--bookmark needs a label'],
    ]) {
      const r = await run(clean, ['apply', '--yes', '--bookmark', label!], s.env);
      expect(r.code, JSON.stringify(label)).toBe(1);
      expect(r.stderr, JSON.stringify(label)).toContain(says);
    }
    expect(s.stats.list).toBe(0);
  });
});

describe('apps: warnings never block', () => {
  it('shows warnings in validate --json and exits 0; a pulled app carrying one plans and applies', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    write(dir, TOP, read(dir, TOP).replace('layout: grid\n', 'layout: grid\n          weights: [6, 6]\n'));
    const validated = await run(dir, ['validate', '--json']);
    expect(validated.code, validated.stderr).toBe(0);
    const doc = JSON.parse(validated.stdout) as { diagnostics: Array<{ severity: string; summary: string }> };
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        summary: expect.stringMatching(/weights apply to layout "columns"/),
      }),
    ]);
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    // A fresh folder pulls the app with its warning, then plans and applies an edit of it.
    const fresh = tree({ 'dashsync.yaml': APPS_CONFIG });
    const pulled = await run(fresh, ['pull'], s.env);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(read(fresh, TOP)).toContain('weights:');
    expect((await run(fresh, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
    editLabel(fresh, TOP);
    const applied = await run(fresh, ['apply', '--yes'], s.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
  });
});
