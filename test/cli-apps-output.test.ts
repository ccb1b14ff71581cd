import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/local/yaml.js';
import { read, run, tree, write, useEmulators, APPS_CONFIG, appsExampleRepo } from './helpers.js';

/*
 * `api: apps` output and messages: quiet, JSON and Markdown plans with publish and bookmark, the
 * token hint, init, counts named for apps, and the references validate and the emulator share.
 */

const server = useEmulators();

const CONFIG = APPS_CONFIG;

const exampleRepo = appsExampleRepo;

const PATHS = [
  'dashboards/crm/lead-dashboard.yaml',
  'dashboards/sales/order-search.yaml',
  'dashboards/sales/top-customers.yaml',
];

describe('apps: plans that publish and bookmark, in every output form', () => {
  it('shows only the summary line with --quiet --publish', async () => {
    const s = await server();
    const r = await run(exampleRepo(), ['plan', '-q', '--publish'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Plan: 3 to create, 0 to update, 0 to delete.\n');
  });

  it('says in plan --json what apply would publish and bookmark', async () => {
    const s = await server();
    const r = await run(exampleRepo(), ['plan', '--json', '--publish', '--bookmark', 'sha1'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).deploy).toEqual({ publish: true, bookmark: 'sha1', paths: PATHS });
    const plain = await run(exampleRepo(), ['plan', '--json'], s.env);
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('deploy');
  });

  it('says in the Markdown plan what apply would publish and bookmark', async () => {
    const s = await server();
    const r = await run(exampleRepo(), ['plan', '--format', 'markdown', '--bookmark', 'sha1'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('After saving, for each of 3 apps: bookmark the new checkpoint as `sha1`.');
    expect(r.stdout).toContain('- <code>^</code> `dashboards/sales/order-search.yaml`');
  });
});

describe('apps: messages', () => {
  it('names each token variable once when token_env names a default one', async () => {
    const s = await server();
    const dir = exampleRepo(`${CONFIG}token_env: DASHSYNC_TOKEN\n`);
    const r = await run(dir, ['plan'], { DASHSYNC_URL: s.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no API token: set DASHSYNC_TOKEN or PMTX_TOKEN (or pass --token)');
  });

  it('offers api: apps in the dashsync.yaml init writes, commented out', async () => {
    const dir = tree();
    expect((await run(dir, ['init'])).code).toBe(0);
    const text = read(dir, 'dashsync.yaml');
    expect(text).toMatch(/^# api: apps$/m);
    expect(parseYaml(text).value).not.toHaveProperty('api');
  });

  it('counts app files in validate', async () => {
    const r = await run(exampleRepo(), ['validate']);
    expect(r.stdout).toContain('3 app files valid.');
  });
});

describe('apps: references validate and the emulator check alike', () => {
  const cases: Array<{ what: string; file: string; edit: (t: string) => string; message: RegExp }> = [
    {
      what: 'a run group whose formId names an input that is not a form',
      file: 'dashboards/crm/lead-dashboard.yaml',
      edit: (t) =>
        t.replace(
          'trigger: auto\n          params: { status:',
          'trigger: form\n          formId: statusPick\n          params: { status:',
        ),
      message: /runGroups\[1\]\.formId"? "statusPick" is a select input, not a form/,
    },
    {
      what: 'weights on a section that is not laid out in columns',
      file: 'dashboards/sales/top-customers.yaml',
      edit: (t) => t.replace('layout: grid\n', 'layout: grid\n          weights: [6, 6]\n'),
      message: /sections\[0\]\.weights"? weights apply to layout "columns" only \(this section's layout is "grid"\)/,
    },
    {
      what: 'a text widget whose content refers to something the page does not publish',
      file: 'dashboards/crm/lead-dashboard.yaml',
      edit: (t) =>
        t.replace(
          'content: "Counts of calls, emails and meetings per lead owner."',
          'content: "Calls of {{nobody.name}}"',
        ),
      message: /widgets\[\d+\]\.content"? \{\{nobody\}\} is published by nothing on this page/,
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.what}, offline with its position and on save`, async () => {
      const s = await server();
      const dir = exampleRepo();
      write(dir, c.file, c.edit(read(dir, c.file)));
      const r = await run(dir, ['validate']);
      expect(r.code).toBe(1);
      const line = r.stdout.split('\n').find((l) => c.message.test(l));
      expect(line, r.stdout).toMatch(new RegExp(`^${c.file.replace(/\//g, '\\/').replace(/\./g, '\\.')}:\\d+:\\d+: `));
      const definition = (parseYaml(read(dir, c.file)).value as { definition: object }).definition;
      const res = await fetch(`${s.url}/apps/p/save`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'user', app: { ...definition, name: 'X' } }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Array<{ path: string; message: string }> };
      expect(body.errors.map((e) => `${e.path} ${e.message}`).some((t) => c.message.test(t))).toBe(true);
    });
  }
});
