import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { linkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, namesIn, read, run, syncedFolder, tree, until, useEmulators, write } from '../helpers.js';
import { outsideFolder } from './fixtures.js';

/*
 * File trees that misbehave in ways git itself cannot carry, but a working copy can hold: hard
 * links, named pipes, folder names in another Unicode form (as macOS lists them), names that
 * differ only in case, a dashboards folder inside .git.
 */

const server = useEmulators();
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('hard links', () => {
  it('an id write-back replaces the file under its own name: the other name keeps its bytes', async () => {
    const s = await server();
    const outside = outsideFolder({ 'shared.yaml': dashboardYaml('Shared') });
    const dir = tree({ 'dashboards/p/.keep': '' });
    linkSync(join(outside, 'shared.yaml'), join(dir, 'dashboards/p/shared.yaml'));
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'dashboards/p/shared.yaml')).toMatch(/^id: /);
    expect(readFileSync(join(outside, 'shared.yaml'), 'utf8')).toBe(dashboardYaml('Shared'));
  });
});

describe('named pipes', () => {
  it('a pipe with a YAML name is a problem in validate, never opened to wait on', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    execFileSync('mkfifo', [join(dir, 'dashboards/p/pipe.yaml')]);
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dashboards/p/pipe.yaml:1:1: not a regular file');
  });

  it('watch reports a pipe that appears, and goes on syncing', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env },
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('watching dashboards/'), 'watch to start');
    execFileSync('mkfifo', [join(dir, 'dashboards/p/pipe.yaml')]);
    await until(() => out.includes('dashboards/p/pipe.yaml:1:1: not a regular file'), 'the pipe to be reported');
    write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
    await until(() => namesIn(s, 'p').includes('C'), 'the next file to be synced');
    child.kill('SIGINT');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  });
});

describe('folder names in another Unicode form', () => {
  it('a folder listed as macOS lists it (NFD) still stands for the project dashsync.yaml maps it to (NFC)', async () => {
    const s = await server();
    const nfd = 'ventes-e\u0301te\u0301';
    const dir = tree({
      'dashsync.yaml': 'projects:\n  "ventes-\u00e9t\u00e9": sales-id\n',
      [`dashboards/${nfd}/a.yaml`]: dashboardYaml('A'),
    });
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(namesIn(s, 'sales-id')).toEqual(['A']);
  });

  it('projects: keys that name one folder on Windows and macOS are refused', async () => {
    const dir = tree({ 'dashsync.yaml': 'projects:\n  Sales: a\n  sales: b\n' });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'dashsync.yaml:3:3: "projects" key "sales" is not a plain folder name (it and "Sales" name one folder on Windows and macOS)',
    );
  });
});

describe("git's and dashsync's own folders", () => {
  it.each(['.git/boards', '.dashsync'])('a dir: of %j in dashsync.yaml is refused', async (where) => {
    const s = await server();
    await s.store.save('user', 'hooks', { name: 'Pre commit', definition: {} });
    const dir = tree({ 'dashsync.yaml': `dir: ${where}\n`, '.git/HEAD': 'ref: refs/heads/main\n' });
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('which is not for dashboards');
    expect(read(dir, '.git/HEAD')).toBe('ref: refs/heads/main\n');
  });
});
