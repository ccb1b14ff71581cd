import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer, ServerOptions } from '../../src/emulator/server.js';
import { CLI, dashboardYaml, read, tree, until, write, namesIn } from '../helpers.js';

const servers: RunningServer[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startWatch(dir: string, server: { url: string; token: string }, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      DASHSYNC_URL: server.url,
      DASHSYNC_TOKEN: server.token,
      DASHSYNC_RETRIES: '1',
    },
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => out.includes('watching dashboards/'), 'watch to start');
  const stop = async (): Promise<number | null> => {
    const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGINT');
    return code;
  };
  return { out: () => out, stop };
}

async function server(opts: ServerOptions = {}): Promise<RunningServer> {
  const s = await startServer({ token: 'watch-token-123456', ...opts });
  servers.push(s);
  return s;
}

const names = namesIn;

describe('watch', () => {
  it('applies edits, new files (also in a new folder), renames and deletes as they land, and stops cleanly', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s, ['--interval', '0']);
    expect(names(s, 'p')).toEqual(['A']);

    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 42'));
    await until(
      () => JSON.stringify(s.store.list('user', 'p')[0]!.definition).includes('SELECT 42'),
      'the edit to reach the server',
    );

    write(dir, 'dashboards/newproj/b.yaml', dashboardYaml('B'));
    await until(() => names(s, 'newproj').includes('B'), 'the new file in a new folder to be created');
    await until(() => read(dir, 'dashboards/newproj/b.yaml').startsWith('id: '), 'the id to be written back');
    const savesAfterCreate = s.stats.save;

    renameSync(join(dir, 'dashboards/newproj/b.yaml'), join(dir, 'dashboards/newproj/b-renamed.yaml'));
    await new Promise((r) => setTimeout(r, 600));
    expect(names(s, 'newproj')).toEqual(['B']);

    rmSync(join(dir, 'dashboards/newproj/b-renamed.yaml'));
    await until(() => w.out().includes('deleted locally'), 'the delete to be reported');
    expect(names(s, 'newproj')).toEqual(['B']);
    // Our own id write-back and the rename caused no save.
    expect(s.stats.save).toBe(savesAfterCreate);

    expect(await w.stop()).toBe(0);
    expect(w.out()).toContain('stopped:');
  });

  it('deletes remotely with --prune, but not for a file that was only moved', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const w = await startWatch(dir, s, ['--prune', '--interval', '0']);
    renameSync(join(dir, 'dashboards/p/a.yaml'), join(dir, 'dashboards/p/moved.yaml'));
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    await until(() => names(s, 'p').length === 1, 'b to be deleted');
    await new Promise((r) => setTimeout(r, 300));
    expect(names(s, 'p')).toEqual(['A']);
    expect(await w.stop()).toBe(0);
  });

  it('reports an invalid file, keeps syncing the others, and applies the fix', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s, ['--interval', '0']);
    write(dir, 'dashboards/p/bad.yaml', 'name: Bad\ndefinition: [oops\n');
    write(dir, 'dashboards/p/good.yaml', dashboardYaml('Good'));
    await until(() => names(s, 'p').includes('Good'), 'the good file to sync');
    await until(() => /dashboards\/p\/bad\.yaml:\d+:\d+: /.test(w.out()), 'the invalid file to be reported');
    write(dir, 'dashboards/p/bad.yaml', 'name: Bad\ndefinition: {}\n');
    await until(() => names(s, 'p').includes('Bad'), 'the fixed file to sync');
    expect(await w.stop()).toBe(0);
  });

  it('keeps changes while the server is away and applies them when it returns', async () => {
    const data = join(tree(), 'data.json');
    let s = await server({ dataFile: data });
    const port = s.port;
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s, ['--interval', '0']);
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    write(dir, 'dashboards/p/offline.yaml', dashboardYaml('Made offline'));
    await until(() => w.out().includes('retrying in'), 'the outage to be reported');
    s = await server({ dataFile: data, port });
    await until(() => names(s, 'p').includes('Made offline'), 'the pending change to be applied', 20_000);
    expect(names(s, 'p')).toEqual(['A', 'Made offline']);
    expect(await w.stop()).toBe(0);
  });

  it('turns a burst of 200 files into a few batched rounds', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/seed.yaml': dashboardYaml('Seed') });
    const w = await startWatch(dir, s, ['--interval', '0']);
    const lists = s.stats.list;
    mkdirSync(join(dir, 'dashboards/burst'), { recursive: true });
    for (let i = 0; i < 200; i++) writeFileSync(join(dir, `dashboards/burst/d${i}.yaml`), dashboardYaml(`D${i}`));
    await until(() => s.store.list('user', 'burst').length === 200, 'all 200 to be created', 30_000);
    // Each round costs one list request; a file-by-file tool would make 200.
    expect(s.stats.list - lists).toBeLessThan(10);
    expect(await w.stop()).toBe(0);
  });

  it('reports a remote edit at the interval check, and reverts it with --self-heal', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s, ['--interval', '1']);
    const d = s.store.list('user', 'p')[0]!;
    await s.store.save('user', 'p', { id: d.id, name: 'A', definition: { changed: 'in the UI' } });
    await until(() => w.out().includes('changed in the workspace: dashboards/p/a.yaml'), 'the drift to be reported');
    expect(s.store.get('user', 'p', d.id)!.definition).toEqual({ changed: 'in the UI' });
    expect(await w.stop()).toBe(0);

    const healer = await startWatch(dir, s, ['--interval', '1', '--self-heal']);
    await until(
      () => JSON.stringify(s.store.get('user', 'p', d.id)!.definition).includes('SELECT 1'),
      'self-heal to revert it',
    );
    expect(await healer.stop()).toBe(0);
  });
});
