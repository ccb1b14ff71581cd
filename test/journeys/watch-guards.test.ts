import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer, ServerOptions } from '../../src/emulator/server.js';
import { CLI, dashboardYaml, read, run, tree, until, write, namesIn } from '../helpers.js';

// watch goes through the same plan and executor as apply: the same prune guards, no forgotten
// deletes, and a stop on a refused token (issues 11.2, 11.3, 12.8).

const servers: RunningServer[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const TOKEN = 'watch-token-123456';

function spawnWatch(dir: string, url: string, args: string[], token = TOKEN) {
  const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0', ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: token,
      DASHSYNC_RETRIES: '1',
    },
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const stop = async (): Promise<number | null> => {
    child.kill('SIGINT');
    return exit;
  };
  return { out: () => out, stop, exit };
}

async function startWatch(dir: string, s: RunningServer, args: string[] = []) {
  const w = spawnWatch(dir, s.url, args);
  await until(() => w.out().includes('watching dashboards/'), 'watch to start');
  return w;
}

async function server(opts: ServerOptions = {}): Promise<RunningServer> {
  const s = await startServer({ token: TOKEN, ...opts });
  servers.push(s);
  return s;
}

const names = namesIn;

describe('watch --prune keeps the safeguards of apply --prune', () => {
  it('deletes nothing when a branch switch removes a whole project folder', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/q/b.yaml': dashboardYaml('B'),
      'dashboards/q/c.yaml': dashboardYaml('C'),
    });
    const w = await startWatch(dir, s, ['--prune']);
    rmSync(join(dir, 'dashboards/q'), { recursive: true });
    await until(() => w.out().includes('the folder dashboards/q is gone'), 'the vanished folder to be reported');
    expect(names(s, 'q')).toEqual(['B', 'C']);
    expect(await w.stop()).toBe(0);
  });

  it('skips, as a conflict, the delete of a dashboard changed in the workspace since the last sync', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const w = await startWatch(dir, s, ['--prune']);
    const a = s.store.list('user', 'p').find((d) => d.name === 'A')!;
    await s.store.save('user', 'p', { id: a.id, name: 'A', definition: { edited: 'in the UI' } });
    rmSync(join(dir, 'dashboards/p/a.yaml'));
    await until(() => w.out().includes('changed in the workspace since the last sync'), 'the conflict to be reported');
    expect(names(s, 'p')).toEqual(['A', 'B']);
    expect(await w.stop()).toBe(0);
  });

  it('deletes no unmanaged dashboard at start-up, and says so', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Made in the UI', definition: {} });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s, ['--prune']);
    expect(w.out()).toContain('not managed here (no file): p/ "Made in the UI"');
    expect(names(s, 'p')).toEqual(['A', 'Made in the UI']);
    expect(await w.stop()).toBe(0);
  });
});

describe('watch while the server is away', () => {
  it('applies the deletes that shared a batch with an edit once the server returns', async () => {
    let away = false;
    const s = await server({ intercept: () => (away ? 503 : undefined) });
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/b.yaml': dashboardYaml('B'),
      'dashboards/p/c.yaml': dashboardYaml('C'),
    });
    const w = await startWatch(dir, s, ['--prune']);
    away = true;
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 42'));
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    rmSync(join(dir, 'dashboards/p/c.yaml'));
    await until(() => w.out().includes('retrying in'), 'the outage to be reported');
    away = false;
    await until(
      () => JSON.stringify(s.store.list('user', 'p').find((d) => d.name === 'A')?.definition).includes('SELECT 42'),
      'the edit to be applied',
      20_000,
    );
    await until(() => names(s, 'p').length === 1, 'the deletes to be applied', 20_000);
    expect(names(s, 'p')).toEqual(['A']);
    expect(await w.stop()).toBe(0);
  });
});

describe('watch and edits made while it writes', () => {
  it('deploys an edit saved while watch was creating that file', async () => {
    let dir = '';
    let editing = false;
    const s = await server({
      intercept: (method, path) => {
        if (editing && method === 'POST' && path.endsWith('/save')) {
          editing = false;
          write(dir, 'dashboards/p/new.yaml', dashboardYaml('New', '\n      note: second version'));
        }
        return undefined;
      },
    });
    dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s);
    editing = true;
    write(dir, 'dashboards/p/new.yaml', dashboardYaml('New'));
    const remoteNew = () => JSON.stringify(s.store.list('user', 'p').find((d) => d.name === 'New')?.definition ?? null);
    await until(() => remoteNew().includes('second version'), 'the second version to reach the server');
    expect(read(dir, 'dashboards/p/new.yaml')).toMatch(/^id: /);
    expect(names(s, 'p')).toEqual(['A', 'New']);
    expect(await w.stop()).toBe(0);
  });
});

