import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, namesIn, read, run, tree, until, useEmulators, write } from '../helpers.js';

// watch and git branches (issue 21, item 7): an id watch writes back never blocks a checkout, a
// checkout is never taken for deletes, watch waits while git works, and its hints name only flags
// it has.

const server = useEmulators();
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: GIT_ENV }).trim();

async function startWatch(dir: string, env: Record<string, string>, args: string[]) {
  const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', DASHSYNC_RETRIES: '1', ...env },
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

/** A git repository of dashboards: main with a.yaml and b.yaml (no ids yet), and a branch without b.yaml that adds c.yaml. */
function repository(): string {
  const dir = tree({
    '.gitignore': '.dashsync/\n',
    'dashboards/p/a.yaml': dashboardYaml('A'),
    'dashboards/p/b.yaml': dashboardYaml('B'),
  });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'dashboards');
  git(dir, 'checkout', '-q', '-b', 'feature');
  git(dir, 'rm', '-q', 'dashboards/p/b.yaml');
  write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'feature');
  git(dir, 'checkout', '-q', 'main');
  return dir;
}

describe('watch in a git repository', () => {
  it('keeps the ids of tracked files aside, so a checkout is never blocked, and deletes nothing for it', async () => {
    const s = await server();
    const dir = repository();
    const w = await startWatch(dir, s.env, ['--prune']);
    expect(namesIn(s, 'p')).toEqual(['A', 'B']);
    expect(w.out()).toContain(
      'dashboards/p/a.yaml: its id ' +
        s.store.list('user', 'p').find((d) => d.name === 'A')!.id +
        ' is kept in .dashsync/, not written into the file',
    );
    // The tree is clean: the checkout goes through.
    expect(git(dir, 'status', '--porcelain')).toBe('');
    git(dir, 'checkout', '-q', 'feature');
    await until(() => namesIn(s, 'p').includes('C'), 'the new branch file to be created');
    await until(() => w.out().includes('HEAD moved to refs/heads/feature'), 'the checkout to be told');
    expect(w.out()).toContain('1 file gone with it, not deleted in the workspace');
    expect(namesIn(s, 'p')).toEqual(['A', 'B', 'C']);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    // Back again: nothing created twice, nothing deleted.
    git(dir, 'checkout', '-q', 'main');
    await until(() => (w.out().match(/HEAD moved/g) ?? []).length === 2, 'the second checkout to be told');
    expect(await w.stop()).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A', 'B', 'C']);
    expect(s.store.count()).toBe(3);
    // apply writes files: the ids kept aside go into theirs (those of this branch; c.yaml's file is
    // not here, so its id is forgotten and c.yaml is matched by its equal content later).
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(read(dir, 'dashboards/p/a.yaml')).toMatch(/^id: \S+\nname: A/);
    expect(read(dir, 'dashboards/p/b.yaml')).toMatch(/^id: \S+\nname: B/);
    expect(existsSync(join(dir, '.dashsync', 'pending-ids.json'))).toBe(true);
    expect(JSON.parse(read(dir, '.dashsync/pending-ids.json'))).toEqual({ version: 1, ids: {} });
    expect(s.store.count()).toBe(3);
  }, 60_000);

  it('writes the id into a file git does not track, at once', async () => {
    const s = await server();
    const dir = repository();
    const w = await startWatch(dir, s.env, []);
    write(dir, 'dashboards/p/new.yaml', dashboardYaml('New'));
    await until(() => read(dir, 'dashboards/p/new.yaml').startsWith('id: '), 'the id to be written back');
    expect(w.out()).not.toContain('new.yaml: its id');
    expect(await w.stop()).toBe(0);
  }, 60_000);

  it('waits while git holds its index lock, then syncs', async () => {
    const s = await server();
    const dir = repository();
    const w = await startWatch(dir, s.env, []);
    const lock = join(dir, '.git', 'index.lock');
    writeFileSync(lock, '');
    const saves = s.stats.save;
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 5'));
    await new Promise((r) => setTimeout(r, 800));
    expect(s.stats.save).toBe(saves);
    rmSync(lock);
    await until(() => s.stats.save > saves, 'the edit to be synced once git is done');
    expect(await w.stop()).toBe(0);
  }, 60_000);

  it('refuses to empty a project in words that name no flag watch lacks, and no empty name', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const w = await startWatch(dir, s.env, ['--prune']);
    rmSync(join(dir, 'dashboards/p/a.yaml'));
    await until(() => w.out().includes('FAILED'), 'the refusal');
    expect(w.out()).toContain(
      'x dashboards/p  FAILED: --prune would delete the only dashboard of project p because its folder has no ' +
        'dashboard files; watch does not (restore the files, or run dashsync apply --prune --force after checking its plan)',
    );
    expect(w.out()).not.toContain('""');
    expect(w.out()).not.toContain('add --force');
    expect(namesIn(s, 'p')).toEqual(['A']);
    expect(await w.stop()).toBe(0);
  }, 60_000);
});
