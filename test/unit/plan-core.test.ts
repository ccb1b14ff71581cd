import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../src/core/canonical.js';
import { claimRemotes, findNamesakes } from '../../src/core/claims.js';
import { computePlan } from '../../src/core/plan.js';
import { hasChanges, skippedConflicts, summarize } from '../../src/core/plan-summary.js';
import type { ProjectFolder } from '../../src/core/types.js';
import { whoChanged } from '../../src/core/who-changed.js';
import { decidePull, decideRemoval } from '../../src/core/pull-plan.js';
import { slugify, uniqueFileName } from '../../src/core/slug.js';
import type { LocalFile, RemoteDashboard, SyncBase } from '../../src/core/types.js';

const folder: ProjectFolder = { folder: 'sales', projectId: 'p1', path: 'dashboards/sales' };

function file(name: string, definition: Record<string, unknown> = {}, id?: string, projectId = 'p1'): LocalFile {
  const def = definition as NonNullable<LocalFile['definition']>;
  return {
    path: `dashboards/sales/${name.toLowerCase()}.yaml`,
    folder: 'sales',
    projectId,
    name,
    definition: def,
    contentHash: contentHash({ name, definition: def }),
    byteHash: 'x',
    ...(id ? { id } : {}),
  };
}

function remote(id: string, name: string, definition: Record<string, unknown> = {}, projectId = 'p1'): RemoteDashboard {
  return {
    id,
    projectId,
    name,
    definition: definition as RemoteDashboard['definition'],
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

function planOf(
  files: LocalFile[],
  remotes: RemoteDashboard[],
  opts: { prune?: boolean; force?: boolean; base?: Map<string, SyncBase>; folders?: ProjectFolder[] } = {},
) {
  const claims = claimRemotes(files, remotes);
  return computePlan({
    folders: opts.folders ?? [folder],
    claims,
    remote: remotes,
    remoteHashes: new Map(remotes.map((r) => [r.id, contentHash(r)])),
    details: new Map(remotes.map((r) => [r.id, r])),
    base: opts.base ?? new Map(),
    prune: opts.prune ?? false,
    force: opts.force ?? false,
  });
}

describe('plan core', () => {
  it('creates a dashboard whose file has no id and no remote namesake', () => {
    const p = planOf([file('A')], []);
    expect(p.actions).toMatchObject([{ kind: 'create', name: 'A' }]);
    expect(summarize(p).create).toBe(1);
  });

  it('ignores object key order when comparing', () => {
    const p = planOf(
      [file('A', { a: 1, b: { c: 2, d: 3 } }, 'id1')],
      [remote('id1', 'A', { b: { d: 3, c: 2 }, a: 1 })],
    );
    expect(p.actions).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it('treats array order as meaningful', () => {
    const p = planOf([file('A', { w: [1, 2] }, 'id1')], [remote('id1', 'A', { w: [2, 1] })]);
    expect(p.actions).toMatchObject([{ kind: 'update', id: 'id1' }]);
  });

  it('never shows server-added fields as a change', () => {
    const r = { ...remote('id1', 'A', { x: 1 }), created_at: 'now', extra: true } as RemoteDashboard;
    const p = planOf([file('A', { x: 1 }, 'id1')], [r]);
    expect(p.actions).toEqual([]);
  });

  it('treats a rename as an update, not a delete and create', () => {
    const p = planOf([file('New name', {}, 'id1')], [remote('id1', 'Old name')], { prune: true });
    expect(p.actions).toMatchObject([{ kind: 'update', id: 'id1', name: 'New name' }]);
  });

  it('adopts a remote dashboard with the same name instead of creating a duplicate', () => {
    const p = planOf([file('A', { x: 2 })], [remote('id9', 'A', { x: 1 })]);
    expect(p.actions).toMatchObject([{ kind: 'update', id: 'id9', adopt: true }]);
  });

  it('links without saving when the namesake is already equal', () => {
    const p = planOf([file('A', { x: 1 })], [remote('id9', 'A', { x: 1 })]);
    expect(p.actions).toMatchObject([{ kind: 'link', id: 'id9' }]);
    expect(hasChanges(p)).toBe(true);
  });

  it('refuses to guess when several remote dashboards share the name', () => {
    const p = planOf([file('A')], [remote('id1', 'A'), remote('id2', 'A')]);
    expect(p.actions).toMatchObject([{ kind: 'error' }]);
    expect((p.actions[0] as { message: string }).message).toMatch(/2 remote dashboards.*add the right one's id/);
  });

  it('creates again a file whose id the workspace does not have, and says so', () => {
    const p = planOf([file('A', {}, 'gone')], []);
    expect(p.actions).toMatchObject([{ kind: 'create', recreateId: 'gone' }]);
  });

  it('does not delete without --prune: lists the dashboard as not managed', () => {
    const p = planOf([file('A', {}, 'id1')], [remote('id1', 'A'), remote('id2', 'Orphan')]);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged).toMatchObject([{ id: 'id2', name: 'Orphan' }]);
  });

  it('deletes with --prune only inside project folders that exist locally', () => {
    const other = remote('id3', 'Elsewhere', {}, 'p2');
    const p = planOf([file('A', {}, 'id1')], [remote('id1', 'A'), remote('id2', 'Orphan'), other], { prune: true });
    expect(p.actions).toMatchObject([{ kind: 'delete', id: 'id2' }]);
    expect(p.unmanaged).toEqual([]);
  });

  it('refuses to prune a whole project whose folder is empty unless forced', () => {
    const p = planOf([], [remote('id1', 'A'), remote('id2', 'B')], { prune: true });
    expect(p.actions).toMatchObject([{ kind: 'error' }]);
    const forced = planOf([], [remote('id1', 'A'), remote('id2', 'B')], { prune: true, force: true });
    expect(forced.actions.map((a) => a.kind)).toEqual(['delete', 'delete']);
  });

  it('reports an id that belongs to another project instead of copying it', () => {
    const p = planOf([file('A', {}, 'id1')], [remote('id1', 'A', {}, 'p2')]);
    expect(p.actions).toMatchObject([{ kind: 'error' }]);
  });

  it('tells a local edit, drift and a conflict apart with the sync state', () => {
    const synced = { name: 'A', definition: { v: 1 } };
    const base = new Map([['id1', { hash: contentHash(synced as never) }]]);
    const local = planOf([file('A', { v: 2 }, 'id1')], [remote('id1', 'A', { v: 1 })], { base });
    expect(local.actions).toMatchObject([{ kind: 'update', reason: 'local-edit' }]);
    const drift = planOf([file('A', { v: 1 }, 'id1')], [remote('id1', 'A', { v: 3 })], { base });
    expect(drift.actions).toMatchObject([{ kind: 'update', reason: 'drift' }]);
    const conflict = planOf([file('A', { v: 2 }, 'id1')], [remote('id1', 'A', { v: 3 })], { base });
    expect(conflict.actions).toMatchObject([{ kind: 'update', reason: 'conflict' }]);
    expect(summarize(conflict).conflict).toBe(1);
    const fresh = planOf([file('A', { v: 2 }, 'id1')], [remote('id1', 'A', { v: 3 })]);
    expect(fresh.actions).toMatchObject([{ kind: 'update', reason: 'unknown' }]);
  });

  it('gives the same plan whatever order the server lists things in', () => {
    const files = [file('B', { x: 1 }), file('A', { y: 1 }, 'id1'), file('C')];
    const remotes = [remote('id1', 'A'), remote('id2', 'B'), remote('id3', 'Z'), remote('id4', 'Y')];
    const one = planOf(files, remotes, { prune: true });
    const two = planOf([...files].reverse(), [...remotes].reverse(), { prune: true });
    expect(two).toEqual(one);
  });
});

describe('canonical JSON and slugs', () => {
  it('sorts keys at every depth but keeps arrays', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('writes exactly the text and hash that sync states already hold, for integer-like, __proto__ and unicode keys too', () => {
    // The reference: the sorting JSON.stringify replacer the hashes in existing sync states were made with.
    const reference = (v: unknown): string =>
      JSON.stringify(v, (_k, x: unknown) => {
        if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(x).sort())
          Object.defineProperty(out, k, {
            value: (x as Record<string, unknown>)[k],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return out;
      });
    const proto = JSON.parse('{"__proto__": {"z": 1, "a": [true, null]}, "b": "x"}') as never;
    const values = [
      proto,
      { '10': 1, '9': 2, b: 3, '01': 4, A: 5, é: 6, '😀': 7, '': 8 },
      [1, 'two', { y: [{ b: 1, a: 2 }], x: -0 }],
      'text "quoted" \u2028',
      1.5e300,
      null,
      { nested: { deeper: { deepest: [[], {}] } } },
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(reference(v));
    expect(contentHash({ name: 'n', definition: { b: 1, a: { '2': 'x', '1': 'y' } } })).toBe(
      'aa74f781a3538155865c0677c679f0f5',
    );
  });

  it('makes lowercase slugs and unique names within a folder', () => {
    expect(slugify('Sales Overview (EU) – Q3!')).toBe('sales-overview-eu-q3');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('📈')).toBe('dashboard');
    const taken = new Set(['sales.yaml']);
    expect(uniqueFileName('Sales', taken)).toBe('sales-2.yaml');
    expect(uniqueFileName('SALES', taken)).toBe('sales-3.yaml');
  });

  it('counts a conflict apply will skip as a conflict, not as work, unless forced', () => {
    const base = new Map([['id1', { hash: contentHash({ name: 'A', definition: { v: 1 } }) }]]);
    const conflict = planOf([file('A', { v: 2 }, 'id1')], [remote('id1', 'A', { v: 3 })], { base });
    expect(summarize(conflict)).toMatchObject({ update: 0, conflict: 1 });
    expect(hasChanges(conflict)).toBe(false);
    expect(skippedConflicts(conflict)).toBe(1);
    const forced = planOf([file('A', { v: 2 }, 'id1')], [remote('id1', 'A', { v: 3 })], { base, force: true });
    expect(summarize(forced)).toMatchObject({ update: 1, conflict: 1 });
    expect(hasChanges(forced)).toBe(true);
    expect(skippedConflicts(forced)).toBe(0);
  });

  it('sees by content that a dashboard to prune changed since the last sync, when no updated_at was recorded', () => {
    const synced = contentHash({ name: 'Gone', definition: { v: 1 } });
    const changed = planOf([file('A', {}, 'id1')], [remote('id1', 'A'), remote('id2', 'Gone', { v: 2 })], {
      prune: true,
      base: new Map([['id2', { hash: synced }]]),
    });
    expect(changed.actions).toMatchObject([{ kind: 'delete', id: 'id2', conflict: true }]);
    const same = planOf([file('A', {}, 'id1')], [remote('id1', 'A'), remote('id2', 'Gone', { v: 1 })], {
      prune: true,
      base: new Map([['id2', { hash: synced }]]),
    });
    expect(same.actions).toEqual([
      { kind: 'delete', projectId: 'p1', folder: 'sales', id: 'id2', name: 'Gone', updatedAt: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('tells which side changed, the rule plan and pull share', () => {
    expect(whoChanged(undefined, 'l', 'r')).toBe('unknown');
    expect(whoChanged({ hash: 'b' }, 'l', 'b')).toBe('local-edit');
    expect(whoChanged({ hash: 'b' }, 'b', 'r')).toBe('drift');
    expect(whoChanged({ hash: 'b' }, 'l', 'r')).toBe('conflict');
  });

  it("finds projects holding several dashboards with a file's name", () => {
    const remotes = [
      remote('id1', 'Sales'),
      remote('id9', 'Sales'),
      remote('id2', 'Ops'),
      remote('id3', 'Sales', {}, 'p2'),
    ];
    const claims = claimRemotes([file('Sales', {}, 'id1'), file('Ops', {}, 'id2')], remotes);
    expect(findNamesakes(claims, remotes)).toEqual([
      { path: 'dashboards/sales/sales.yaml', projectId: 'p1', name: 'Sales', ids: ['id1', 'id9'] },
    ]);
  });
});

describe('pull core', () => {
  const base = { hash: 'synced' };
  it('takes only a change made in the workspace alone, unless forced', () => {
    expect(
      decidePull({ projectId: 'p', contentHash: 'synced', id: 'i' }, { projectId: 'p', hash: 'theirs' }, base, {
        force: false,
      }),
    ).toEqual({ kind: 'rewrite' });
    expect(
      decidePull({ projectId: 'p', contentHash: 'mine', id: 'i' }, { projectId: 'p', hash: 'synced' }, base, {
        force: false,
      }),
    ).toMatchObject({ kind: 'kept', message: expect.stringContaining('edited locally') });
    expect(
      decidePull({ projectId: 'p', contentHash: 'mine', id: 'i' }, { projectId: 'p', hash: 'theirs' }, base, {
        force: false,
      }),
    ).toMatchObject({ kind: 'kept', message: expect.stringContaining('CONFLICT') });
    expect(
      decidePull({ projectId: 'p', contentHash: 'mine', id: 'i' }, { projectId: 'p', hash: 'theirs' }, undefined, {
        force: false,
      }),
    ).toMatchObject({ kind: 'kept', message: expect.stringContaining('no sync record') });
    expect(
      decidePull({ projectId: 'p', contentHash: 'mine', id: 'i' }, { projectId: 'p', hash: 'theirs' }, base, {
        force: true,
      }),
    ).toEqual({ kind: 'rewrite' });
    expect(
      decidePull({ projectId: 'p', contentHash: 'same' }, { projectId: 'p', hash: 'same' }, undefined, {
        force: false,
      }),
    ).toEqual({ kind: 'link' });
    expect(
      decidePull({ projectId: 'p', contentHash: 'same', id: 'i' }, { projectId: 'p', hash: 'same' }, undefined, {
        force: false,
      }),
    ).toEqual({ kind: 'unchanged' });
    expect(
      decidePull({ projectId: 'p', contentHash: 'same', id: 'i' }, { projectId: 'q', hash: 'same' }, undefined, {
        force: true,
      }).kind,
    ).toBe('kept');
  });

  it('removes a file whose dashboard was deleted only with prune, and keeps a local edit unless forced', () => {
    expect(decideRemoval({ contentHash: 'synced' }, base, { prune: false, force: false }).kind).toBe('gone-remotely');
    expect(decideRemoval({ contentHash: 'synced' }, base, { prune: true, force: false }).kind).toBe('remove');
    expect(decideRemoval({ contentHash: 'mine' }, base, { prune: true, force: false }).kind).toBe('kept');
    expect(decideRemoval({ contentHash: 'mine' }, base, { prune: true, force: true }).kind).toBe('remove');
  });
});
