import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/canonical.js';
import { claimRemotes } from '../../src/core/claims.js';
import { carriedOut } from '../../src/core/conflicts.js';
import { driftPolicy, driftStopWords, driftedActions } from '../../src/core/drift.js';
import { computePlan } from '../../src/core/plan.js';
import { hasChanges, skippedConflicts, summarize } from '../../src/core/plan-summary.js';
import { decidePull } from '../../src/core/pull-plan.js';
import { compareThreeWay, mergeTheirs, verdictOf } from '../../src/core/three-way.js';
import type { DashboardContent, DriftPolicy, LocalFile, ProjectFolder, RemoteDashboard } from '../../src/core/types.js';
import { planToJson } from '../../src/local/plan-file.js';
import { renderPlan, planSummaryLine } from '../../src/report/plan-text.js';
import { planMarkdown } from '../../src/report/plan-markdown.js';
import { makeStyle } from '../../src/report/style.js';

// The pure rules of the pull-request loop (issue 21): drift as its own kind of change with a
// policy, conflicts compared three ways, adoption by name only when the content is equal.

const folder: ProjectFolder = { folder: 'sales', projectId: 'p1', path: 'dashboards/sales' };
const plain = makeStyle(false);

const board = (query: string, title = 'Revenue', extra: Record<string, unknown> = {}): DashboardContent => ({
  name: 'Revenue',
  definition: { title, widgets: [{ type: 'chart', query }], ...extra } as DashboardContent['definition'],
});

function file(content: DashboardContent, id?: string): LocalFile {
  return {
    path: 'dashboards/sales/revenue.yaml',
    folder: 'sales',
    projectId: 'p1',
    name: content.name,
    definition: content.definition,
    contentHash: contentHash(content),
    byteHash: 'x',
    ...(id ? { id, fileId: id } : {}),
  };
}

const remote = (content: DashboardContent, id = 'id1'): RemoteDashboard => ({
  id,
  projectId: 'p1',
  ...content,
  updatedAt: '2026-03-01T10:00:00Z',
});

function planOf(
  local: LocalFile,
  theirs: RemoteDashboard,
  opts: { base?: DashboardContent; keepBase?: boolean; drift?: DriftPolicy; adopt?: boolean; force?: boolean } = {},
) {
  return computePlan({
    folders: [folder],
    claims: claimRemotes([local], [theirs]),
    remote: [theirs],
    remoteHashes: new Map([[theirs.id, contentHash(theirs)]]),
    details: new Map([[theirs.id, theirs]]),
    base: new Map(opts.base ? [[theirs.id, { hash: contentHash(opts.base) }]] : []),
    ...(opts.base && opts.keepBase !== false ? { baseContent: new Map([[theirs.id, opts.base]]) } : {}),
    prune: false,
    force: opts.force ?? false,
    ...(opts.drift ? { drift: opts.drift } : {}),
    ...(opts.adopt ? { adopt: true } : {}),
  });
}

describe('the three-way comparison', () => {
  const base = board('SELECT 1', 'Revenue');

  it('calls a file that already holds the workspace change a local edit, not a conflict', () => {
    const theirs = board('SELECT 1', 'Revenue (fixed in the UI)');
    const yours = board('SELECT 2', 'Revenue (fixed in the UI)');
    const threeWay = compareThreeWay(base, yours, theirs);
    expect(threeWay).toEqual({
      yours: ['definition.widgets[0].query'],
      theirs: [],
      both: ['definition.title'],
      conflicts: [],
    });
    expect(verdictOf(threeWay)).toBe('local-edit');
  });

  it('tells changes in different places apart, and merges the workspace ones into the file', () => {
    const theirs = board('SELECT 1', 'Revenue (UI)');
    const yours = board('SELECT 2');
    const threeWay = compareThreeWay(base, yours, theirs);
    expect(threeWay).toMatchObject({ yours: ['definition.widgets[0].query'], theirs: ['definition.title'] });
    expect(verdictOf(threeWay)).toBe('merge');
    expect(mergeTheirs(base, yours, theirs)).toEqual(board('SELECT 2', 'Revenue (UI)'));
  });

  it('shows one place changed two ways with what base, yours and theirs hold there', () => {
    const threeWay = compareThreeWay(base, board('SELECT 2'), board('SELECT 3'));
    expect(threeWay.conflicts).toEqual([
      { path: 'definition.widgets[0].query', base: 'SELECT 1', yours: 'SELECT 2', theirs: 'SELECT 3' },
    ]);
    expect(verdictOf(threeWay)).toBe('conflict');
  });

  it('sees a widget removed on one side and edited on the other as a conflict at the widget', () => {
    const yours: DashboardContent = { name: 'Revenue', definition: { title: 'Revenue', widgets: [] } };
    const threeWay = compareThreeWay(base, yours, board('SELECT 3'));
    expect(threeWay.conflicts).toEqual([
      {
        path: 'definition.widgets[0]',
        base: { type: 'chart', query: 'SELECT 1' },
        theirs: { type: 'chart', query: 'SELECT 3' },
      },
    ]);
  });

  it('merges a widget the workspace removed and a key it added, keeping the file edits', () => {
    const wide = board('SELECT 1', 'Revenue', { notes: 'old' });
    (wide.definition.widgets as unknown[]).push({ type: 'table', query: 'SELECT 9' });
    const theirs = { name: 'Revenue', definition: { ...board('SELECT 1').definition, theme: 'dark', notes: 'old' } };
    const yours = { name: 'Revenue', definition: { ...wide.definition, notes: 'new' } };
    const merged = mergeTheirs(wide, yours, theirs);
    expect(merged.definition).toEqual({ ...board('SELECT 1').definition, theme: 'dark', notes: 'new' });
  });
});

