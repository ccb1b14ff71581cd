import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/emulator/server.js';
import type { StoredDashboard } from '../../src/emulator/store.js';
import { dashboardYaml, read, run, tree, write, useEmulators, appsExampleRepo } from '../helpers.js';

/*
 * History and rollback through the built CLI against the emulator, in a real git repository:
 * `history` beside the commits, `restore` of an old version written back into the file, and
 * `apply --ref`, which deploys the files of a commit without touching the working tree.
 */

const server = useEmulators();
const TOP = 'dashboards/sales/top-customers.yaml';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}

function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

const top = (s: RunningServer): StoredDashboard => s.store.list('user').find((d) => d.name === 'Top Customers')!;

/** The page label of the top customers app, as stored. */
const labelIn = (s: RunningServer): string =>
  (top(s).definition as { pages: Array<{ label: string }> }).pages[0]!.label;

/**
 * A repository of the example apps deployed twice from CI's point of view: the first commit
 * (bookmarked with its hash, the ids committed back), then a bad edit of the top customers app,
 * committed and deployed with its own hash.
 */
async function badDeploy(
  s: RunningServer & { env: Record<string, string> },
): Promise<{ dir: string; good: string; bad: string }> {
  const dir = appsExampleRepo();
  git(dir, 'init', '-q', '-b', 'main');
  const good = commitAll(dir, 'Add the sales apps');
  const first = await run(dir, ['apply', '--yes', '--bookmark', good], s.env);
  expect(first.code, first.stderr).toBe(0);
  commitAll(dir, 'Record the ids dashsync wrote [skip ci]');
  write(dir, TOP, read(dir, TOP).replace(/^( {6}label: ).*$/m, '$1Broken Customers'));
  const bad = commitAll(dir, 'Rename the top customers page');
  const second = await run(dir, ['apply', '--yes', '--bookmark', bad], s.env);
  expect(second.code, second.stderr).toBe(0);
  expect(labelIn(s)).toBe('Broken Customers');
  return { dir, good, bad };
}

