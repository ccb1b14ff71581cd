import { spawn } from 'node:child_process';
import { readdirSync, utimesSync, statSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, emulator, read, run, tree, write } from '../helpers.js';
import type { ServerOptions } from '../../src/emulator/server.js';

// Issue 11: a person's edits, the workspace and dashsync's own writes interleaving. Each case holds
// the server at the exact moment that matters (the emulator's intercept hook), never a tight timing.

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(opts: ServerOptions = {}) {
  const s = await emulator(opts);
  servers.push(s);
  return s;
}

describe('edits made while dashsync writes', () => {
  it('deploys an edit saved while apply was creating that file, instead of recording it as synced', async () => {
    let dir = '';
    let editing = true;
    const s = await server({
      intercept: (method, path) => {
        // The person saves a second version while the create is on its way.
        if (editing && method === 'POST' && path.endsWith('/save'))
          write(dir, 'dashboards/p/a.yaml', dashboardYaml('A', '\n      note: second version'));
        return undefined;
      },
    });
    dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const applied = await run(dir, ['apply', '--yes'], s.env);
    expect(applied.code).toBe(0);
    const file = read(dir, 'dashboards/p/a.yaml');
    expect(file).toMatch(/^id: /);
    expect(file).toContain('second version');
    expect(JSON.stringify(s.store.list('user', 'p')[0]!.definition)).not.toContain('second version');

    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.stdout).toContain('~ dashboards/p/a.yaml');
    expect(plan.code).toBe(2);
    editing = false;
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect(JSON.stringify(s.store.list('user', 'p')[0]!.definition)).toContain('second version');
  });

  it('does not record as synced a UI edit made just after apply saved the dashboard', async () => {
    let saved = false;
    const s = await server({
      intercept: async (method, path) => {
        if (method === 'POST' && path.endsWith('/save')) saved = true;
        else if (saved) {
          // The first call after the save: someone edits the dashboard in the UI right now.
          saved = false;
          const d = s.store.list('user', 'p')[0]!;
          await s.store.save('user', 'p', { id: d.id, name: d.name, definition: { edited: 'in the UI' } });
        }
        return undefined;
      },
    });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ dashboards/p/a.yaml');
    const pull = await run(dir, ['pull'], s.env);
    expect(pull.stdout).toContain('1 updated');
    expect(read(dir, 'dashboards/p/a.yaml')).toContain('in the UI');
  });

  it('sees an edit that keeps the size and brings back the old modification time', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A', '', 'a1') });
    const abs = join(dir, 'dashboards/p/a.yaml');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(abs, old, old);
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
    const before = statSync(abs);
    // Same size, other bytes, the old mtime restored (as touch -d, tar x or rsync -t do).
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    utimesSync(abs, before.atime, before.mtime);
    expect(statSync(abs).size).toBe(before.size);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.stdout).toContain('~ dashboards/p/a.yaml');
    expect(plan.code).toBe(2);
  });
});

describe('workspaces that assign their own ids', () => {
  it('makes no duplicate when saves naming unknown ids lose their responses after commit', async () => {
    const s = await server({ clientIds: 'ignore', failRate: 0.5, faults: ['drop-after-commit'], seed: 7 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`, '', `from-elsewhere-${i}`);
    const dir = tree(files);
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.stderr).not.toContain('bug');
    const names = s.store.list('user', 'p').map((d) => d.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBe(new Set(names).size);
    // Whatever failed, further runs complete it without a duplicate.
    for (let i = 0; i < 5 && s.store.count() < 30; i++) await run(dir, ['apply', '--yes'], s.env);
    const after = s.store.list('user', 'p').map((d) => d.name);
    expect(after.length).toBe(new Set(after).size);
  });
});

function spawnApply(dir: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'apply', '--yes', '-q'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', DASHSYNC_LOCK_WAIT: '30', ...env },
      stdio: 'ignore',
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await new Promise((r) => child.on('close', r));
  return pid;
}

describe('the folder lock', () => {
  it("lets exactly one of two applies take over a dead owner's lock (20 trials)", async () => {
    const s = await server({ latencyMs: 5 });
    const pid = await deadPid();
    for (let trial = 0; trial < 20; trial++) {
      const files: Record<string, string> = {};
      for (let i = 0; i < 5; i++) files[`dashboards/t${trial}/d${i}.yaml`] = dashboardYaml(`D${i}`);
      const dir = tree(files);
      write(
        dir,
        '.dashsync/lock',
        JSON.stringify({ pid, host: hostname(), command: 'apply', since: new Date().toISOString() }),
      );
      const codes = await Promise.all([spawnApply(dir, s.env), spawnApply(dir, s.env)]);
      expect(codes).toEqual([0, 0]);
      expect(s.store.list('user', `t${trial}`)).toHaveLength(5);
      expect(existsSync(join(dir, '.dashsync/lock'))).toBe(false);
    }
  }, 120_000);

  it('never takes over a live owner on this host, however old its lock, nor removes it', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const lock = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      command: 'watch',
      since: new Date(Date.now() - 3 * 3600_000).toISOString(),
    });
    write(dir, '.dashsync/lock', lock);
    const old = new Date(Date.now() - 3 * 3600_000);
    utimesSync(join(dir, '.dashsync/lock'), old, old);
    const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_LOCK_WAIT: '0.5' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`another dashsync (watch, pid ${process.pid}`);
    expect(read(dir, '.dashsync/lock')).toBe(lock);
    expect(s.store.count()).toBe(0);
  });
});

describe('litter', () => {
  it('leaves no temporary file in the dashboards folder, and removes those an older run left', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/.a.yaml.0badf00d.tmp': 'left by kill -9',
    });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect(readdirSync(join(dir, 'dashboards/p'))).toEqual(['a.yaml']);
    expect((await run(dir, ['pull'], s.env)).code).toBe(0);
    expect(readdirSync(join(dir, 'dashboards/p'))).toEqual(['a.yaml']);
  });
});
