import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json as JsonValue } from '../../src/core/types.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { parseYaml, toYamlText } from '../../src/local/yaml.js';
import { APPS_CONFIG, appsExampleRepo, read, run, tree, useEmulators, write } from '../helpers.js';
import type { RunResult } from '../helpers.js';

/*
 * The platform's own formats through the built CLI: the catalog's <AppName>.json (import, export,
 * their round trip, then plan and apply against the emulator), a px workspace (apps/*.app.yaml) met
 * with one line, and converted by import. Every refusal is one line naming the file, exit 1, no file.
 */

const server = useEmulators();

const EXAMPLES = [
  'dashboards/sales/top-customers.yaml',
  'dashboards/sales/order-search.yaml',
  'dashboards/crm/lead-dashboard.yaml',
];

type Json = Record<string, JsonValue>;
const yamlOf = (dir: string, path: string): Json => parseYaml(read(dir, path)).value as Json;
const jsonOf = (dir: string, path: string): Json => JSON.parse(read(dir, path)) as Json;

/** The one line a refusal prints, checked to be one line naming `file`, with exit code 1. */
function refusal(r: RunResult, file: string): string {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return lines[0]!;
}

/** The YAML files in the dashboards folder of `dir`, relative to it. */
function appFiles(dir: string): string[] {
  const root = join(dir, 'dashboards');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((folder) => readdirSync(join(root, folder)).map((f) => `dashboards/${folder}/${f}`));
}

const pageProjects = (definition: unknown): unknown[] =>
  ((definition as { pages: Array<{ project: { id: string } }> }).pages ?? []).map((page) => page.project.id);

describe('export writes the catalog JSON of an app file, and import reads it back to the same file', () => {
  it('exports each example app as {project_id, name, definition} with the name inside and no id, and the round trip gives every file back', async () => {
    const source = appsExampleRepo();
    const target = tree({ 'dashsync.yaml': APPS_CONFIG });
    for (const path of EXAMPLES) {
      const out = `${path.split('/').at(-1)}.json`;
      const exported = await run(source, ['export', path, '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain(`Exported ${path} to ${out}`);
      const json = jsonOf(source, out);
      const file = yamlOf(source, path);
      expect(Object.keys(json)).toEqual(['project_id', 'name', 'definition']);
      expect(json.name).toBe(file.name);
      expect(json.definition).toMatchObject({ schemaVersion: 2, name: file.name });
      expect(json.definition).not.toHaveProperty('id');
      expect(json.project_id).toBe(path.includes('/crm/') ? 'crm-leads' : 'sales-analytics');
      write(target, out, read(source, out));
      const imported = await run(target, ['import', out]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain(`to ${path} `);
      // import(export(f)) is f's content: its name and definition, in the same project folder.
      const back = yamlOf(target, path);
      expect(back).toEqual({ name: file.name, definition: file.definition });
    }
    expect(appFiles(target).sort()).toEqual([...EXAMPLES].sort());
  });

  it("exports an environment's projects with --env and imports them back into the folders that stand for them", async () => {
    const source = appsExampleRepo(
      `${APPS_CONFIG}environments:\n  production:\n    projects: { sales: prod-sales, crm: prod-crm }\n`,
    );
    const path = 'dashboards/sales/top-customers.yaml';
    expect((await run(source, ['export', path, '--env', 'production', '--out', 'top.json'])).code).toBe(0);
    const json = jsonOf(source, 'top.json');
    expect(json.project_id).toBe('prod-sales');
    expect(pageProjects(json.definition)).toEqual(['prod-sales']);
    // Into a workspace of the same repository: the sales folder, pages written as the file names them.
    const target = tree({ 'dashsync.yaml': read(source, 'dashsync.yaml'), 'top.json': read(source, 'top.json') });
    const r = await run(target, ['import', 'top.json', '--env', 'production']);
    expect(r.code, r.stderr).toBe(0);
    expect(yamlOf(target, path)).toEqual({ name: 'Top Customers', definition: yamlOf(source, path).definition });
  });

  it('imports into the folder --project names, its pages moved to that project, and plan then apply create it there', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['export', 'dashboards/sales/top-customers.yaml', '--out', 'top.json'])).code).toBe(0);
    const r = await run(dir, ['import', 'top.json', '--project', 'crm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('to dashboards/crm/top-customers.yaml (project crm-leads, a new app)');
    expect(pageProjects(yamlOf(dir, 'dashboards/crm/top-customers.yaml').definition)).toEqual(['crm-leads']);
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/\+ dashboards\/crm\/top-customers\.yaml/);
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 4 created, 0 updated, 0 deleted.');
    const copies = s.store.list('user').filter((app) => app.name === 'Top Customers');
    expect(copies.map((app) => app.project_id).sort()).toEqual(['crm-leads', 'sales-analytics']);
    const copy = copies.find((app) => app.project_id === 'crm-leads')!;
    expect(pageProjects(copy.definition)).toEqual(['crm-leads']);
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
  });

  it('reads a catalog file that is the bare definition, its project from its pages', async () => {
    const dir = tree({ 'dashsync.yaml': APPS_CONFIG });
    const source = appsExampleRepo();
    const definition = yamlOf(source, 'dashboards/crm/lead-dashboard.yaml').definition as Json;
    write(dir, 'Leads.json', JSON.stringify({ ...definition, id: 'a-catalog-id', name: 'Lead Dashboard' }));
    const r = await run(dir, ['import', 'Leads.json', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'catalog',
      path: 'dashboards/crm/lead-dashboard.yaml',
      projectId: 'crm-leads',
    });
    // A fresh identity: the catalog's id is not kept (the file would otherwise update that app).
    expect(yamlOf(dir, 'dashboards/crm/lead-dashboard.yaml')).toEqual({ name: 'Lead Dashboard', definition });
  });
});

