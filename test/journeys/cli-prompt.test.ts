import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/emulator/server.js';
import { CLI, dashboardYaml, emulator, tree } from '../helpers.js';

/*
 * The confirmation prompt, on a real terminal: `script` gives the CLI a pseudo-terminal, and the
 * keys are typed only once the question is on screen.
 */

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface TtyRun {
  code: number;
  out: string;
}

/** Runs the CLI on a pseudo-terminal and types `keys` when the confirmation question appears. */
function onTerminal(cwd: string, args: string[], env: Record<string, string>, keys: string): Promise<TtyRun> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TERM: 'xterm', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!typed && out.includes("Only 'yes' will be accepted")) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, out: out.replace(/\r/g, '') }));
  });
}

async function setup(): Promise<{ dir: string; server: RunningServer & { env: Record<string, string> } }> {
  const server = await emulator();
  servers.push(server);
  return { dir: tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), server };
}

describe('the confirmation prompt', () => {
  it('exits 1 and changes nothing when the answer is anything but yes', async () => {
    const { dir, server } = await setup();
    const r = await onTerminal(dir, ['apply'], server.env, 'no\r');
    expect(r.out).toContain('Apply cancelled: nothing was changed.');
    expect(r.code).toBe(1);
    expect(server.store.count()).toBe(0);
  });

  it.each([
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])('exits 130 with "nothing was changed" on %s, never calling it a bug', async (_name, key) => {
    const { dir, server } = await setup();
    const r = await onTerminal(dir, ['apply'], server.env, key);
    expect(r.out).toMatch(/error: .* at the confirmation: nothing was changed/);
    expect(r.out).not.toContain('bug');
    expect(r.code).toBe(130);
    expect(server.store.count()).toBe(0);
  });

  it('shows the whole plan before asking, even with --quiet, then only the summary line', async () => {
    const { dir, server } = await setup();
    const r = await onTerminal(dir, ['apply', '--quiet'], server.env, 'yes\r');
    expect(r.code).toBe(0);
    const asked = r.out.indexOf("Only 'yes'");
    expect(r.out.indexOf('+ dashboards/p/a.yaml  "A"')).toBeGreaterThanOrEqual(0);
    expect(r.out.indexOf('+ dashboards/p/a.yaml  "A"')).toBeLessThan(asked);
    expect(r.out.slice(asked)).toContain('Apply complete: 1 created, 0 updated, 0 deleted.');
    expect(r.out).not.toContain('ok  created');
    expect(server.store.count()).toBe(1);
  });

  it('asks migrate the same way: declining exits 1 and copies nothing', async () => {
    const a = await emulator();
    const b = await emulator({ token: 'token-for-b-654321' });
    servers.push(a, b);
    await a.store.save('user', 'sales', { name: 'Revenue', definition: { w: 1 } });
    const dir = tree({
      'dashsync.yaml': `environments:\n  a: { url: "${a.url}", token_env: TA }\n  b: { url: "${b.url}", token_env: TB }\n`,
    });
    const r = await onTerminal(dir, ['migrate', '--from', 'a', '--to', 'b'], { TA: a.token, TB: b.token }, 'nope\r');
    expect(r.out).toContain('Migration cancelled: nothing was changed.');
    expect(r.code).toBe(1);
    expect(b.store.count()).toBe(0);
  });
});
