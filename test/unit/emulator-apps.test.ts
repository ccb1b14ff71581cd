import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../src/api/envelope.js';
import { publishStateOf } from '../../src/api/versions.js';
import type { VersionRow } from '../../src/api/versions.js';
import type { Ontology } from '../../src/emulator/ontology.js';
import type { RunningServer, ServerOptions } from '../../src/emulator/server.js';
import { parseYaml } from '../../src/local/yaml.js';
import { DashboardsClient } from '../../src/remote/client.js';
import { emulator, ROOT } from '../helpers.js';

/* The emulator's /apps as the platform runs it: numbered versions with authors, publish state, and the ontology checks. */

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function started(options: ServerOptions = {}): Promise<RunningServer> {
  const s = await emulator(options);
  servers.push(s);
  return s;
}

interface Answer {
  /** The HTTP status. */
  code: number;
  message: string;
  data: unknown;
  errors?: ValidationIssue[];
}

async function call(s: RunningServer, method: string, path: string, body?: unknown, token = s.token): Promise<Answer> {
  const res = await fetch(`${s.url}/apps/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const envelope = (await res.json()) as Omit<Answer, 'code'>;
  return { ...envelope, code: res.status };
}

// An example app's definition as a save sends it.
const example = (file: string): Record<string, unknown> => {
  const value = parseYaml(readFileSync(join(ROOT, 'examples', 'apps', 'dashboards', file), 'utf8')).value as {
    name: string;
    definition: Record<string, unknown>;
  };
  return { ...value.definition, name: value.name };
};
const page = { id: 'p', label: 'P', project: { id: 'proj' }, inputs: [], runGroups: [], sections: [] };
const small = (name: string, id?: string): object => ({
  scope: 'user',
  app: { schemaVersion: 2, ...(id ? { id } : {}), name, header: { title: name }, pages: [page] },
});
const rowsOf = async (s: RunningServer, id: string): Promise<VersionRow[]> =>
  (await call(s, 'GET', `proj/${id}/versions?scope=user`)).data as VersionRow[];

describe('the emulator: versions as the platform keeps them', () => {
  it('numbers every save and restore and names its author, the user of the token that made it', async () => {
    const s = await started({ user: 'alice', tokens: { 'bob-token-1234567890': 'bob' } });
    const id = ((await call(s, 'POST', 'proj/save', small('First'))).data as { id: string }).id;
    expect((await call(s, 'POST', 'proj/save', small('Second', id), 'bob-token-1234567890')).code).toBe(200);
    let rows = await rowsOf(s, id);
    expect(rows.map((row) => [row.version, row.author, row.name])).toEqual([
      [2, 'bob', 'Second'],
      [1, 'alice', 'First'],
    ]);
    const first = rows[1]!.version_id;
    const restored = await call(
      s,
      'POST',
      `proj/${id}/versions/${first}/restore?scope=user`,
      undefined,
      'bob-token-1234567890',
    );
    expect(restored.message).toBe('Version 1 restored as version 3');
    rows = await rowsOf(s, id);
    expect(rows[0]).toMatchObject({ version: 3, author: 'bob', name: 'First', restored_from: 1 });
    expect(s.store.get('user', 'proj', id)!.name).toBe('First');
    const client = new DashboardsClient({ baseUrl: s.url, token: s.token, scope: 'user', api: 'apps' });
    try {
      expect((await client.versions('proj', id)).map((v) => [v.number, v.author, v.published])).toEqual([
        [3, 'bob', false],
        [2, 'bob', false],
        [1, 'alice', false],
      ]);
    } finally {
      await client.close();
    }
    expect((await call(s, 'GET', 'list?scope=user', undefined, 'not-a-token-at-all')).code).toBe(401);
  });

  it('says what viewers see: nothing, the draft, then an older version once the draft is ahead, until the next publish', async () => {
    const s = await started();
    const id = ((await call(s, 'POST', 'proj/save', small('One'))).data as { id: string }).id;
    expect(publishStateOf(await rowsOf(s, id))).toEqual({ state: 'unpublished' });
    const published = await call(s, 'POST', `proj/${id}/publish?scope=user`);
    expect(published).toMatchObject({ code: 200, message: `App '${id}' published (version 1)` });
    expect(publishStateOf(await rowsOf(s, id))).toEqual({ state: 'published', version: 1 });
    await call(s, 'POST', 'proj/save', small('Two', id));
    expect(publishStateOf(await rowsOf(s, id))).toEqual({ state: 'draft-ahead', published: 1, draft: 2 });
    expect((await rowsOf(s, id)).map((row) => row.author)).toEqual(['devuser', 'devuser']);
    await call(s, 'POST', `proj/${id}/publish?scope=user`);
    expect(publishStateOf(await rowsOf(s, id))).toEqual({ state: 'published', version: 2 });
    expect((await call(s, 'POST', `proj/${id}/publish?scope=user`)).message).toBe(
      `App '${id}' is already published (version 2)`,
    );
    await call(s, 'POST', `proj/${id}/unpublish?scope=user`);
    expect(publishStateOf(await rowsOf(s, id))).toEqual({ state: 'unpublished' });
  });

  it('numbers the versions of a data file written before versions had numbers, oldest first', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'dashsync-emulator-')), 'data.json');
    const version = (n: number): object => ({
      version_id: `v${n}`,
      created_at: `2026-01-0${n}T00:00:00.000Z`,
      name: 'Old',
      definition: {},
      bookmarked: false,
    });
    const app = { id: 'a', project_id: 'proj', name: 'Old', definition: {}, created_at: '', updated_at: '' };
    writeFileSync(dataFile, JSON.stringify({ user: { proj: { a: { ...app, versions: [version(1), version(2)] } } } }));
    const s = await started({ dataFile });
    expect((await rowsOf(s, 'a')).map((row) => [row.version_id, row.version, row.author])).toEqual([
      ['v2', 2, 'unknown'],
      ['v1', 1, 'unknown'],
    ]);
  });
});

// The ontology of the tutorials' lead app (crm-leads): what its pages name, and what each concept reads.
const CRM: Ontology = {
  concepts: {
    leads: { columns: ['name', 'company', 'status', 'employees'] },
    leads_by_status: { params: ['status'], columns: ['status', 'leads'], reads: ['leads'] },
    lead_info: { params: ['lead_name'], columns: ['field', 'value'], reads: ['leads'] },
    lead_activity: { columns: ['weekday', 'hour', 'touches'] },
    adjustments: { input: true, columns: ['sku'] },
  },
};

describe('the emulator: what only the server can check, given an ontology', () => {
  it('saves the tutorial app whose every name is in its project', async () => {
    const s = await started({ ontologies: { 'crm-leads': CRM } });
    const saved = await call(s, 'POST', 'crm-leads/save', { scope: 'user', app: example('crm/lead-dashboard.yaml') });
    expect(saved.code, JSON.stringify(saved.errors)).toBe(200);
    expect(saved.data).not.toHaveProperty('warnings');
  });

  it("refuses unknown concepts, params and columns in the platform's words, naming each element, and saves nothing", async () => {
    const s = await started({ ontologies: { 'crm-leads': CRM } });
    const app = example('crm/lead-dashboard.yaml') as { pages: Array<Record<string, unknown>> };
    const groups = app.pages[0]!.runGroups as Array<Record<string, unknown>>;
    groups[2] = { ...groups[2], execute: ['lead_details'], outputs: [{ id: 'detailTap', concept: 'lead_details' }] };
    groups[1] = { ...groups[1], params: { stauts: '{{statusPick}}' } };
    const widgets = (app.pages[0]!.sections as Array<{ widgets: Array<Record<string, unknown>> }>)[0]!.widgets;
    widgets[0] = { ...widgets[0], columns: ['name', 'Company', 'employes'] };
    const refused = await call(s, 'POST', 'crm-leads/save', { scope: 'user', app });
    expect(refused.code).toBe(400);
    expect(refused.message).toBe('App validation failed with 4 errors; nothing was saved');
    expect(refused.errors!.map((e) => `${e.element}: ${e.message}`)).toEqual([
      "page 'Leads': run group 'by_status': param 'stauts' is not declared as @param by any concept in this ontology; did you mean 'status'?",
      "page 'Leads': run group 'detail': execute concept 'lead_details' not found",
      "page 'Leads': run group 'detail': output tap 'detailTap' concept 'lead_details' not found",
      "page 'Leads': section 'master_detail': widget 'w_leads': column 'employes' not found; did you mean 'employees'?",
    ]);
    expect(refused.errors![1]!.path).toBe('pages[0].runGroups[2].execute[0]');
    expect(s.store.count()).toBe(0);
  });

  it('saves an app whose output tap is on a concept its execute does not compute, with a warning', async () => {
    const s = await started({ ontologies: { 'crm-leads': CRM } });
    const app = example('crm/lead-dashboard.yaml') as { pages: Array<Record<string, unknown>> };
    const groups = app.pages[0]!.runGroups as Array<Record<string, unknown>>;
    // lead_info reads leads, so a tap on leads is computed; lead_activity is not.
    groups[2] = {
      ...groups[2],
      outputs: [
        { id: 'detailTap', concept: 'leads' },
        { id: 'extra', concept: 'lead_activity' },
      ],
    };
    const saved = await call(s, 'POST', 'crm-leads/save', { scope: 'user', app });
    expect(saved.code).toBe(200);
    expect((saved.data as { warnings: ValidationIssue[] }).warnings).toEqual([
      {
        path: 'pages[0].runGroups[2].outputs[1].concept',
        message: "output tap 'extra' concept 'lead_activity' is not computed by execute",
        element: "page 'Leads': run group 'detail'",
      },
    ]);
    expect(s.store.count()).toBe(1);
  });

  it('lets facts feed only an input predicate, and checks no page against an ontology it was not given', async () => {
    const s = await started({ ontologies: { 'sales-analytics': { concepts: { matching_orders: { params: [] } } } } });
    const app = example('sales/order-search.yaml') as { pages: Array<Record<string, unknown>> };
    const crmPage = { ...(app.pages[0] as object), id: 'crm', project: { id: 'crm-leads' } };
    const refused = await call(s, 'POST', 'sales-analytics/save', {
      scope: 'user',
      app: { ...app, pages: [app.pages[0], crmPage] },
    });
    expect(refused.errors!.map((e) => e.element)).toEqual([
      "page 'Find orders': run group 'search'",
      "page 'Find orders': run group 'search'",
      "page 'Find orders': form 'searchForm'",
    ]);
    expect(refused.errors!.map((e) => e.message)).toEqual([
      "param 'region' is not declared as @param by any concept in this ontology",
      "param 'min_total' is not declared as @param by any concept in this ontology",
      "optionsSource concept 'sales_regions' not found",
    ]);
    const withFacts = await started({ ontologies: { 'crm-leads': CRM } });
    const lead = example('crm/lead-dashboard.yaml') as { pages: Array<Record<string, unknown>> };
    const form = {
      id: 'scenario',
      type: 'form',
      sections: [{ fields: [{ id: 'rows', type: 'record_group', fields: [{ id: 'sku', type: 'text' }] }] }],
    };
    const group = { id: 'whatif', trigger: 'form', formId: 'scenario', execute: ['leads'], outputs: [] };
    const facts = async (predicate: string): Promise<Answer> => {
      const pageWith = {
        ...lead.pages[1],
        inputs: [form],
        runGroups: [
          ...(lead.pages[1]!.runGroups as object[]),
          { ...group, facts: { [predicate]: '{{scenario.rows}}' } },
        ],
      };
      return call(withFacts, 'POST', 'crm-leads/save', {
        scope: 'user',
        app: { ...lead, pages: [lead.pages[0], pageWith] },
      });
    };
    expect((await facts('adjustments')).code).toBe(200);
    expect((await facts('leads')).errors!.map((e) => `${e.element}: ${e.message}`)).toEqual([
      "page 'Activity': run group 'whatif': facts predicate 'leads' is not an input predicate (a concept with rules cannot be fed facts)",
    ]);
  });
});
