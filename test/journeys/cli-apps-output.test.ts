import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/local/yaml.js';
import { read, run, tree, write, useEmulators, APPS_CONFIG, appsExampleRepo } from '../helpers.js';

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
      what: 'a reference to a field its form does not have',
      file: 'dashboards/sales/order-search.yaml',
      edit: (t) => t.replace('region: "{{searchForm.region}}"', 'region: "{{searchForm.regon}}"'),
      message:
        /runGroups\[0\]\.params\.region"? \{\{searchForm\.regon\}\}: form "searchForm" has no field "regon" \(did you mean "region"\?\)/,
    },
    {
      what: 'facts bound to a form field that is not a record group',
      file: 'dashboards/sales/order-search.yaml',
      edit: (t) =>
        t.replace(
          '          execute: [matching_orders]',
          '          facts: { price_adjustment: "{{searchForm.region}}" }\n          execute: [matching_orders]',
        ),
      message:
        /runGroups\[0\]\.facts\.price_adjustment"? facts bind a form's record group, as \{\{formId\.recordGroupId\}\}: field "region" of form "searchForm" is a combobox field, not a record_group/,
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

describe('apps: warnings warn and never block', () => {
  const weights = (t: string): string => t.replace('layout: grid\n', 'layout: grid\n          weights: [6, 6]\n');
  const warning = /sections\[0\]\.weights"? weights apply to layout "columns" only \(this section's layout is "grid"\)/;

  it('shows weights on a section not laid out in columns as a warning with its position, and validate, plan and apply go on', async () => {
    const s = await server();
    const dir = exampleRepo();
    write(dir, 'dashboards/sales/top-customers.yaml', weights(read(dir, 'dashboards/sales/top-customers.yaml')));
    const r = await run(dir, ['validate']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const line = r.stderr.split('\n').find((l) => warning.test(l));
    expect(line, r.stderr).toMatch(/dashboards\/sales\/top-customers\.yaml:\d+:\d+: /);
    expect(r.stdout).toContain('3 app files valid.');
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 3 to create, 0 to update, 0 to delete.');
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(s.store.count()).toBe(3);
  });

  it('has the emulator store an app with a warning and report it in the save answer, never a 400', async () => {
    const s = await server();
    const dir = exampleRepo();
    const text = weights(read(dir, 'dashboards/sales/top-customers.yaml'));
    const definition = (parseYaml(text).value as { definition: object }).definition;
    const res = await fetch(`${s.url}/apps/p/save`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'user', app: { ...definition, name: 'X' } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      message: string;
      data: { id: string; warnings: Array<{ path: string; message: string; element: string }> };
    };
    expect(body.status).toBe('success');
    expect(body.message).toBe(`App '${body.data.id}' saved successfully with 1 warning`);
    expect(body.data.warnings).toHaveLength(1);
    const [found] = body.data.warnings;
    expect(`${found!.path} ${found!.message}`).toMatch(warning);
    expect(found!.element).toBe("page 'Top Customers': section 'section_1'");
    expect(s.store.get('user', 'p', body.data.id)!.definition).toMatchObject({ name: 'X' });
  });
});
