import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appFileContent, retargetPages, withoutOwnFields } from '../../src/core/app.js';
import type { JsonObject } from '../../src/core/types.js';
import { validateApp } from '../../src/api/app-validation.js';
import { parseYaml } from '../../src/local/yaml.js';
import { KEPT_CHECKPOINTS } from '../../src/api/versions.js';
import { checkpoint } from '../../src/emulator/store.js';
import type { StoredVersion } from '../../src/emulator/store.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { DashboardsClient } from '../../src/remote/client.js';
import { emulator, ROOT } from '../helpers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const EXAMPLES = join(ROOT, 'examples', 'apps', 'dashboards');
const exampleApps = (): Array<{ file: string; app: JsonObject }> =>
  readdirSync(EXAMPLES).flatMap((folder) =>
    readdirSync(join(EXAMPLES, folder)).map((f) => {
      const v = parseYaml(readFileSync(join(EXAMPLES, folder, f), 'utf8')).value as {
        name: string;
        definition: JsonObject;
      };
      return { file: `${folder}/${f}`, app: { ...v.definition, name: v.name } };
    }),
  );

const page = (id: string, project: string): JsonObject => ({
  id,
  label: id,
  project: { id: project },
  inputs: [],
  runGroups: [],
  sections: [],
});

describe('the app definition', () => {
  it('accepts every example app, built like the tutorials', () => {
    const all = exampleApps();
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const { file, app } of all) expect([file, validateApp(app)]).toEqual([file, { errors: [], warnings: [] }]);
  });

  it('reports every problem of an app at once: vocabulary, span, required fields, duplicates and references', () => {
    const app = exampleApps().find((a) => a.app.name === 'Lead Dashboard')!.app as {
      pages: Array<Record<string, unknown>>;
    };
    const bad = structuredClone(app) as {
      pages: Array<{
        id: string;
        runGroups: Array<Record<string, unknown>>;
        sections: Array<{ widgets: Array<Record<string, unknown>> }>;
      }>;
    };
    bad.pages[1]!.id = 'page_1';
    bad.pages[0]!.runGroups[1]!.params = { status: '{{nobody}}' };
    bad.pages[0]!.runGroups[2]!.trigger = 'form';
    const w = bad.pages[0]!.sections[0]!.widgets;
    w[0]!.formatRules = [{ column: 'status', operator: 'like', value: 'x', color: 'pink' }];
    w[1]!.span = 0;
    w[2]!.inputId = 'statusPicker';
    w[3]!.outputId = 'statusTap2';
    delete w[4]!.id;
    const problems = validateApp(bad).errors.map((p) => `${p.path.join('/')}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'pages/0/runGroups/2/formId: is required',
        'pages/0/sections/0/widgets/0/formatRules/0/operator: must be one of "less_than", "greater_than", "equals", "not_equals"',
        'pages/0/sections/0/widgets/0/formatRules/0/color: must be one of "red", "green", "amber", "blue", "neutral"',
        'pages/0/sections/0/widgets/1/span: must be at least 1',
        'pages/0/sections/0/widgets/4/id: is required',
        'pages/1/id: duplicate page id "page_1" (also page 0)',
        'pages/0/sections/0/widgets/2/inputId: no input "statusPicker" on this page',
        'pages/0/sections/0/widgets/3/outputId: no output tap "statusTap2" on this page',
        'pages/0/runGroups/1/params/status: {{nobody}} is published by nothing on this page (no input, form, row selection or context key of that name)',
      ]),
    );
    expect(problems).toHaveLength(9);
  });
});

describe('one truth for id and name, and retargeting', () => {
  it('drops the id and name kept inside a definition, and only those', () => {
    expect(withoutOwnFields({ id: 'a', name: 'n', schemaVersion: 2 })).toEqual({ schemaVersion: 2 });
    const d = { schemaVersion: 2 };
    expect(withoutOwnFields(d)).toBe(d);
  });

  it('points pages bound to the source project at the target, leaving pages of other projects alone', () => {
    const d = { pages: [page('a', 'src'), page('b', 'other'), page('c', 'src')] };
    const moved = retargetPages(d, new Set(['src']), 'dst') as { pages: Array<{ project: { id: string } }> };
    expect(moved.pages.map((p) => p.project.id)).toEqual(['dst', 'other', 'dst']);
    expect(retargetPages(d, new Set(['nope']), 'dst')).toBe(d);
  });

  it("reads a file's app bound to any of its folder's projects as bound to the workspace's project", () => {
    const content = {
      name: 'x',
      definition: { id: 'old', name: 'old', pages: [page('a', 'sales-analytics'), page('b', 'sales')] },
    };
    const read = appFileContent(content, 'sales', 'prod-sales', {
      aliases: { sales: ['sales', 'sales-analytics', 'prod-sales'] },
    });
    expect(read.definition).toEqual({ pages: [page('a', 'prod-sales'), page('b', 'prod-sales')] });
  });
});

describe('the emulator in apps mode', () => {
  const version = (n: number, bookmarked = false): StoredVersion => ({
    version_id: `v${n}`,
    number: n + 1,
    author: 'devuser',
    created_at: String(n),
    name: 'x',
    definition: {},
    bookmarked,
  });

  it(`keeps the ${KEPT_CHECKPOINTS} newest unbookmarked checkpoints, and bookmarked and published ones for good`, () => {
    let versions: StoredVersion[] = [version(0, true), version(1)];
    for (let n = 2; n <= 60; n++) versions = checkpoint(versions, version(n), 'v1');
    expect(versions.filter((v) => !v.bookmarked && v.version_id !== 'v1')).toHaveLength(KEPT_CHECKPOINTS);
    expect(versions.map((v) => v.version_id).slice(0, 3)).toEqual(['v0', 'v1', 'v11']);
    expect(versions[versions.length - 1]!.version_id).toBe('v60');
  });

  it('lists apps without timestamps, returns id and name inside the definition, and serves versions, bookmark, restore, publish and unpublish', async () => {
    const s = await emulator();
    servers.push(s);
    const client = new DashboardsClient({
      baseUrl: s.url,
      token: s.token,
      scope: 'user',
      api: 'apps',
      retry: { attempts: 1, totalMs: 0 },
    });
    const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown }> => {
      const res = await fetch(`${s.url}/apps/${path}`, {
        method,
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, data: ((await res.json()) as { data: unknown }).data };
    };
    try {
      const app = { schemaVersion: 2, header: { title: 'T' }, pages: [page('p', 'proj')] };
      const id = await client.save('proj', { name: 'First', definition: app });
      await client.save('proj', { id, name: 'Second', definition: app });
      expect((await api('GET', 'list?scope=user')).data).toEqual([{ id, project_id: 'proj', name: 'Second' }]);
      expect(((await api('GET', `proj/${id}?scope=user`)).data as { definition: JsonObject }).definition).toMatchObject(
        { id, name: 'Second' },
      );
      expect((await client.get('proj', id))!.definition).toEqual(app);
      const versions = await client.versions('proj', id);
      expect(versions).toHaveLength(2);
      await client.bookmark('proj', id, versions[1]!.versionId, 'first');
      expect(s.store.get('user', 'proj', id)!.versions![0]).toMatchObject({
        bookmarked: true,
        label: 'first',
        name: 'First',
      });
      await client.publish('proj', id);
      expect(s.store.get('user', 'proj', id)!.published_version_id).toBe(versions[0]!.versionId);
      expect((await api('POST', `proj/${id}/versions/${versions[1]!.versionId}/restore`)).status).toBe(200);
      expect(s.store.get('user', 'proj', id)).toMatchObject({ name: 'First', definition: { name: 'First' } });
      expect(await client.versions('proj', id)).toHaveLength(3);
      expect((await api('POST', `proj/${id}/unpublish?scope=user`)).status).toBe(200);
      expect(s.store.get('user', 'proj', id)!.published_version_id).toBeUndefined();
      expect((await api('PATCH', `proj/${id}/versions/nope/bookmark`, { bookmarked: true })).status).toBe(404);
      expect((await api('PATCH', `proj/${id}/versions/${versions[0]!.versionId}/bookmark`, {})).status).toBe(400);
    } finally {
      await client.close();
    }
  });
});

describe('the schemas shipped for editors', () => {
  it('accepts the example app files with app-file.schema.json, which refers to app.schema.json, and refuses an unknown widget type', async () => {
    const { Ajv } = await import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'app.schema.json'), 'utf8')) as object);
    const check = ajv.compile(
      JSON.parse(readFileSync(join(ROOT, 'schemas', 'app-file.schema.json'), 'utf8')) as object,
    );
    for (const folder of readdirSync(EXAMPLES)) {
      for (const f of readdirSync(join(EXAMPLES, folder))) {
        const file = parseYaml(readFileSync(join(EXAMPLES, folder, f), 'utf8')).value as {
          definition: { pages: Array<{ sections: Array<{ widgets: Array<{ type: string }> }> }> };
        };
        expect([f, check(file)]).toEqual([f, true]);
        file.definition.pages[0]!.sections[0]!.widgets[0]!.type = 'chart';
        expect(check(file)).toBe(false);
      }
    }
  });
});