describe('apps: history and rollback', () => {
  it('history lists the versions, newest first, each beside the commit its bookmark names', async () => {
    const s = await server();
    const { dir, good, bad } = await badDeploy(s);
    const r = await run(dir, ['history', TOP], s.env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const v2 = lines.find((line) => /^2 /.test(line));
    const v1 = lines.find((line) => /^1 /.test(line));
    expect(v2).toContain(bad);
    expect(v2).toContain(`${bad.slice(0, 7)} Rename the top customers page`);
    expect(v2).toContain('devuser');
    expect(v1).toContain(`${good.slice(0, 7)} Add the sales apps`);
    expect(lines.indexOf(v2!)).toBeLessThan(lines.indexOf(v1!));
    // The commit that only recorded ids deployed nothing, and is shown as such.
    expect(r.stdout).toMatch(/no bookmark names[^\n]*\n {2}[0-9a-f]{7} Record the ids/);
    const json = await run(dir, ['history', TOP, '--json'], s.env);
    const doc = JSON.parse(json.stdout) as { versions: Array<{ number: number; commit?: { sha: string } }> };
    expect(doc.versions.map((v) => [v.number, v.commit?.sha])).toEqual([
      [2, bad],
      [1, good],
    ]);
  });

  it('restore brings an old version back as the newest, writes it into the file and leaves nothing to apply', async () => {
    const s = await server();
    const { dir, bad } = await badDeploy(s);
    const before = git(dir, 'show', `${bad}~1:${TOP}`);
    const r = await run(dir, ['restore', TOP, '--version', '1'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Restored version 1 of ${TOP} as version 3`);
    expect(labelIn(s)).toBe('Top Customers');
    const newest = top(s).versions!.at(-1)!;
    expect([newest.number, newest.restored_from]).toEqual([3, 1]);
    // The file is as the commit before the bad one had it: the rollback is a diff to commit.
    expect(read(dir, TOP)).toBe(`${before}\n`);
    expect(git(dir, 'status', '--porcelain')).toBe(`M ${TOP}`);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout).toBe(0);
    // By bookmark: the bad commit's version comes back, as version 4.
    const again = await run(dir, ['restore', TOP, '--bookmark', bad], s.env);
    expect(again.code, again.stderr).toBe(0);
    expect(labelIn(s)).toBe('Broken Customers');
    expect(read(dir, TOP)).toContain('label: Broken Customers');
  });

  it('restore refuses a file with edits not applied, unless --force, and a version that is not there', async () => {
    const s = await server();
    const { dir } = await badDeploy(s);
    write(dir, TOP, read(dir, TOP).replace('Broken Customers', 'Half-done edit'));
    const r = await run(dir, ['restore', TOP, '--version', '1'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${TOP} has edits that are not applied: restore would overwrite them`);
    expect(read(dir, TOP)).toContain('Half-done edit');
    expect(top(s).versions).toHaveLength(2);
    const missing = await run(dir, ['restore', TOP, '--version', '9', '--force'], s.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('the app has no version 9');
    const forced = await run(dir, ['restore', TOP, '--version', '1', '--force'], s.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(read(dir, TOP)).not.toContain('Half-done edit');
    expect(labelIn(s)).toBe('Top Customers');
  });

  it('apply --ref HEAD~1 deploys the files of the commit before, and writes nothing into the working tree', async () => {
    const s = await server();
    const { dir } = await badDeploy(s);
    const plan = await run(dir, ['plan', '--ref', 'HEAD~1'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Files of dashboards as of HEAD~1');
    expect(plan.stdout).toContain(`~ ${TOP}`);
    const r = await run(dir, ['apply', '--ref', 'HEAD~1', '--yes', '--json'], s.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { summary: { updated: number }; ref: { ref: string; commit: { sha: string } } };
    expect(doc.summary.updated).toBe(1);
    expect(doc.ref.commit.sha).toBe(git(dir, 'rev-parse', 'HEAD~1'));
    expect(labelIn(s)).toBe('Top Customers');
    expect(git(dir, 'status', '--porcelain', '--ignored', '--', 'dashboards', 'dashsync.ids.yaml')).toBe('');
    // The working tree still holds the bad commit: a plain apply would deploy it again, until it is reverted.
    const next = await run(dir, ['plan'], s.env);
    expect(next.stdout).toContain(`~ ${TOP}`);
    git(dir, 'revert', '--no-edit', 'HEAD');
    const settled = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(settled.code, settled.stdout).toBe(0);
  });

  it('apply --ref refuses a ref git does not know, and a saved plan', async () => {
    const s = await server();
    const { dir } = await badDeploy(s);
    const r = await run(dir, ['apply', '--ref', 'no-such-branch', '--yes'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--ref "no-such-branch": no such commit in the repository');
    const option = await run(dir, ['apply', '--ref', '--upload-pack=x', '--yes'], s.env);
    expect(option.code).toBe(1);
    expect(option.stderr).toContain('not a git ref');
    expect(labelIn(s)).toBe('Broken Customers');
  });
});

describe('dashboards: rollback with apply --ref', () => {
  it('rolls back a dashboard added by the last commit with --prune, and history says it needs apps', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'A');
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    write(dir, 'dashboards/p/b.yaml', dashboardYaml('B'));
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    commitAll(dir, 'A with its id, and B');
    expect(
      s.store
        .list('user')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['A', 'B']);
    const r = await run(dir, ['apply', '--ref', 'HEAD~1', '--prune', '--yes'], s.env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('- dashboards/p/  "B"');
    expect(s.store.list('user').map((d) => d.name)).toEqual(['A']);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const history = await run(dir, ['history', 'dashboards/p/a.yaml'], s.env);
    expect(history.code).toBe(1);
    expect(history.stderr).toContain('history needs the /apps API');
  });
});