describe('planning with the base content', () => {
  const base = board('SELECT 1');

  it('plans a local edit where the file holds the workspace change, though both hashes moved', () => {
    const p = planOf(file(board('SELECT 2', 'UI title'), 'id1'), remote(board('SELECT 1', 'UI title')), { base });
    expect(p.actions).toMatchObject([{ kind: 'update', reason: 'local-edit' }]);
    expect(skippedConflicts(p)).toBe(0);
  });

  it('holds back a change made on both sides in different places as a merge, not a conflict', () => {
    const p = planOf(file(board('SELECT 2'), 'id1'), remote(board('SELECT 1', 'UI title')), { base });
    expect(p.actions).toMatchObject([{ kind: 'update', reason: 'merge' }]);
    expect(summarize(p)).toMatchObject({ conflict: 0, merge: 1, update: 0 });
    expect(hasChanges(p)).toBe(false);
    expect(planSummaryLine(p)).toBe(
      'Plan: 0 to create, 0 to update, 0 to delete. 1 changed on both sides in different places, not counted above: ' +
        'apply skips it and fails unless --force (dashsync pull merges them into the files).',
    );
    const text = renderPlan(p, { dir: 'dashboards', style: plain, prune: false });
    expect(text).toContain('  * dashboards/sales/revenue.yaml  "Revenue"');
    expect(text).toContain('changed only in the file: definition.widgets[0].query');
    expect(text).toContain('changed only in the workspace: definition.title');
    expect(text).toContain("dashsync pull dashboards/sales/revenue.yaml merges the workspace's changes into the file");
  });

  it('shows a conflict three ways, place by place, in text, JSON and Markdown', () => {
    const p = planOf(file(board('SELECT 2'), 'id1'), remote(board('SELECT 3')), { base });
    expect(p.actions).toMatchObject([{ kind: 'update', reason: 'conflict' }]);
    const text = renderPlan(p, { dir: 'dashboards', style: plain, prune: false });
    expect(text).toContain(
      [
        '      definition.widgets[0].query, changed two ways:',
        '        base:   "SELECT 1"',
        '        yours:  "SELECT 2"',
        '        theirs: "SELECT 3"',
      ].join('\n'),
    );
    const json = planToJson(p, { url: 'u', scope: 'user' });
    expect(json.actions[0]!.threeWay!.conflicts).toEqual([
      { path: 'definition.widgets[0].query', base: 'SELECT 1', yours: 'SELECT 2', theirs: 'SELECT 3' },
    ]);
    expect(planMarkdown(p, { url: 'u', scope: 'user' })).toContain(
      '| `definition.widgets[0].query` | `"SELECT 1"` | `"SELECT 2"` | `"SELECT 3"` |',
    );
  });

  it('without the base content, plans a conflict as before', () => {
    const p = planOf(file(board('SELECT 2', 'UI title'), 'id1'), remote(board('SELECT 1', 'UI title')), {
      base,
      keepBase: false,
    });
    expect(p.actions).toMatchObject([{ kind: 'update', reason: 'conflict' }]);
    expect(p.actions[0]).not.toHaveProperty('threeWay');
  });

  it('pull merges a change both made in different places, keeps a real conflict, and keeps a file holding both', () => {
    const pullOf = (yours: DashboardContent, theirs: DashboardContent) =>
      decidePull(
        { projectId: 'p1', contentHash: contentHash(yours), id: 'id1' },
        { projectId: 'p1', hash: contentHash(theirs) },
        { hash: contentHash(base) },
        { force: false },
        compareThreeWay(base, yours, theirs),
      );
    expect(pullOf(board('SELECT 2'), board('SELECT 1', 'UI'))).toEqual({ kind: 'merge' });
    const conflict = pullOf(board('SELECT 2'), board('SELECT 3'));
    expect(conflict).toMatchObject({ kind: 'kept' });
    expect((conflict as { message: string }).message).toContain('at definition.widgets[0].query');
    expect(pullOf(board('SELECT 2', 'UI'), board('SELECT 1', 'UI'))).toMatchObject({
      kind: 'kept',
      message: expect.stringContaining('already holds the change made in the workspace'),
    });
  });
});

