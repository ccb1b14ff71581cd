import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandEvent } from '../../src/contract/events.js';
import type { ActionEvent } from '../../src/contract/execution.js';
import type { Reporter } from '../../src/contract/reporter.js';
import { openWatchSession, watch } from '../../src/commands/watch/watch.js';
import type { WatchOptions } from '../../src/contract/options.js';
import type { WatchNotice } from '../../src/contract/watch.js';
import { textReporter } from '../../src/report/reporter.js';
import { showWatchNotice } from '../../src/report/watch-text.js';
import { dashboardYaml, tree, write } from '../helpers.js';
import { MemoryClient } from '../memory-client.js';

// watch's rules through its library API with an in-memory client: a session's steps (start, a
// batch of changed paths, a check of the workspace) called directly, no file watcher, no timers,
// no server. The CLI tests (cli-watch, watch-guards) prove the journeys.

/** A reporter that keeps the watch notices it is shown. */
function noticeRecorder(): Reporter & { notices: WatchNotice[] } {
  const notices: WatchNotice[] = [];
  const show = (e: CommandEvent): void => {
    if (e.type === 'watch') notices.push(e.notice);
  };
  return { show, event: () => {}, warn: () => {}, debug: () => {}, notices };
}

const options = (cwd: string, client: MemoryClient, more: Partial<WatchOptions> = {}) => {
  const reporter = noticeRecorder();
  const opts: WatchOptions = {
    cwd,
    client,
    reporter,
    env: {},
    flags: { url: 'http://127.0.0.1:9', token: 'in-memory' },
    interval: 0,
    ...more,
  };
  return { opts, notices: reporter.notices };
};

const kinds = (notices: WatchNotice[]) => notices.map((n) => n.kind);
const actions = (notices: WatchNotice[]) =>
  notices.flatMap((n) => (n.kind === 'action' ? [`${n.event.phase} ${n.event.action.kind}`] : []));
const idIn = (dir: string, path: string) => /^id: (.*)$/m.exec(readFileSync(join(dir, path), 'utf8'))?.[1];

/** A session started on a folder of one file, p/a.yaml, created in the workspace by the start. */
async function startedSession(more: Partial<WatchOptions> = {}) {
  const client = new MemoryClient();
  const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
  const { opts, notices } = options(dir, client, more);
  const session = await openWatchSession(opts);
  await session.start();
  const end = async () => {
    await session.stop();
    await session.close();
  };
  return { client, dir, notices, session, end, id: idIn(dir, 'dashboards/p/a.yaml')! };
}