describe('watch with a refused token', () => {
  it('stops with exit 1 on 401 instead of watching', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = spawnWatch(dir, s.url, [], 'wrong-token-123456');
    expect(await w.exit).toBe(1);
    expect(w.out()).toContain('401');
    expect(w.out()).not.toContain('watching dashboards/');
    expect(s.store.count()).toBe(0);
  });

  it('stops with exit 1 on 401 with no dashboard file yet, in an empty dashboards folder or none', async () => {
    const s = await server();
    for (const dir of [tree({}), tree({ 'dashboards/.keep': '' })]) {
      const w = spawnWatch(dir, s.url, [], 'wrong-token-123456');
      expect(await w.exit).toBe(1);
      expect(w.out()).toContain('401');
      expect(w.out()).not.toContain('watching dashboards/');
      // Nothing recorded, nothing left: no .dashsync.
      expect(existsSync(join(dir, '.dashsync'))).toBe(false);
    }
  });

  it('stops with exit 1 when the token is refused later, while changes are pending', async () => {
    let refuse = false;
    const s = await server({ intercept: () => (refuse ? 403 : undefined) });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s);
    refuse = true;
    write(dir, 'dashboards/p/b.yaml', dashboardYaml('B'));
    expect(await w.exit).toBe(1);
    expect(w.out()).toContain('403');
    expect((await run(dir, ['validate'])).code).toBe(0);
  });
});

describe('watch refuses what plan refuses', () => {
  it('never syncs a copied file that holds another file’s id, and says so', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['apply', '--yes'], { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: TOKEN })).code).toBe(0);
    const w = await startWatch(dir, s);
    write(dir, 'dashboards/p/a-copy.yaml', read(dir, 'dashboards/p/a.yaml'));
    await until(() => w.out().includes('a-copy.yaml: not synced: its id is also in another file'), 'the copy refused');
    const saves = s.stats.save;
    write(dir, 'dashboards/p/a-copy.yaml', read(dir, 'dashboards/p/a-copy.yaml').replace('SELECT 1', 'SELECT 2'));
    await until(() => w.out().split('a-copy.yaml: not synced').length > 2, 'the edited copy refused again');
    expect(s.stats.save).toBe(saves);
    expect(s.store.list('user', 'p')[0]!.definition).toMatchObject({ widgets: [{ query: 'SELECT 1' }] });
    await w.stop();
  }, 30_000);

  it('reports a file moved to another project’s folder, as plan does, instead of calling it in sync', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/q/b.yaml': dashboardYaml('B') });
    expect((await run(dir, ['apply', '--yes'], { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: TOKEN })).code).toBe(0);
    const w = await startWatch(dir, s);
    write(dir, 'dashboards/q/a.yaml', read(dir, 'dashboards/p/a.yaml'));
    rmSync(join(dir, 'dashboards/p/a.yaml'));
    await until(() => /belongs to project p, not q/.test(w.out()), 'the move reported');
    expect(s.store.count()).toBe(2);
    await w.stop();
  }, 30_000);
});

describe('watch keeps the workspace’s edits unless told to heal', () => {
  it('at start, reports a dashboard changed in the workspace since the last sync and leaves it, as at every check', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const env = { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: TOKEN };
    expect((await run(dir, ['apply', '--yes'], env)).code).toBe(0);
    expect((await run(dir, ['plan'], env)).code).toBe(0);
    const a = s.store.list('user', 'p')[0]!;
    await s.store.save('user', 'p', { id: a.id, name: 'A', definition: { edited: 'in the UI' } });
    const w = await startWatch(dir, s);
    expect(w.out()).toContain('changed in the workspace: dashboards/p/a.yaml "A" differs from its file');
    expect(s.store.list('user', 'p')[0]!.definition).toEqual({ edited: 'in the UI' });
    await w.stop();
  }, 30_000);
});
