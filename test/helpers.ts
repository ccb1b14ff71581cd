import { afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/emulator/server.js';
import type { RunningServer, ServerOptions } from '../src/emulator/server.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

/** A fresh temp folder holding the given files (path -> content). */
export function tree(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-test-'));
  for (const [p, content] of Object.entries(files)) write(dir, p, content);
  return dir;
}

export function write(dir: string, p: string, content: string): void {
  mkdirSync(dirname(join(dir, p)), { recursive: true });
  writeFileSync(join(dir, p), content);
}

export function read(dir: string, p: string): string {
  return readFileSync(join(dir, p), 'utf8');
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in `cwd` with NO_COLOR and only the given variables (plus PATH). */
export function run(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** An in-process emulator with a known token, and the variables that point the CLI at it. */
export async function emulator(opts: ServerOptions = {}): Promise<RunningServer & { env: Record<string, string> }> {
  const server = await startServer({ token: 'test-token-ABCDEF123456', ...opts });
  return Object.assign(server, { env: { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token } });
}

/** A small dashboard file's text. */
export function dashboardYaml(name: string, extra = '', id?: string): string {
  return `${id ? `id: ${id}\n` : ''}name: ${name}\ndefinition:\n  title: ${name}\n  widgets:\n    - type: chart\n      query: SELECT 1${extra}\n`;
}

/**
 * Emulators for one test file: `server(opts)` starts one (with the variables that point the CLI at
 * it), and every one is closed after each test.
 */
export function useEmulators(): (opts?: ServerOptions) => Promise<RunningServer & { env: Record<string, string> }> {
  const running: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  return async (opts = {}) => {
    const s = await emulator(opts);
    running.push(s);
    return s;
  };
}

/** examples/apps (apps shaped like Prometheux's tutorials) in a fresh folder, with `config` as dashsync.yaml. */
export const APPS_CONFIG = 'api: apps\nprojects: { sales: sales-analytics, crm: crm-leads }\n';
export function appsExampleRepo(config = APPS_CONFIG): string {
  const examples = join(ROOT, 'examples', 'apps', 'dashboards');
  const files: Record<string, string> = { 'dashsync.yaml': config };
  for (const folder of readdirSync(examples))
    for (const f of readdirSync(join(examples, folder)))
      files[`dashboards/${folder}/${f}`] = readFileSync(join(examples, folder, f), 'utf8');
  return tree(files);
}

/** A folder of two dashboards (p/a.yaml, p/b.yaml) applied to the emulator, and planned once since. */
export async function syncedFolder(server: { env: Record<string, string> }): Promise<string> {
  const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
  for (const args of [['apply', '--yes'], ['plan']]) {
    const r = await run(dir, args, server.env);
    if (r.code !== 0) throw new Error(`dashsync ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
  return dir;
}

/**
 * Waits until `check()` holds, polling every 20 ms; fails naming `what` after `ms`. Tests wait for
 * the thing itself with this, never for a fixed time that is too short on a busy machine.
 */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The names of the dashboards a project holds in an emulator, sorted. */
export function namesIn(server: RunningServer, project: string, scope = 'user'): string[] {
  return server.store
    .list(scope, project)
    .map((dashboard) => dashboard.name)
    .sort();
}