describe('watch, in process', () => {
  it('starts with a full sync: creates the missing dashboard, writes its id, and says it is watching', async () => {
    const { client, notices, id, end } = await startedSession();
    expect(client.calls).toEqual(['save p/(new)']);
    expect(client.dashboards.get(id)?.name).toBe('A');
    expect(actions(notices)).toEqual(['done create']);
    expect(notices.at(-1)).toEqual({ kind: 'waiting', dir: 'dashboards', filesInSync: 1 });
    await end();
  });

  it('turns a file edit in a batch into an update of that dashboard', async () => {
    const { client, dir, notices, session, id, end } = await startedSession();
    const path = 'dashboards/p/a.yaml';
    write(dir, path, readFileSync(join(dir, path), 'utf8').replace('SELECT 1', 'SELECT 2'));
    expect(await session.syncChanges([path])).toBe(true);
    expect(client.calls).toEqual(['save p/(new)', `save p/${id}`]);
    expect(JSON.stringify(client.dashboards.get(id)?.definition)).toContain('SELECT 2');
    expect(actions(notices)).toEqual(['done create', 'done update']);
    expect(session.result).toMatchObject({ batches: 1, created: 1, updated: 1, failed: 0 });
    await end();
  });

  it('sends nothing for its own id write-back: the file holds what was synced', async () => {
    const { client, session, end } = await startedSession();
    expect(await session.syncChanges(['dashboards/p/a.yaml'])).toBe(false);
    expect(client.calls).toEqual(['save p/(new)']);
    await end();
  });

  it('reports an invalid file with its line and column, sends nothing, and says when it is valid again', async () => {
    const { client, dir, notices, session, end } = await startedSession();
    const path = 'dashboards/p/bad.yaml';
    write(dir, path, 'name: Bad\ndefinition: {}\nwidgets: []\n');
    await session.syncChanges([path]);
    const problems = notices.flatMap((n) => (n.kind === 'problem' ? [n.problem] : []));
    expect(problems.map((p) => [p.path, p.line, p.col])).toEqual([[path, 3, 1]]);
    expect(client.calls).toEqual(['save p/(new)']);
    write(dir, path, 'name: Bad\ndefinition: {}\n');
    await session.syncChanges([path]);
    expect(notices).toContainEqual({ kind: 'valid-again', path });
    expect(client.calls).toEqual(['save p/(new)', 'save p/(new)']);
    await end();
  });

  it('keeps the dashboard of a file deleted without --prune, and says so', async () => {
    const { client, dir, notices, session, id, end } = await startedSession();
    rmSync(join(dir, 'dashboards/p/a.yaml'));
    await session.syncChanges(['dashboards/p/a.yaml']);
    expect(notices).toContainEqual({ kind: 'delete-kept', path: 'dashboards/p/a.yaml', name: 'A' });
    expect(client.dashboards.has(id)).toBe(true);
    expect(client.calls).toEqual(['save p/(new)']);
    await end();
  });

  it('with --prune, deletes the dashboard of a deleted file, but refuses to empty its project', async () => {
    const { client, dir, notices, session, end } = await startedSession({ prune: true });
    write(dir, 'dashboards/p/b.yaml', dashboardYaml('B'));
    await session.syncChanges(['dashboards/p/b.yaml']);
    const idB = idIn(dir, 'dashboards/p/b.yaml')!;
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    await session.syncChanges(['dashboards/p/b.yaml']);
    expect(client.calls.at(-1)).toBe(`delete p/${idB}`);
    expect(session.result.deleted).toBe(1);
    // The last file of the project: the planner's guard of apply --prune refuses, as apply does.
    rmSync(join(dir, 'dashboards/p/a.yaml'));
    await session.syncChanges(['dashboards/p/a.yaml']);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([`delete p/${idB}`]);
    expect(actions(notices).at(-1)).toBe('failed error');
    await end();
  });

  it('reports a dashboard created in the workspace once, and one changed there until it changes again', async () => {
    const { client, notices, session, id, end } = await startedSession();
    const made = client.seed('p', { name: 'Made in UI', definition: {} });
    await client.save('p', { id, name: 'A', definition: { changed: 'in the UI' } });
    await session.checkWorkspace();
    await session.checkWorkspace();
    const remote = notices.filter((n) => n.kind === 'remote-created' || n.kind === 'remote-changed');
    expect(remote).toEqual([
      { kind: 'remote-changed', path: 'dashboards/p/a.yaml', name: 'A', seen: 'check' },
      { kind: 'remote-created', projectId: 'p', name: 'Made in UI', id: made },
    ]);
    expect(JSON.stringify(client.dashboards.get(id)?.definition)).toContain('in the UI');
    await end();
  });

  it('with --self-heal, reverts a dashboard changed in the workspace to its file', async () => {
    const { client, session, id, end } = await startedSession({ selfHeal: true });
    await client.save('p', { id, name: 'A', definition: { changed: 'in the UI' } });
    await session.checkWorkspace();
    expect(JSON.stringify(client.dashboards.get(id)?.definition)).toContain('SELECT 1');
    expect(session.result.updated).toBe(1);
    await end();
  });
});

describe('watch(), in process', () => {
  it('with an aborted signal syncs once, hands each finished action to onEvent, and ends with the stopped notice', async () => {
    const client = new MemoryClient();
    const stray = client.seed('p', { name: 'Stray', definition: {} });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const events: ActionEvent[] = [];
    const { opts, notices } = options(dir, client, { signal: AbortSignal.abort(), onEvent: (e) => events.push(e) });
    const result = await watch(opts);
    expect(result).toEqual({ batches: 0, created: 1, updated: 0, deleted: 0, failed: 0 });
    expect(events.map((e) => `${e.phase} ${e.action.kind}`)).toEqual(['done create']);
    expect(kinds(notices)).toEqual(['action', 'unmanaged', 'waiting', 'stopped']);
    expect(notices[1]).toEqual({ kind: 'unmanaged', folder: 'p', name: 'Stray', prune: false });
    // (pendingChanges may count the event of its own id write-back, if it came before the stop.)
    expect(notices.at(-1)).toMatchObject({ kind: 'stopped', result });
    expect(client.dashboards.has(stray)).toBe(true);
  });

  it('at start, reports a dashboard changed in the workspace as a warning and leaves it', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    await watch({ ...options(dir, client).opts, signal: AbortSignal.abort() });
    const id = idIn(dir, 'dashboards/p/a.yaml')!;
    await client.save('p', { id, name: 'A', definition: { changed: 'in the UI' } });
    const { opts, notices } = options(dir, client, { signal: AbortSignal.abort() });
    const result = await watch(opts);
    expect(notices).toContainEqual({ kind: 'remote-changed', path: 'dashboards/p/a.yaml', name: 'A', seen: 'start' });
    expect(result.updated).toBe(0);
    expect(JSON.stringify(client.dashboards.get(id)?.definition)).toContain('in the UI');
  });
});

