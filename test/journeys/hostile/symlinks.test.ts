import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLI,
  dashboardYaml,
  namesIn,
  read,
  run,
  syncedFolder,
  tree,
  until,
  useEmulators,
  write,
} from '../../helpers.js';
import { expectInertOutput, outsideFolder, snapshot } from './fixtures.js';

/*
 * Symbolic links, one policy for every command: `.dashsync` may not be a link; inside the dashboards
 * folder no link is followed (a linked file or project folder is a problem, so nothing is planned,
 * written or pruned through it); the dashboards folder itself may be a link only to a folder inside
 * the repository, unless --dir names it. Nothing is ever written or removed outside.
 */

const server = useEmulators();
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts `dashsync watch` and resolves once it has said it is watching (or has exited). */
async function startWatch(dir: string, env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', DASHSYNC_RETRIES: '1', ...env },
  });
  children.push(child);
  let out = '';
  let exit: number | null | undefined;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.once('exit', (code) => (exit = code));
  await until(() => out.includes('watching dashboards/') || exit !== undefined, 'watch to start or stop');
  const stop = async (): Promise<number | null> => {
    if (exit !== undefined) return exit;
    const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGINT');
    return code;
  };
  return { out: () => out, stop, exited: () => exit };
}

describe('a .dashsync that is a symbolic link', () => {
  it('is refused by every command before anything is written, and what it points at is untouched', async () => {
    const s = await server();
    const outside = outsideFolder({ 'tmp/keep.txt': 'mine\n', 'state.json': '{"mine": true}\n', lock: 'x' });
    const before = snapshot(outside);
    const a = await server({ token: s.token });
    const dir = tree({
      'dashsync.yaml': `environments:\n  a: { url: "${s.url}" }\n  b: { url: "${a.url}" }\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    symlinkSync(outside, join(dir, '.dashsync'));
    for (const args of [
      ['validate'],
      ['plan'],
      ['apply', '--yes'],
      ['pull'],
      ['migrate', '--from', 'a', '--to', 'b'],
    ]) {
      // migrate takes its URLs from its environments: the token alone is given.
      const r = await run(dir, args, args[0] === 'migrate' ? { DASHSYNC_TOKEN: s.token } : s.env);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr, args[0]).toContain('error: .dashsync is a symbolic link');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const w = await startWatch(dir, s.env);
    expect(await w.stop()).toBe(1);
    expect(w.out()).toContain('error: .dashsync is a symbolic link');
    expect(snapshot(outside)).toEqual(before);
    expect(s.store.list('user')).toHaveLength(0);
    expect(a.store.list('user')).toHaveLength(0);
    expect(lstatSync(join(dir, '.dashsync')).isSymbolicLink()).toBe(true);
  });

  it('a .dashsync/tmp that is a link is removed as a link: what it points at stays', async () => {
    const s = await server();
    const outside = outsideFolder({ 'keep.txt': 'mine\n' });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), '.dashsync/state.json': '{}' });
    symlinkSync(outside, join(dir, '.dashsync/tmp'));
    const before = snapshot(outside);
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A']);
    expect(read(dir, 'dashboards/p/a.yaml')).toMatch(/^id: /);
    expect(snapshot(outside)).toEqual(before);
  });
});

describe('a dashboard file that is a symbolic link', () => {
  it('is a problem in validate, plan and apply, wherever it points, and nothing is saved', async () => {
    const s = await server();
    const outside = outsideFolder({ 'real.yaml': dashboardYaml('Outside') });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    symlinkSync(join(outside, 'real.yaml'), join(dir, 'dashboards/p/outside.yaml'));
    symlinkSync('a.yaml', join(dir, 'dashboards/p/inside.yaml'));
    const v = await run(dir, ['validate'], s.env);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('dashboards/p/inside.yaml:1:1: symbolic link');
    expect(v.stdout).toContain('dashboards/p/outside.yaml:1:1: symbolic link');
    for (const args of [['plan'], ['apply', '--yes']]) {
      const r = await run(dir, args, s.env);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toContain('dashboards/p/outside.yaml:1:1: symbolic link');
    }
    expect(s.store.list('user')).toHaveLength(0);
  });

  it('keeps its dashboard from apply --prune, pull --prune and watch --prune', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const outside = outsideFolder({});
    // b.yaml moves out of the repository and is linked back: the run cannot see it as a file of its own.
    renameSync(join(dir, 'dashboards/p/b.yaml'), join(outside, 'b.yaml'));
    symlinkSync(join(outside, 'b.yaml'), join(dir, 'dashboards/p/b.yaml'));
    const before = snapshot(outside);
    for (const args of [
      ['apply', '--prune', '--yes'],
      ['pull', '--prune', '--force'],
    ]) {
      const r = await run(dir, args, s.env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('dashboards/p/b.yaml:1:1: symbolic link');
      expect(namesIn(s, 'p')).toEqual(['A', 'B']);
    }
    const w = await startWatch(dir, s.env, ['--prune']);
    expect(w.out()).toContain('dashboards/p/b.yaml:1:1: symbolic link');
    expect(await w.stop()).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A', 'B']);
    expect(lstatSync(join(dir, 'dashboards/p/b.yaml')).isSymbolicLink()).toBe(true);
    expect(snapshot(outside)).toEqual(before);
  });

  it('a file that watch knew, replaced by a dangling link, is not taken for deleted', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const w = await startWatch(dir, s.env, ['--prune']);
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    symlinkSync('/nonexistent/b.yaml', join(dir, 'dashboards/p/b.yaml'));
    // An edit after it: once it reached the server, the link's event was handled too.
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    await until(
      () => JSON.stringify(s.store.list('user', 'p').find((d) => d.name === 'A')?.definition).includes('SELECT 2'),
      'the edit of a.yaml to reach the server',
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(await w.stop()).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A', 'B']);
  });
});

describe('a project folder that is a symbolic link', () => {
  it('is a problem, and pull writes nothing through it, even when dashsync.yaml maps it', async () => {
    const s = await server();
    await s.store.save('user', 'sales-id', { name: 'Revenue', definition: { w: 1 } });
    const outside = outsideFolder({ 'old.yaml': dashboardYaml('Old') });
    const dir = tree({
      'dashsync.yaml': 'projects:\n  sales: sales-id\n',
      'dashboards/ops/a.yaml': dashboardYaml('A'),
    });
    symlinkSync(outside, join(dir, 'dashboards/sales'));
    const before = snapshot(outside);
    const v = await run(dir, ['validate'], s.env);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('dashboards/sales:1:1: symbolic link');
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dashboards/sales:1:1: symbolic link');
    expect(snapshot(outside)).toEqual(before);
    expectInertOutput(r);
  });
});

describe('the dashboards folder itself as a symbolic link', () => {
  it('is followed to a folder inside the repository', async () => {
    const s = await server();
    const dir = tree({ 'src/boards/p/a.yaml': dashboardYaml('A') });
    symlinkSync('src/boards', join(dir, 'dashboards'));
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A']);
    expect(read(dir, 'src/boards/p/a.yaml')).toMatch(/^id: /);
  });

  it('is refused when it leads out of the repository, unless --dir names it', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Remote', definition: {} });
    const outside = outsideFolder({ 'p/a.yaml': dashboardYaml('A') });
    const dir = tree({ 'dashsync.yaml': '' });
    symlinkSync(outside, join(dir, 'dashboards'));
    const before = snapshot(outside);
    for (const args of [['validate'], ['plan'], ['pull']]) {
      const r = await run(dir, args, s.env);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toContain('error: the dashboards folder dashboards is a symbolic link to');
      expect(r.stderr).toContain('outside the repository');
    }
    expect(snapshot(outside)).toEqual(before);
    // Named on the command line, it is the user's choice.
    const r = await run(dir, ['pull', '--dir', 'dashboards'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(outside, 'p/remote.yaml'), 'utf8')).toContain('name: Remote');
  });

  it('a dir: in dashsync.yaml that leads out of the repository is refused', async () => {
    const s = await server();
    const outside = outsideFolder({});
    const dir = tree({ 'dashsync.yaml': `dir: ${join(outside, 'boards')}\n` });
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('outside the repository');
    expect(existsSync(join(outside, 'boards'))).toBe(false);
  });
});

describe('a folder that becomes a link while a run is under way', () => {
  it('stops pull at the write: nothing is written through the link, what it points at is untouched', async () => {
    let dir = '';
    let swapped = false;
    const outside = outsideFolder({ 'keep.txt': 'mine\n' });
    const s = await server({
      // The project folder is swapped for a link at the moment pull fetches the new dashboard.
      intercept: (method, path) => {
        if (!swapped && method === 'GET' && !path.includes('/list')) {
          swapped = true;
          renameSync(join(dir, 'dashboards/p'), join(dir, 'p-moved'));
          symlinkSync(outside, join(dir, 'dashboards/p'));
        }
        return undefined;
      },
    });
    dir = tree({ 'dashboards/p/.keep': '' });
    await s.store.save('user', 'p', { name: 'New', definition: {} });
    const before = snapshot(outside);
    const r = await run(dir, ['pull'], s.env);
    expect(swapped).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is a symbolic link');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(outside)).toEqual(before);
  });
});