describe('drift and its policy', () => {
  const base = board('SELECT 1');
  const drifting = () => [file(base, 'id1'), remote(board('SELECT 1', 'Fixed in the UI'))] as const;

  it('under revert, keeps drift an action that apply carries out, and names it in its own section', () => {
    const p = planOf(...drifting(), { base, drift: 'revert' });
    expect(p.actions).toMatchObject([{ kind: 'update', reason: 'drift' }]);
    expect(summarize(p)).toMatchObject({ update: 1, drift: 1 });
    const text = renderPlan(p, { dir: 'dashboards', style: plain, prune: false });
    expect(text).toContain('Drift (changed in the workspace since the last sync, not in the files; --drift revert):');
    expect(text).toContain(
      '  < dashboards/sales/revenue.yaml  "Revenue"  changed in the workspace: apply reverts it to the file (--drift revert)',
    );
  });

  it('under keep, holds drift out of the actions and says pull brings it into git', () => {
    const p = planOf(...drifting(), { base, drift: 'keep' });
    expect(p.actions).toEqual([]);
    expect(driftedActions(p)).toHaveLength(1);
    expect(hasChanges(p)).toBe(false);
    expect(planSummaryLine(p)).toBe(
      'No changes to apply. 1 changed in the workspace alone (drift), kept: dashsync pull brings it into git.',
    );
    const text = renderPlan(p, { dir: 'dashboards', style: plain, prune: false });
    expect(text).toContain('      kept: changed in the workspace; `dashsync pull` brings it into git');
    expect(text).toContain('      -  title: Revenue\n      +  title: Fixed in the UI');
    const json = planToJson(p, { url: 'u', scope: 'user' });
    expect(json.actions).toEqual([]);
    expect(json.drift).toMatchObject({
      policy: 'keep',
      dashboards: [{ path: 'dashboards/sales/revenue.yaml', id: 'id1', change: 'changed' }],
    });
    expect(json.summary.drift).toBe(1);
  });

  it('under fail, names every drifted dashboard and how to bring it into git', () => {
    const p = planOf(...drifting(), { base, drift: 'fail' });
    const words = driftStopWords(p.drifted!, 'apply');
    expect(words.message).toBe(
      'drift: 1 dashboard was changed in the workspace since the last sync, not in git (--drift fail): nothing was applied\n' +
        '  < dashboards/sales/revenue.yaml  "Revenue": changed in the workspace',
    );
    expect(words.suggestion).toContain('dashsync pull dashboards/sales/revenue.yaml; commit, and review it');
  });

  it('takes the flag, else the configuration, else the command default (revert; keep for watch)', () => {
    expect(driftPolicy(undefined, undefined, 'apply')).toBe('revert');
    expect(driftPolicy(undefined, undefined, 'watch')).toBe('keep');
    expect(driftPolicy(undefined, 'fail', 'watch')).toBe('fail');
    expect(driftPolicy('keep', 'fail', 'plan')).toBe('keep');
  });
});

describe('adoption by name', () => {
  it('links a file without id to its namesake when the content is equal', () => {
    const p = planOf(file(board('SELECT 1')), remote(board('SELECT 1'), 'ui-made'));
    expect(p.actions).toMatchObject([{ kind: 'link', id: 'ui-made' }]);
  });

  it('is a conflict naming the other dashboard when the content differs, which --force does not settle', () => {
    const p = planOf(file(board('SELECT 2')), remote(board('SELECT 1'), 'ui-made'), { force: true });
    expect(p.actions).toMatchObject([
      { kind: 'update', id: 'ui-made', adopt: true, namesakeUpdatedAt: '2026-03-01T10:00:00Z' },
    ]);
    expect(carriedOut(p.actions[0]!, true)).toBe(false);
    expect(summarize(p)).toMatchObject({ conflict: 1, update: 0 });
    expect(planSummaryLine(p)).toContain('1 in conflict, not counted above: apply skips it and fails unless --adopt.');
    const text = renderPlan(p, { dir: 'dashboards', style: plain, prune: false });
    expect(text).toContain('  ! dashboards/sales/revenue.yaml  "Revenue"');
    expect(text).toContain(
      'CONFLICT: a dashboard of that name, with other content, is already in its project ' +
        '(dashboard ui-made, last changed 2026-03-01T10:00:00Z); apply skips it unless --adopt',
    );
    expect(text).toContain('dashsync apply --adopt dashboards/sales/revenue.yaml replaces its content');
  });

  it('with --adopt, plans the replacement and shows what it replaces', () => {
    const p = planOf(file(board('SELECT 2')), remote(board('SELECT 1'), 'ui-made'), { adopt: true });
    expect(carriedOut(p.actions[0]!, false)).toBe(true);
    expect(summarize(p)).toMatchObject({ conflict: 0, update: 1 });
    const text = renderPlan(p, { dir: 'dashboards', style: plain, prune: false });
    expect(text).toContain('  ~ dashboards/sales/revenue.yaml');
    expect(text).toContain('adopts existing dashboard ui-made');
    expect(text).toContain('      -      query: SELECT 1\n      +      query: SELECT 2');
    expect(planToJson(p, { url: 'u', scope: 'user' }).actions[0]).toMatchObject({
      adopt: true,
      adoptAsked: true,
      replaces: { id: 'ui-made', updatedAt: '2026-03-01T10:00:00Z' },
    });
  });
});
