import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, readFileSync, symlinkSync } from 'node:fs';
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

describe('the files dashsync reads besides dashboards', () => {
  // Each is read under the one rule of dashboard files: a regular file, of a bounded size.
  const devices: Array<[string, (path: string) => void]> = [
    ['a link to /dev/zero', (path) => symlinkSync('/dev/zero', path)],
    ['a link to /dev/urandom', (path) => symlinkSync('/dev/urandom', path)],
    ['a named pipe', (path) => execFileSync('mkfifo', [path])],
  ];
  it.each(devices)('a dashsync.yaml that is %s is one clear error, at once', async (_what, make) => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    make(join(dir, 'dashsync.yaml'));
    const started = Date.now();
    for (const command of [['validate'], ['plan'], ['apply', '--yes']]) {
      const r = await run(dir, command, s.env);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr).toContain('dashsync.yaml:1:1: not a regular file (a pipe, a socket or a device)');
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(s.store.list('user')).toHaveLength(0);
  });

  it.each(devices)(
    'a dashsync.ids.yaml that is %s stops apply and pull before any request, and leaves no lock',
    async (_what, make) => {
      const s = await server();
      const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
      make(join(dir, 'dashsync.ids.yaml'));
      for (const command of [['apply', '--yes'], ['pull']]) {
        const r = await run(dir, command, s.env);
        expect(r.code, command[0]).toBe(1);
        expect(r.stderr).toContain('cannot read dashsync.ids.yaml: not a regular file');
        expect(existsSync(join(dir, '.dashsync/lock')), 'lock left behind').toBe(false);
      }
      expect(s.store.list('user')).toHaveLength(0);
    },
  );

  it('a dashsync.yaml over 1 MB is refused by its size', async () => {
    const dir = tree({ 'dashsync.yaml': `# ${'x'.repeat(1_100_000)}\n` });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'dashsync.yaml:1:1: file is 1100003 bytes, more than the 1 MB (1048576 bytes) a config file may be',
    );
  });

  it('a garbled dashsync.ids.yaml stops apply and pull with its position, and leaves no lock', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashsync.ids.yaml': 'a: [\n' });
    for (const command of [['apply', '--yes'], ['pull']]) {
      const r = await run(dir, command, s.env);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr).toContain('dashsync.ids.yaml:2:1: not valid YAML');
      expect(existsSync(join(dir, '.dashsync/lock')), 'lock left behind').toBe(false);
    }
  });
});
