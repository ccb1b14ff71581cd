import { describe, expect, it } from 'vitest';
import type { LocalFile, Plan } from '../../src/core/types.js';
import { PreviewItems } from '../../src/preview/items.js';

/*
 * What the preview knows of each file, in process: its status and changes against the workspace
 * (as a plan found it) or, offline, against the last sync's record; a file read again keeps its
 * base; an invalid one keeps its last valid content; a deleted one goes.
 */

const file = (path: string, title: string, fileId?: string): LocalFile => ({
  path,
  folder: path.split('/')[1]!,
  projectId: path.split('/')[1]!,
  name: title,
  definition: { widgets: [{ id: 'w', type: 'kpi', title }] },
  contentHash: `hash-${title}`,
  byteHash: `bytes-${title}`,
  ...(fileId ? { fileId, id: fileId } : {}),
});
const against = { what: 'workspace' as const, words: 'the workspace' };

describe('the preview of each file', () => {
  const changed = file('dashboards/p/changed.yaml', 'Now', 'id-1');
  const same = file('dashboards/p/same.yaml', 'Same', 'id-2');
  const fresh = file('dashboards/p/new.yaml', 'Fresh');
  const plan: Plan = {
    unmanaged: [],
    unchanged: 1,
    actions: [
      {
        kind: 'update',
        path: changed.path,
        projectId: 'p',
        folder: 'p',
        id: 'id-1',
        name: 'Now',
        local: { name: 'Now', definition: changed.definition! },
        remote: { name: 'Now', definition: { widgets: [{ id: 'w', type: 'kpi', title: 'Then' }] } },
        reason: 'local-edit',
        adopt: false,
        localHash: 'l',
        remoteHash: 'r',
      },
      {
        kind: 'create',
        path: fresh.path,
        projectId: 'p',
        folder: 'p',
        name: 'Fresh',
        local: { name: 'Fresh', definition: fresh.definition! },
        localHash: 'f',
      },
    ],
  };

  it('is pending until the workspace is read, then changed, unchanged or new, with its changes in words', () => {
    const items = new PreviewItems(against);
    items.load([changed, same, fresh], []);
    expect(items.get(changed.path)!.status).toBe('pending');
    items.compareWithWorkspace(plan, against);
    expect(items.get(changed.path)).toMatchObject({
      status: 'changed',
      base: plan.actions[0]!.kind === 'update' ? plan.actions[0]!.remote : {},
    });
    expect(items.get(changed.path)!.changes.map((c) => c.sentence)).toEqual(['the KPI "Then" is renamed "Now"']);
    expect(items.get(same.path)!.status).toBe('unchanged');
    expect(items.get(fresh.path)!.status).toBe('new');
    expect(items.get(fresh.path)!.changes.map((c) => c.sentence)).toEqual(['the KPI "Fresh" is added']);
    expect(items.view().folders.map((f) => f.items.map((i) => i.path))).toEqual([
      [changed.path, fresh.path, same.path],
    ]);
  });

  it('compares a file read again with the same base; keeps the last valid drawing under problems; forgets a deleted file', () => {
    const items = new PreviewItems(against);
    items.load([changed, same], []);
    items.compareWithWorkspace(plan, against);
    const version = items.get(same.path)!.version;
    items.read(same.path, file(same.path, 'Edited', 'id-2'));
    expect(items.get(same.path)).toMatchObject({ status: 'changed', version: version + 1 });
    expect(items.get(same.path)!.changes.map((c) => c.sentence)).toContain('the KPI "Same" is renamed "Edited"');
    const problem = { path: same.path, line: 3, col: 5, message: 'bad indentation' };
    items.read(same.path, [problem]);
    expect(items.get(same.path)).toMatchObject({ problems: [problem], content: { name: 'Edited' } });
    expect(items.counts()).toEqual({ files: 2, invalid: 1 });
    expect(items.read(same.path, 'gone')).toBeUndefined();
    expect(items.counts()).toEqual({ files: 1, invalid: 0 });
  });

  it("offline, says whether each file changed since the last sync's record, and tells no changes", () => {
    const items = new PreviewItems(against);
    items.load([changed, same, fresh, file('dashboards/p/other.yaml', 'Other', 'id-9')], []);
    items.compareWithLastSync(
      { 'id-1': { hash: 'hash-Then' }, 'id-2': { hash: 'hash-Same' } },
      { what: 'last sync', words: 'the last sync' },
    );
    expect(items.get(changed.path)).toMatchObject({ status: 'edited', changes: [] });
    expect(items.get(same.path)!.status).toBe('synced');
    expect(items.get(fresh.path)!.status).toBe('new');
    expect(items.get('dashboards/p/other.yaml')!.status).toBe('unknown');
    items.compareWithLastSync(undefined, { what: 'nothing', words: 'nothing' });
    expect(items.get(same.path)!.status).toBe('unknown');
  });
});
