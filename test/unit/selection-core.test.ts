import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/canonical.js';
import { claimRemotes } from '../../src/core/claims.js';
import { computePlan } from '../../src/core/plan.js';
import { emptiedProjectRefusal } from '../../src/core/prune-guards.js';
import { planPull } from '../../src/core/pull-plan.js';
import type { PullInput } from '../../src/core/pull-plan.js';
import { describeSelection, runScope, sameSelection, WHOLE_FOLDER } from '../../src/core/selection.js';
import type { Selection } from '../../src/core/selection.js';
import type { LocalFile, RemoteSummary } from '../../src/core/types.js';
import { newFileContent, unrender } from '../../src/core/unrender.js';
import { render } from '../../src/core/variables.js';

// The selection, the pull planner, the prune guards and unrender, in process: pure functions of data.

const select = (partial: Partial<Selection>): Selection => ({ ...WHOLE_FOLDER, ...partial });

function file(folder: string, base: string, name: string, id?: string, projectId = folder): LocalFile {
  const definition = { v: name };
  return {
    path: `dashboards/${folder}/${base}`,
    folder,
    projectId,
    name,
    definition,
    contentHash: contentHash({ name, definition }),
    byteHash: `bytes of ${base}`,
    ...(id ? { id, fileId: id } : {}),
  };
}

const summary = (id: string, name: string, projectId: string): RemoteSummary => ({
  id,
  name,
  projectId,
  updatedAt: 't1',
});

describe('the selection', () => {
  it('with nothing given, holds every file and every project', () => {
    const scope = runScope(WHOLE_FOLDER);
    expect(scope.hasFile('sales/a.yaml', 'sales')).toBe(true);
    expect(scope.hasProject('ops', 'ops-id')).toBe(true);
    expect(scope.hasUnclaimed({ name: 'X' }, 'ops', 'ops-id')).toBe(true);
  });

  it('narrows to a file target: its folder is read, its neighbours and the unclaimed dashboards are out', () => {
    const scope = runScope(select({ paths: ['sales/a.yaml'] }));
    expect(scope.readsFolder('sales', 'sales')).toBe(true);
    expect(scope.readsFolder('ops', 'ops')).toBe(false);
    expect(scope.hasFile('sales/a.yaml', 'sales')).toBe(true);
    expect(scope.hasFile('sales/b.yaml', 'sales')).toBe(false);
    expect(scope.hasProject('sales', 'sales')).toBe(false);
    expect(scope.hasUnclaimed({ name: 'Orphan' }, 'sales', 'sales')).toBe(false);
  });

  it('a folder target selects its whole project, and --project matches a folder name or a project id', () => {
    const scope = runScope(select({ paths: ['sales'] }));
    expect(scope.hasFile('sales/b.yaml', 'sales')).toBe(true);
    expect(scope.hasUnclaimed({ name: 'Orphan' }, 'sales', 'sales')).toBe(true);
    expect(scope.hasFile('ops/c.yaml', 'ops')).toBe(false);
    const byId = runScope(select({ projects: ['sales-id'] }));
    expect(byId.hasFile('sales/b.yaml', 'sales-id')).toBe(true);
    expect(byId.hasFile('ops/c.yaml', 'ops')).toBe(false);
  });

  it('--project matches a folder whatever Unicode form either is written in (macOS lists names in NFD)', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    for (const [typed, listed] of [
      [nfc, nfd],
      [nfd, nfc],
    ] as const) {
      const scope = runScope(select({ projects: [typed] }));
      expect(scope.readsFolder(listed, listed), `${typed.length} -> ${listed.length}`).toBe(true);
      expect(scope.hasFile(`${listed}/a.yaml`, 'another-id')).toBe(true);
    }
    expect(runScope(select({ projects: [nfc] })).readsFolder('cafe', 'cafe')).toBe(false);
  });

  it('an exclude matches the path or a folder above it, and hides unclaimed dashboards pull would write there', () => {
    const scope = runScope(select({ excludes: ['sales/old-*.yaml', 'legacy'] }));
    expect(scope.hasFile('sales/old-revenue.yaml', 'sales')).toBe(false);
    expect(scope.hasFile('sales/revenue.yaml', 'sales')).toBe(true);
    expect(scope.hasFile('legacy/x.yaml', 'legacy')).toBe(false);
    expect(scope.hasProject('legacy', 'legacy')).toBe(false);
    expect(scope.hasUnclaimed({ name: 'Old Revenue' }, 'sales', 'sales')).toBe(false);
    expect(scope.hasUnclaimed({ name: 'Revenue' }, 'sales', 'sales')).toBe(true);
  });

  it('a folder holding an unreadable file outside the run has no unclaimed dashboard in it', () => {
    const scope = runScope(WHOLE_FOLDER, new Set(['sales']));
    expect(scope.hasUnclaimed({ name: 'X' }, 'sales', 'sales')).toBe(false);
    expect(scope.hasFile('sales/a.yaml', 'sales')).toBe(true);
  });

  it('compares selections argument for argument, in any order, and names them', () => {
    const one = select({ paths: ['b', 'a/x.yaml'], excludes: ['z'] });
    expect(sameSelection(one, select({ paths: ['a/x.yaml', 'b'], excludes: ['z', 'z'] }))).toBe(true);
    expect(sameSelection(one, select({ paths: ['a/x.yaml'], excludes: ['z'] }))).toBe(false);
    expect(describeSelection(one)).toBe('paths a/x.yaml, b; excludes z');
    expect(describeSelection(WHOLE_FOLDER)).toBe('the whole folder');
  });
});

