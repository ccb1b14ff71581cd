import { describe, expect, it } from 'vitest';
import type { Action, Plan } from '../../src/core/types.js';
import { migrate, serve } from '../../src/index.js';
import { showCommandEvent } from '../../src/report/command-text.js';
import type { TextOutlet } from '../../src/report/outlet.js';
import { deployPlanLines, deployPlanMarkdown } from '../../src/report/deploy-text.js';
import { planMarkdown } from '../../src/report/plan-markdown.js';
import { renderPlan, savedPlanNext } from '../../src/report/plan-text.js';
import { pullSummaryLine } from '../../src/report/pull-text.js';
import { makeStyle } from '../../src/report/style.js';

// Texts that no journey test reads: pinned here, in milliseconds, so that splitting a long line or
// renaming what builds it cannot change a word of what the user sees.

const plain = makeStyle(false);
const content = { name: 'Sales', definition: { widgets: [] } };
const create = (extra: Partial<Extract<Action, { kind: 'create' }>>): Action => ({
  kind: 'create',
  path: 'dashboards/p/sales.yaml',
  projectId: 'p',
  folder: 'p',
  name: 'Sales',
  local: content,
  localHash: 'h',
  ...extra,
});
const planOf = (...actions: Action[]): Plan => ({ actions, unmanaged: [], unchanged: 0 });

describe('the plan explains why a dashboard that existed is created', () => {
  it('on the terminal: deleted in the workspace since the last sync, or an id the workspace does not have', () => {
    const text = renderPlan(planOf(create({ deletedRemotely: 'drift' }), create({ recreateId: 'id-7' })), {
      dir: 'dashboards',
      style: plain,
      prune: false,
    });
    expect(text.split('\n').slice(0, 4)).toEqual([
      '  + dashboards/p/sales.yaml  "Sales"',
      '      deleted in the workspace since the last sync: apply will create it again (pull --prune removes the file instead)',
      '  + dashboards/p/sales.yaml  "Sales"',
      '      id id-7 is not in the workspace (deleted there, or from another workspace): it will be created again',
    ]);
  });

  it('in Markdown: a create deleted in the workspace, and an update that reverts a workspace change', () => {
    const update: Action = {
      kind: 'update',
      path: 'dashboards/p/kpi.yaml',
      projectId: 'p',
      folder: 'p',
      id: 'k1',
      name: 'KPI',
      local: content,
      remote: { ...content, name: 'KPI' },
      reason: 'drift',
      adopt: false,
      localHash: 'l',
      remoteHash: 'r',
    };
    const markdown = planMarkdown(planOf(create({ deletedRemotely: 'drift' }), update), {
      url: 'http://127.0.0.1:9',
      scope: 'user',
    });
    expect(markdown).toContain(
      '<details><summary><code>+</code> <code>dashboards/p/sales.yaml</code> "Sales" ' +
        '(deleted in the workspace since the last sync: created again)</summary>',
    );
    expect(markdown).toContain(
      '<details><summary><code>~</code> <code>dashboards/p/kpi.yaml</code> "KPI" (reverts a change made in the workspace)</summary>',
    );
    expect(markdown.startsWith('### dashsync plan\n')).toBe(true);
    expect(planMarkdown(planOf(), { url: 'u', scope: 'user' }, { title: 'dashsync apply' })).toMatch(
      /^### dashsync apply\n/,
    );
  });
});

describe('a plan that is to publish but saves no app', () => {
  it('says there is nothing to publish, on the terminal and in Markdown', () => {
    const nothingSaved = planOf();
    expect(deployPlanLines(nothingSaved, { publish: true }, plain)).toBe('\nNothing to publish: no app is saved.');
    expect(deployPlanMarkdown(nothingSaved, { bookmark: 'v1' }, (text) => `\`${text}\``)).toEqual([
      '',
      'Nothing to bookmark: no app is saved.',
    ]);
  });
});

