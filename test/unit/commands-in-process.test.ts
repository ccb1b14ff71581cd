import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, apply, plan, validate } from '../../src/index.js';
import type { ActionEvent } from '../../src/index.js';
import { textReporter } from '../../src/report/reporter.js';
import type { TextReporter } from '../../src/report/reporter.js';
import { watchEventLine } from '../../src/report/watch-text.js';
import { dashboardYaml, tree, write } from '../helpers.js';
import { MemoryClient, inMemoryOptions } from '../memory-client.js';

// The commands through their library API with an in-memory client: the rules of plan, apply and
// validate checked in milliseconds, no server and no process (the CLI tests prove the journeys).

/** A reporter that keeps the events and the lines it is given. */
function recordingReporter(): TextReporter & { events: ActionEvent[]; lines: string[] } {
  const events: ActionEvent[] = [];
  const lines: string[] = [];
  const keep = { write: (s: string) => lines.push(...s.replace(/\n$/, '').split('\n')) };
  const text = textReporter({ out: keep, err: keep });
  return { ...text, events, lines, event: (e) => events.push(e) };
}

const options = inMemoryOptions;

describe('plan, in process', () => {
  it('plans a create for a file the workspace does not have, and an update for one that differs', async () => {
    const client = new MemoryClient();
    const id = client.seed('p', { name: 'B', definition: { panels: [], query: 'SELECT 1' } });
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/b.yaml': dashboardYaml('B', '', id).replace('SELECT 1', 'SELECT 2'),
    });
    const { plan: planned } = await plan(options(dir, client));
    expect(planned.actions.map((a) => `${a.kind} ${'path' in a ? a.path : a.id}`).sort()).toEqual([
      'create dashboards/p/a.yaml',
      'update dashboards/p/b.yaml',
    ]);
    expect(client.calls).toEqual([]);
  });

  it('plans a delete only with prune', async () => {
    const client = new MemoryClient();
    const id = client.seed('p', { name: 'Orphan', definition: { panels: [] } });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const without = await plan(options(dir, client));
    expect(without.plan.actions.some((a) => a.kind === 'delete')).toBe(false);
    expect(without.plan.unmanaged.map((u) => u.id)).toEqual([id]);
    const withPrune = await plan({ ...options(dir, client), prune: true });
    expect(withPrune.plan.actions.filter((a) => a.kind === 'delete').map((a) => 'id' in a && a.id)).toEqual([id]);
  });
});

describe('apply, in process', () => {
  it('creates what is missing, writes the new id into the file, and is a no-op when run again', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const reporter = recordingReporter();
    const first = await apply({ ...options(dir, client, reporter), yes: true });
    expect(first.summary).toMatchObject({ created: 1, updated: 0, deleted: 0, failed: 0 });
    const [created] = [...client.dashboards.values()];
    expect(created?.name).toBe('A');
    expect(readFileSync(join(dir, 'dashboards/p/a.yaml'), 'utf8')).toContain(`id: ${created?.id}`);
    expect(reporter.events.filter((e) => e.phase === 'done').map((e) => e.id)).toEqual([created?.id]);
    const second = await apply({ ...options(dir, client), yes: true });
    expect(second.outcomes).toEqual([]);
    expect(client.calls).toEqual(['save p/(new)']);
  });

  it('refuses without --yes and without a way to confirm, and changes nothing', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    await expect(apply(options(dir, client))).rejects.toThrow('apply needs confirmation');
    expect(client.calls).toEqual([]);
  });

  it('skips an update changed on both sides since the last sync, unless forced', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    await apply({ ...options(dir, client), yes: true });
    const [synced] = [...client.dashboards.values()];
    await client.save('p', {
      id: synced!.id,
      name: 'A',
      definition: { title: 'A', widgets: [{ type: 'chart', query: 'SELECT theirs' }] },
    });
    write(
      dir,
      'dashboards/p/a.yaml',
      readFileSync(join(dir, 'dashboards/p/a.yaml'), 'utf8').replace('SELECT 1', 'SELECT mine'),
    );
    const skipped = await apply({ ...options(dir, client), yes: true });
    expect(skipped.summary).toMatchObject({ updated: 0, skipped: 1 });
    expect(skipped.outcomes[0]?.message).toContain('changed both locally and in the workspace since the last sync');
    expect(JSON.stringify(client.dashboards.get(synced!.id)?.definition)).toContain('SELECT theirs');
    const forced = await apply({ ...options(dir, client), yes: true, force: true });
    expect(forced.summary).toMatchObject({ updated: 1, skipped: 0 });
    expect(JSON.stringify(client.dashboards.get(synced!.id)?.definition)).toContain('SELECT mine');
  });

  it('carries a failed save as a failed outcome with the error as one line, not as a throw', async () => {
    const client = new MemoryClient();
    client.save = async () => {
      throw Object.assign(new Error('EACCES: permission denied'), {
        code: 'EACCES',
        syscall: 'open',
        path: '/somewhere/locked',
      });
    };
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await apply({ ...options(dir, client), yes: true });
    expect(r.summary).toMatchObject({ created: 0, failed: 1 });
    expect(r.outcomes[0]?.message).toBe(
      'permission denied: /somewhere/locked (check the permissions of the file and of its folder)',
    );
  });
});

describe('validate, in process', () => {
  it('returns each problem with its file, line and column, and counts the valid files', async () => {
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/b.yaml': 'name: B\ndefinition: {}\nwidgets: []\n',
    });
    const reporter = recordingReporter();
    const r = await validate({ cwd: dir, env: {}, reporter });
    expect(r.files).toBe(1);
    expect(r.problems.map((p) => [p.path, p.line, p.col])).toEqual([['dashboards/p/b.yaml', 3, 1]]);
    expect(reporter.lines.at(-1)).toBe('1 problem in 1 file; 1 of 2 files valid.');
  });
});

describe('terminal escaping belongs to the terminal', () => {
  it('apply keeps the server message as sent in its result, and the terminal line makes it inert', async () => {
    const client = new MemoryClient();
    client.save = async () => {
      throw new ApiError({
        kind: 'validation',
        method: 'POST',
        path: '/api/v1/dashboards/save',
        status: 422,
        serverMessage: 'bad \u001b[2J name',
      });
    };
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const reporter = recordingReporter();
    const r = await apply({ ...options(dir, client, reporter), yes: true });
    expect(r.outcomes[0]?.message).toBe('POST /api/v1/dashboards/save failed (422): bad \u001b[2J name');
    const failed = reporter.events.find((e) => e.phase === 'failed')!;
    const line = watchEventLine(failed, reporter);
    expect(line).toContain('FAILED: POST /api/v1/dashboards/save failed (422): bad \\x1b[2J name');
    expect(line).not.toContain('\u001b');
  });
});