describe('watch notices on the terminal', () => {
  const at = new Date(2026, 0, 2, 3, 4, 5);
  const lines = (notice: WatchNotice, quiet = false) => {
    const out: string[] = [];
    const keep = { write: (s: string) => out.push(s) };
    const reporter = textReporter({ out: keep, err: keep, quiet });
    showWatchNotice({ at, notice }, reporter);
    return out.join('');
  };

  it('stamps each line with the time it happened and makes server text inert', () => {
    expect(lines({ kind: 'remote-created', projectId: 'p', name: 'x\u001b[2J"y', id: 'i\u0007' })).toBe(
      '03:04:05  created in the workspace, no file: p/ "x\\x1b[2J\\"y" (id i\\x07); dashsync pull brings it in\n',
    );
    expect(lines({ kind: 'batch-failed', message: 'server \u001b[31maway', pendingChanges: 2, retryInMs: 4000 })).toBe(
      'warning: 03:04:05  server \\x1b[31maway; 2 pending changes kept, retrying in 4 s\n',
    );
  });

  it('with --quiet keeps only failures and the stopped line', () => {
    const result = { batches: 1, created: 1, updated: 0, deleted: 0, failed: 0 };
    expect(lines({ kind: 'waiting', dir: 'dashboards', filesInSync: 1 }, true)).toBe('');
    expect(lines({ kind: 'stopped', result, pendingChanges: 3 }, true)).toBe(
      '03:04:05  stopped: 1 created, 0 updated, 0 deleted, 0 failed; 3 changes not yet applied.\n',
    );
  });
});

describe('watch, with targets and exclusions', () => {
  it('syncs only the files in the run: an excluded file is not created at start, nor when it is saved', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/draft.yaml': dashboardYaml('Draft') });
    const { opts, notices } = options(dir, client, { excludes: ['p/draft.yaml'] });
    const session = await openWatchSession(opts);
    await session.start();
    expect(client.calls).toEqual(['save p/(new)']);
    session.noticeChange(join(dir, 'dashboards/p/draft.yaml'));
    session.noticeChange(join(dir, 'dashboards/p/a.yaml'));
    expect([...session.pending]).toEqual(['dashboards/p/a.yaml']);
    expect(notices.at(-1)).toEqual({ kind: 'waiting', dir: 'dashboards', filesInSync: 1 });
    // A batch of the file in the run plans that file alone: the excluded one is still not created.
    write(
      dir,
      'dashboards/p/a.yaml',
      readFileSync(join(dir, 'dashboards/p/a.yaml'), 'utf8').replace('SELECT 1', 'SELECT 2'),
    );
    await session.syncChanges(['dashboards/p/a.yaml']);
    expect(client.calls).toHaveLength(2);
    expect(client.calls[1]).toMatch(/^save p\/(?!\(new\))/);
    await session.stop();
    await session.close();
  });

  it('with a file target, reports no dashboard of its project as created in the workspace', async () => {
    const client = new MemoryClient();
    client.seed('p', { name: 'Other', definition: {} });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const { opts, notices } = options(dir, client, { paths: [join(dir, 'dashboards/p/a.yaml')] });
    const session = await openWatchSession(opts);
    await session.start();
    await session.checkWorkspace();
    expect(kinds(notices)).not.toContain('unmanaged');
    expect(kinds(notices)).not.toContain('remote-created');
    await session.stop();
    await session.close();
  });
});