describe('pull and init say what they left for the user', () => {
  it("pull's summary counts the files kept and the dashboards that could not be pulled", () => {
    const change = (kind: 'kept' | 'refused' | 'new', path: string) => ({ kind, path, id: path, name: path });
    const line = pullSummaryLine({
      changes: [change('new', 'a'), change('kept', 'b'), change('refused', 'c'), change('refused', 'd')],
      unchanged: 3,
    });
    expect(line).toBe(
      'Pull complete: 1 new, 0 updated, 0 removed, 3 unchanged; 1 kept (see above); 2 not pulled (see above).',
    );
  });

  it("an interrupted pull's summary keeps every note, the files deleted locally among them, and says how many are left to pull", () => {
    const change = (kind: 'kept' | 'deleted-locally' | 'new', path: string) => ({ kind, path, id: path, name: path });
    const line = pullSummaryLine({
      changes: [change('new', 'a'), change('kept', 'b'), change('deleted-locally', 'c')],
      unchanged: 2,
      notPulled: 7,
    });
    expect(line).toBe(
      'Pull interrupted: 1 new, 0 updated, 0 removed, 2 unchanged; 1 kept (see above); ' +
        '1 deleted locally, not brought back (see above); 7 left to pull.',
    );
  });

  it('init says where editors will find the schemas when that path does not resolve yet', () => {
    const info: string[] = [];
    const outlet: TextOutlet = {
      style: plain,
      quiet: false,
      info: (text) => void info.push(text),
      result: (text) => void info.push(text),
      warn: (text) => void info.push(text),
    };
    const event = { type: 'initialized' as const, created: [], updated: [], next: [] };
    showCommandEvent({ ...event, schemas: { path: './node_modules/dashsync/schemas', resolves: false } }, outlet);
    expect(info.at(-1)).toBe(
      '\nEditors find the schemas at ./node_modules/dashsync/schemas/ once this repository installs dashsync ' +
        'as a dev dependency (README: "Install").',
    );
    info.length = 0;
    showCommandEvent({ ...event, schemas: { path: './schemas', resolves: true } }, outlet);
    expect(info.some((line) => line.includes('Editors find'))).toBe(false);
  });
});

describe('flags refused before anything starts', () => {
  it('serve names the number flag that is out of range, and its range', async () => {
    await expect(serve({ port: 0, latency: '-1' })).rejects.toThrow(
      '--latency must be a number from 0 to 60000, not "-1"',
    );
    await expect(serve({ port: 0, maxInflight: '0' })).rejects.toThrow(
      '--max-inflight must be a number from 1 to 10000, not "0"',
    );
  });

  it('migrate refuses the flags that would point both sides at one workspace, naming each', async () => {
    await expect(
      migrate({ from: 'staging', to: 'production', flags: { url: 'http://127.0.0.1:9', dir: 'x' }, env: {} }),
    ).rejects.toThrow(
      'migrate takes its two workspaces from --from and --to, and uses no folder: --url, --dir cannot be used with it',
    );
  });
});

describe('a saved plan with a name already taken says --adopt takes it, since --force never does', () => {
  it('names --adopt alone when every conflict is a namesake', () => {
    expect(savedPlanNext({ file: 'plan.json', errors: 0, conflicts: 1, namesakes: 1 })).toBe(
      'dashsync apply plan.json would carry out its other actions, skip the 1 in conflict (marked ! above) and ' +
        'exit 1: settle it first, or make the plan again with --adopt for the file to replace the dashboard named above.',
    );
  });

  it('names --force and --adopt when a namesake is among other conflicts', () => {
    expect(savedPlanNext({ file: 'p.json', errors: 0, conflicts: 3, namesakes: 1 })).toMatch(
      /settle them first, or make the plan again with --force to apply your side \(--adopt for a namesake\)\.$/,
    );
    expect(savedPlanNext({ file: 'p.json', errors: 0, conflicts: 2, namesakes: 0 })).toMatch(
      /make the plan again with --force to apply your side\.$/,
    );
  });
});

describe('an app history counts its versions in words', () => {
  it('says "1 version" for one and "2 versions" for two', async () => {
    const { historyLines } = await import('../../src/report/history-text.js');
    const version = (n: number) => ({ number: n, versionId: `v${n}`, bookmarked: false, published: n === 1 });
    const history = (count: number) => ({
      path: 'dashboards/p/a.yaml',
      id: 'a1',
      projectId: 'p',
      name: 'A',
      versions: Array.from({ length: count }, (_, i) => version(count - i)),
      commits: [],
      inGit: false,
    });
    const style = makeStyle(false);
    expect(historyLines(history(1), style)[0]).toBe('dashboards/p/a.yaml  "A" (id a1): 1 version');
    expect(historyLines(history(2), style)[0]).toBe('dashboards/p/a.yaml  "A" (id a1): 2 versions');
  });
});
