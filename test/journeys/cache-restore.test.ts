import { cpSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { dashboardYaml, read, run, tree, write } from '../helpers.js';

// CI restores .dashsync/ from an earlier run into a fresh checkout. Whatever that cache holds, the
// plan must be the one a run without any cache makes: a cache may only spare requests.

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function workspace() {
  const s = await startServer({ token: 'cache-token-0123456789' });
  servers.push(s);
  return Object.assign(s, { env: { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token } });
}

/** A fresh checkout of `dir`'s files (new inodes and times, as git gives), with `state` as its .dashsync. */
function checkout(dir: string, state?: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'dashsync-checkout-'));
  cpSync(join(dir, 'dashboards'), join(copy, 'dashboards'), { recursive: true });
  if (state) cpSync(state, join(copy, '.dashsync'), { recursive: true });
  return copy;
}

interface PlanJson {
  actions: Array<Record<string, unknown>>;
  unmanaged: unknown[];
  summary: unknown;
}

/** What apply would do, without the reasons (a cache may know more of why: drift, conflict). */
async function planOf(
  dir: string,
  s: { env: Record<string, string>; stats: { get: number } },
): Promise<{ plan: { actions: unknown[]; unmanaged: unknown[] }; gets: number }> {
  const gets = s.stats.get;
  const r = await run(dir, ['plan', '--prune', '--json'], s.env);
  expect(r.code, r.stderr).toBe(0);
  const p = JSON.parse(r.stdout) as PlanJson;
  const actions = p.actions
    .map(({ reason: _reason, ...a }) => a)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { plan: { actions, unmanaged: p.unmanaged }, gets: s.stats.get - gets };
}

describe('a restored sync state (the CI cache)', () => {
  it('gives exactly the plan no cache gives, after the files and the workspace have both moved on', async () => {
    const s = await workspace();
    const files: Record<string, string> = {};
    for (let i = 1; i <= 8; i++) files[`dashboards/ops/board-${i}.yaml`] = dashboardYaml(`Board ${i}`);
    const dir = tree(files);
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    // Files last touched an hour ago, so that the file cache would trust their size and mtime alone.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (let i = 1; i <= 8; i++) utimesSync(join(dir, `dashboards/ops/board-${i}.yaml`), anHourAgo, anHourAgo);
    expect((await run(dir, ['plan'], s.env)).code).toBe(0);
    const oldState = mkdtempSync(join(tmpdir(), 'dashsync-old-state-'));
    cpSync(join(dir, '.dashsync'), oldState, { recursive: true });
    const idOf = (n: number): string => /^id: (\S+)/.exec(read(dir, `dashboards/ops/board-${n}.yaml`))![1]!;

    // Since that run: an edit of the same size whose old mtime came back (as a restore gives), an edit
    // in the workspace, a dashboard deleted there and one made there, a new file and a removed one.
    const before = statSync(join(dir, 'dashboards/ops/board-1.yaml'));
    write(dir, 'dashboards/ops/board-1.yaml', read(dir, 'dashboards/ops/board-1.yaml').replace('SELECT 1', 'SELECT 9'));
    utimesSync(join(dir, 'dashboards/ops/board-1.yaml'), before.atime, before.mtime);
    await s.store.save('user', 'ops', {
      id: idOf(2),
      name: 'Board 2',
      definition: { title: 'Board 2', widgets: [{ type: 'chart', query: 'SELECT 2' }] },
    });
    await s.store.delete('user', 'ops', idOf(3));
    await s.store.save('user', 'ops', { name: 'Made in the UI', definition: {} });
    write(dir, 'dashboards/ops/board-new.yaml', dashboardYaml('Board new'));
    rmSync(join(dir, 'dashboards/ops/board-4.yaml'));

    const cold = checkout(dir);
    const warm = checkout(dir, oldState);
    // The checkout keeps the restored mtime of the edited file, as tar and rsync -t do.
    for (const d of [cold, warm]) utimesSync(join(d, 'dashboards/ops/board-1.yaml'), before.atime, before.mtime);
    const withoutCache = await planOf(cold, s);
    const withCache = await planOf(warm, s);
    // board-1 and board-2 updated, board-3 re-created, board-new created, board-4 and the UI one deleted
    expect(withoutCache.plan.actions.length).toBe(6);
    expect(withCache.plan).toEqual(withoutCache.plan);
    // ...and it spared the gets of what is unchanged on both sides (boards 5 to 8).
    expect(withCache.gets).toBeLessThanOrEqual(withoutCache.gets - 4);
  }, 60_000);

  it('ignores a cache made for another workspace, even one holding the same dashboard ids', async () => {
    const a = await workspace();
    const b = await workspace();
    const dir = tree({ 'dashboards/p/one.yaml': dashboardYaml('One'), 'dashboards/p/two.yaml': dashboardYaml('Two') });
    expect((await run(dir, ['apply', '--yes'], a.env)).code).toBe(0);
    expect((await run(dir, ['plan'], a.env)).code).toBe(0);
    // Workspace B holds the same ids with other content (a copy that drifted).
    for (const d of a.store.list('user', 'p'))
      await b.store.save('user', 'p', { id: d.id, name: d.name, definition: { drifted: true } });
    const withoutCache = await planOf(checkout(dir), b);
    const withCache = await planOf(checkout(dir, join(dir, '.dashsync')), b);
    expect(withoutCache.plan.actions.length).toBe(2);
    expect(withCache).toEqual(withoutCache);
  }, 60_000);

  it('refuses a saved plan applied with another sync state than it was made with, in both directions', async () => {
    const s = await workspace();
    const dir = tree({ 'dashboards/p/b.yaml': dashboardYaml('B') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect((await run(dir, ['plan'], s.env)).code).toBe(0);
    const state = join(dir, '.dashsync');
    // The same dashboard edited in the file and in the workspace: only a sync state can tell.
    write(dir, 'dashboards/p/b.yaml', read(dir, 'dashboards/p/b.yaml').replace('SELECT 1', 'SELECT 2'));
    const id = /^id: (\S+)/.exec(read(dir, 'dashboards/p/b.yaml'))![1]!;
    await s.store.save('user', 'p', { id, name: 'B', definition: { edited: 'in the UI' } });

    const withState = checkout(dir, state);
    const planned = await run(withState, ['plan', '--out', 'plan.json'], s.env);
    expect(planned.stdout).toContain('CONFLICT');
    const without = checkout(dir);
    cpSync(join(withState, 'plan.json'), join(without, 'plan.json'));
    const r1 = await run(without, ['apply', 'plan.json'], s.env);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('the plan skips it as a conflict; this run would apply it');

    const plainPlan = checkout(dir);
    expect((await run(plainPlan, ['plan', '--out', 'plan.json'], s.env)).code).toBe(0);
    const withState2 = checkout(dir, state);
    cpSync(join(plainPlan, 'plan.json'), join(withState2, 'plan.json'));
    const r2 = await run(withState2, ['apply', 'plan.json'], s.env);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('the plan applies it; this run would skip it as a conflict');
    expect(s.store.get('user', 'p', id)!.definition).toEqual({ edited: 'in the UI' });
  }, 60_000);

  it('refuses a saved plan pointed at another URL before sending it a single request', async () => {
    const s = await workspace();
    const other = await workspace();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['plan', '--out', 'plan.json'], s.env)).code).toBe(0);
    const r = await run(dir, ['apply', 'plan.json', '--url', other.url], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the plan was made for ${s.url}`);
    expect(other.stats.list + other.stats.get + other.stats.save).toBe(0);
  }, 60_000);
});