describe('import and export refuse, in one line naming the file, and write nothing', () => {
  const catalog = (): string => {
    const source = appsExampleRepo();
    return JSON.stringify({
      project_id: 'sales-analytics',
      name: 'Top Customers',
      definition: yamlOf(source, 'dashboards/sales/top-customers.yaml').definition,
    });
  };

  it('never overwrites an app file, nor an export without --force', async () => {
    const dir = appsExampleRepo();
    write(dir, 'top.json', catalog());
    const before = read(dir, 'dashboards/sales/top-customers.yaml');
    const line = refusal(await run(dir, ['import', 'top.json']), 'dashboards/sales/top-customers.yaml');
    expect(line).toContain('already exists');
    expect(read(dir, 'dashboards/sales/top-customers.yaml')).toBe(before);
    const again = refusal(
      await run(dir, ['export', 'dashboards/sales/top-customers.yaml', '--out', 'top.json']),
      'top.json',
    );
    expect(again).toContain('--force');
    expect(read(dir, 'top.json')).toBe(catalog());
    expect(
      (await run(dir, ['export', 'dashboards/sales/top-customers.yaml', '--out', 'top.json', '--force'])).code,
    ).toBe(0);
    expect(jsonOf(dir, 'top.json').name).toBe('Top Customers');
  });

  it.each([
    ['not JSON', '{\n  "name": "x",\n}\n', 'bad.json:3:1: not JSON'],
    ['a list', '[1, 2]\n', 'bad.json:1:1: "(app)" must be an object'],
    [
      'no definition at all',
      '{\n  "project_id": "p",\n  "name": "x",\n  "definition": 3\n}\n',
      'bad.json:4:17: "definition" must be an object',
    ],
    ['an object that is no app', '{\n  "title": "x"\n}\n', 'is not an app definition'],
    [
      'no name',
      '{\n  "project_id": "sales-analytics",\n  "definition": { "schemaVersion": 2, "header": { "title": "x" }, "pages": [] }\n}\n',
      'bad.json:3:17: "definition.name" must be the app\'s name',
    ],
    [
      'a project_id that is no string',
      '{\n  "project_id": 7,\n  "name": "x",\n  "definition": { "pages": [] }\n}\n',
      'bad.json:2:17: "project_id"',
    ],
  ])('refuses %s at its line and column', async (_what, text, expected) => {
    const dir = tree({ 'dashsync.yaml': APPS_CONFIG, 'bad.json': text });
    expect(refusal(await run(dir, ['import', 'bad.json']), 'bad.json')).toContain(expected);
    expect(appFiles(dir)).toEqual([]);
  });

  it('refuses an app the save would refuse, every error at its place in the JSON', async () => {
    const dir = tree({ 'dashsync.yaml': APPS_CONFIG });
    const text = catalog().replace('"span":12', '"span":13');
    expect(text).toContain('"span":13');
    write(dir, 'top.json', JSON.stringify(JSON.parse(text), null, 2));
    const r = await run(dir, ['import', 'top.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^top\.json:\d+:\d+: "pages\[0\]\.sections\[\d\]\.widgets\[\d\]\.span" must be at most 12$/m,
    );
    expect(appFiles(dir)).toEqual([]);
  });

  it('refuses a file that names no project (its pages bind to two), unless --project names one', async () => {
    const dir = tree({ 'dashsync.yaml': APPS_CONFIG });
    const definition = yamlOf(appsExampleRepo(), 'dashboards/crm/lead-dashboard.yaml').definition as Json;
    const pages = definition.pages as Json[];
    const other = { ...pages[0]!, id: 'page_other', project: { id: 'sales-analytics' } };
    write(dir, 'x.json', JSON.stringify({ name: 'X', definition: { ...definition, pages: [...pages, other] } }));
    expect(refusal(await run(dir, ['import', 'x.json']), 'x.json')).toContain('pass --project');
    expect(appFiles(dir)).toEqual([]);
    const r = await run(dir, ['import', 'x.json', '--project', 'crm']);
    expect(r.code, r.stderr).toBe(0);
    expect(pageProjects(yamlOf(dir, 'dashboards/crm/x.yaml').definition)).toEqual([
      ...pageProjects(definition),
      'sales-analytics',
    ]);
  });

  it('is for apps: the dashboards API has no catalog to import from or export to', async () => {
    const dir = tree({ 'dashsync.yaml': 'dir: dashboards\n', 'x.json': '{}' });
    expect(refusal(await run(dir, ['import', 'x.json']), 'dashsync import')).toContain('api: apps');
    expect(appFiles(dir)).toEqual([]);
  });
});

describe('a workspace laid out by px (apps/*.app.yaml)', () => {
  async function savedApp(
    s: RunningServer & { env: Record<string, string> },
  ): Promise<{ id: string; definition: Json }> {
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const stored = s.store.list('user').find((app) => app.name === 'Top Customers')!;
    return { id: stored.id, definition: stored.definition as Json };
  }

  it('is met by validate, plan and apply with one line saying what to do, and no request', async () => {
    const s = await server();
    const { definition } = await savedApp(s);
    const dir = tree({
      'ontologies/sales/prometheux.yaml': 'schemaVersion: 1\nontology:\n  id: sales-analytics\n',
      'ontologies/sales/apps/top_customers.app.yaml': JSON.stringify(definition),
    });
    const calls = s.stats.list + s.stats.get + s.stats.save;
    for (const args of [['validate'], ['plan'], ['apply', '--yes']]) {
      const line = refusal(await run(dir, args, s.env), 'dashsync import ontologies/sales/apps/top_customers.app.yaml');
      expect(line).toContain('laid out by px');
    }
    // Pointed at the file itself, from a dashsync workspace beside it.
    write(dir, 'dashsync.yaml', APPS_CONFIG);
    const line = refusal(
      await run(dir, ['plan', 'ontologies/sales/apps/top_customers.app.yaml'], s.env),
      'laid out by px',
    );
    expect(line).toContain('"dashsync import ontologies/sales/apps/top_customers.app.yaml"');
    expect(s.stats.list + s.stats.get + s.stats.save).toBe(calls);
  });

  it('is converted by import into the folder of its ontology, keeping the id, so plan sees the app it already is', async () => {
    const s = await server();
    const { id, definition } = await savedApp(s);
    const dir = tree({
      'dashsync.yaml': APPS_CONFIG,
      'ontologies/sales/prometheux.yaml': 'schemaVersion: 1\nontology:\n  id: sales-analytics\n',
      // As px pulls it: the definition itself, with its id and an editor hint.
      'ontologies/sales/apps/top_customers.app.yaml': toYamlText({
        $schema: './app.schema.json',
        ...definition,
      } as Json),
    });
    const r = await run(dir, ['import', 'ontologies/sales/apps/top_customers.app.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `to dashboards/sales/top-customers.yaml (project sales-analytics, the app ${id} it already is)`,
    );
    const file = yamlOf(dir, 'dashboards/sales/top-customers.yaml');
    expect(file.id).toBe(id);
    expect(file.definition).not.toHaveProperty('$schema');
    expect(file.definition).not.toHaveProperty('id');
    const saves = s.stats.save;
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(s.stats.save).toBe(saves);
  });

  it('refuses a px file that is not YAML at its line and column', async () => {
    const dir = tree({ 'dashsync.yaml': APPS_CONFIG, 'apps/x.app.yaml': 'name: X\npages: [\n' });
    expect(refusal(await run(dir, ['import', 'apps/x.app.yaml']), 'apps/x.app.yaml:')).toMatch(
      /apps\/x\.app\.yaml:\d+:\d+:/,
    );
    expect(appFiles(dir)).toEqual([]);
  });
});