describe('the plan asks the selection', () => {
  it('a dashboard claimed by a file outside the run is neither planned, pruned nor unmanaged', () => {
    const inRun = file('sales', 'a.yaml', 'A', 'id-a');
    const outside = file('sales', 'set-aside.yaml', 'B', 'id-b');
    const remote = [summary('id-a', 'A', 'sales'), summary('id-b', 'B', 'sales'), summary('id-c', 'C', 'sales')];
    const plan = computePlan({
      folders: [{ folder: 'sales', projectId: 'sales', path: 'dashboards/sales' }],
      claims: claimRemotes([inRun, outside], remote),
      scope: runScope(select({ excludes: ['sales/set-aside.yaml'] })),
      remote,
      remoteHashes: new Map([
        ['id-a', inRun.contentHash],
        ['id-b', 'other'],
      ]),
      details: new Map(),
      base: new Map(),
      prune: true,
      force: false,
    });
    expect(plan.actions.map((action) => [action.kind, action.name])).toEqual([['delete', 'C']]);
    expect(plan.unmanaged).toEqual([]);
  });
});

describe('the prune guards, both ways', () => {
  it('refuses to empty a project whose source side holds nothing, unless forced or nothing is removed', () => {
    const project = { projectId: 'p', sourceCount: 0, removals: 3 };
    expect(emptiedProjectRefusal('apply', project, false)).toContain('delete all 3 dashboards of project p');
    expect(emptiedProjectRefusal('pull', project, false)).toContain(
      'remove all 3 files of project p because the workspace lists none of its dashboards',
    );
    expect(emptiedProjectRefusal('pull', project, true)).toBeUndefined();
    expect(emptiedProjectRefusal('pull', { ...project, sourceCount: 1 }, false)).toBeUndefined();
    expect(emptiedProjectRefusal('apply', { ...project, removals: 0 }, false)).toBeUndefined();
  });
});

