import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { ROOT, dashboardYaml, read, write } from '../helpers.js';

// The package as a user gets it: `npm pack`, installed into folders that are not this repository.
// npm may reach the registry for the dependencies' metadata (CI machines start with an empty cache);
// what it already has in its cache it takes from there.
const npmEnv = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let packDir: string;
let tarball: string;
let packedFiles: string[];
const servers: RunningServer[] = [];

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'dashsync-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: npmEnv,
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(packDir, packed[0]!.filename);
  packedFiles = packed[0]!.files.map((f) => f.path);
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('the package as published', () => {
  it('holds what a user needs and nothing of the development tree', () => {
    expect(tarball.endsWith(`dashsync-${VERSION}.tgz`)).toBe(true);
    for (const f of [
      'dist/cli.js',
      'dist/index.js',
      'dist/index.d.ts',
      'schemas/dashboard.schema.json',
      'schemas/config.schema.json',
      'schemas/app.schema.json',
      'schemas/app-file.schema.json',
      'README.md',
      'LICENSE',
      'package.json',
    ])
      expect(packedFiles).toContain(f);
    expect(
      packedFiles.filter(
        (f) => /^(test|src|examples|scripts|\.ci)\//.test(f) || f.endsWith('.map') || f.endsWith('.tsbuildinfo'),
      ),
    ).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: 'dashsync',
      license: 'MIT',
      bin: { dashsync: 'dist/cli.js' },
      engines: { node: expect.any(String) },
    });
    expect(pkg.private).toBeUndefined();
    expect(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('installs from the tarball into an empty folder and runs: --version, an apply against the emulator, the library', async () => {
    const server = await startServer({ token: 'pack-token-1234567890' });
    servers.push(server);
    const app = join(packDir, 'app');
    mkdirSync(app);
    execFileSync('npm', ['init', '-y'], { cwd: app, stdio: 'ignore', env: npmEnv });
    execFileSync('npm', ['install', '--save-dev', tarball], { cwd: app, stdio: 'pipe', env: npmEnv });
    const version = execFileSync('npx', ['--no-install', 'dashsync', '--version'], {
      cwd: app,
      encoding: 'utf8',
      env: npmEnv,
    }).trim();
    expect(version).toBe(VERSION);
    write(app, 'dashboards/p/a.yaml', dashboardYaml('From the tarball'));
    // Asynchronously: the emulator answering it runs in this process.
    await promisify(execFile)('npx', ['--no-install', 'dashsync', 'apply', '--yes'], {
      cwd: app,
      env: { ...npmEnv, DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token },
    });
    expect(server.store.list('user', 'p').map((d) => d.name)).toEqual(['From the tarball']);
    const lib = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import('dashsync').then((m) => console.log(typeof m.plan, typeof m.apply, typeof m.pull))",
      ],
      { cwd: app, encoding: 'utf8' },
    ).trim();
    expect(lib).toBe('function function function');
  }, 180_000);

  it("runs the README's quick start verbatim in a new dashboards repository", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- quickstart:begin -->\n```sh\n([\s\S]*?)```\n<!-- quickstart:end -->/.exec(readme)?.[1];
    expect(block, 'README has a quick start block').toBeDefined();
    // The layout the README describes: a clone of dashsync, with its tarball, beside the new repository.
    const home = mkdtempSync(join(tmpdir(), 'dashsync-quickstart-'));
    mkdirSync(join(home, 'dashsync'));
    copyFileSync(tarball, join(home, 'dashsync', `dashsync-${VERSION}.tgz`));
    const port = await freePort();
    const script = `set -euo pipefail\n${block!.replaceAll('4010', String(port))}`;
    const git = {
      GIT_AUTHOR_NAME: 'Quick Start',
      GIT_AUTHOR_EMAIL: 'qs@example.invalid',
      GIT_COMMITTER_NAME: 'Quick Start',
      GIT_COMMITTER_EMAIL: 'qs@example.invalid',
    };
    const child = spawn('bash', ['-c', script], {
      cwd: home,
      env: { ...npmEnv, ...git, NO_COLOR: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // When the script ends, the emulator it started in the background still holds its output: stop
    // the whole process group, then wait for the output to close.
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await closed;
    expect(code, out).toBe(0);
    expect(out).toContain('created dashsync.yaml');
    expect(out).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
    expect(out).toContain('Apply complete: 1 created, 0 updated, 0 deleted.');
    const repo = join(home, 'my-dashboards');
    expect(read(repo, 'dashboards/sales/revenue.yaml')).toMatch(/^id: \S+\nname: Revenue\n/);
    // The editor schema line that init wrote resolves in this layout.
    const schemaLine = /\$schema=(\S+)/.exec(read(repo, 'dashsync.yaml'))![1]!;
    expect(JSON.parse(read(repo, schemaLine)).title).toBeTruthy();
    // What was committed is the repository a team wants: no state, no node_modules.
    const committed = execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8' }).split('\n');
    expect(committed).toContain('dashboards/sales/revenue.yaml');
    expect(committed).toContain(`vendor/dashsync-${VERSION}.tgz`);
    expect(committed.filter((f) => f.startsWith('node_modules/') || f.startsWith('.dashsync/'))).toEqual([]);
    expect(JSON.parse(read(repo, 'package.json')).devDependencies.dashsync).toBe(`file:vendor/dashsync-${VERSION}.tgz`);
  }, 240_000);
});