describe('the pull planner', () => {
  const base = (overrides: Partial<PullInput>): PullInput => ({
    files: [],
    outside: [],
    scope: runScope(WHOLE_FOLDER),
    listed: [],
    synced: {},
    folders: new Map([['sales', 'sales']]),
    taken: new Map(),
    dirShown: 'dashboards',
    prune: false,
    force: false,
    ...overrides,
  });

  it('names new files in a fixed order, whatever order the list comes in', () => {
    const listed = [summary('2', 'Revenue', 'sales'), summary('1', 'Revenue', 'sales')];
    const forward = planPull(base({ listed }));
    const backward = planPull(base({ listed: [...listed].reverse() }));
    expect(forward.fetch.map((item) => [item.summary.id, item.newPath])).toEqual([
      ['1', 'dashboards/sales/revenue.yaml'],
      ['2', 'dashboards/sales/revenue-2.yaml'],
    ]);
    expect(backward.fetch).toEqual(forward.fetch);
  });

  it('skips a file unchanged on both sides since the last sync, and fetches one that moved', () => {
    const a = file('sales', 'a.yaml', 'A', 'id-a');
    const synced = { 'id-a': { hash: a.contentHash, updatedAt: 't1', path: a.path } };
    expect(planPull(base({ files: [a], listed: [summary('id-a', 'A', 'sales')], synced })).unchanged).toBe(1);
    const moved = { ...summary('id-a', 'A', 'sales'), updatedAt: 't2' };
    expect(planPull(base({ files: [a], listed: [moved], synced })).fetch).toEqual([{ summary: moved, file: a }]);
  });

  it('keeps a file deleted locally deleted, and with force brings it back where it was', () => {
    const synced = { gone: { hash: 'h', path: 'dashboards/sales/my-name.yaml' } };
    const listed = [summary('gone', 'Revenue', 'sales')];
    const kept = planPull(base({ listed, synced }));
    expect(kept.fetch).toEqual([]);
    expect(kept.changes).toMatchObject([{ kind: 'deleted-locally', path: 'dashboards/sales/my-name.yaml' }]);
    const forced = planPull(base({ listed, synced, force: true }));
    expect(forced.fetch.map((item) => item.newPath)).toEqual(['dashboards/sales/my-name.yaml']);
  });

  it('pulls nothing into or for a file outside the run, and nothing of a project the run does not cover', () => {
    const outside = file('sales', 'set-aside.yaml', 'B', 'id-b');
    const listed = [summary('id-b', 'B', 'sales'), summary('id-o', 'Ops', 'ops')];
    const plan = planPull(base({ outside: [outside], listed }));
    expect(plan.fetch).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it('with prune, refuses to remove every file of a project the workspace lists nothing of', () => {
    const files = [file('sales', 'a.yaml', 'A', 'id-a'), file('sales', 'b.yaml', 'B', 'id-b')];
    const synced = Object.fromEntries(files.map((f) => [f.id!, { hash: f.contentHash, path: f.path }]));
    const refused = planPull(base({ files, synced, prune: true }));
    expect(refused.removals).toEqual([]);
    expect(refused.changes.map((change) => change.kind)).toEqual(['refused', 'kept', 'kept']);
    const other = [summary('id-c', 'C', 'sales')];
    const allowed = planPull(base({ files, synced, prune: true, listed: other }));
    expect(allowed.removals.map((removal) => removal.file.path)).toEqual([files[0]!.path, files[1]!.path]);
    expect(planPull(base({ files, synced, prune: true, force: true })).removals).toHaveLength(2);
  });
});

describe('unrender: placeholders keep their place', () => {
  const vars = { ds: 'analytics-staging', short: 'on' };

  it('puts a placeholder back inside a string edited around its value', () => {
    const result = unrender(
      { q: 'SELECT a FROM ${{ var.ds }}.orders' },
      { q: 'SELECT a, b FROM analytics-staging.orders WHERE b' },
      vars,
    );
    expect(result.value).toEqual({ q: 'SELECT a, b FROM ${{ var.ds }}.orders WHERE b' });
    expect(result.literals).toEqual([]);
  });

  it('lets go of a placeholder whose value was edited, and lists the value where it lands literally', () => {
    const changed = unrender({ q: 'FROM ${{ var.ds }}.t' }, { q: 'FROM analytics-prod.t' }, vars);
    expect(changed.value).toEqual({ q: 'FROM analytics-prod.t' });
    const added = unrender({ w: [] }, { w: [{ q: 'FROM analytics-staging.t', on: 'on' }] }, vars, ['definition']);
    expect(added.literals).toEqual([{ at: ['definition', 'w', 0, 'q'], variable: 'ds' }]);
    expect(newFileContent({ name: 'N', definition: { q: 'analytics-staging' } }, vars).literals).toEqual([
      { at: ['definition', 'q'], variable: 'ds' },
    ]);
  });

  it('always renders back to exactly the workspace text, for generated templates and edits', () => {
    const parts = ['${{ var.ds }}', '$${{ var.ds }}', 'analytics-staging', ' FROM ', 'x', '.', '${{', '}}', ''];
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const pick = (): string => parts[next() % parts.length]!;
    for (let i = 0; i < 1500; i++) {
      let template = '';
      let remote = '';
      for (let k = next() % 6; k > 0; k--) template += pick();
      for (let k = next() % 6; k > 0; k--) remote += pick();
      const written = unrender(template, remote, vars).value;
      expect(render(written, vars).value, JSON.stringify([template, remote])).toBe(remote);
    }
  });
});
