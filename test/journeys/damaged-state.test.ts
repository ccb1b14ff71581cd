import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, run, write, useEmulators, syncedFolder } from '../helpers.js';

// Issue 11.9: damaged local state heals itself or stops with a message naming the file and what to
// do; it is never reported as a bug in dashsync.

const server = useEmulators();

async function synced() {
  const s = await server();
  return { s, dir: await syncedFolder(s) };
}

const noBug = (r: { stdout: string; stderr: string }): void => {
  expect(r.stdout + r.stderr).not.toMatch(/this is a bug|\n\s+at /);
};

describe('damaged local state', () => {
  it('heals a workspace entry of the sync state that is not an object', async () => {
    const { s, dir } = await synced();
    writeFileSync(
      join(dir, '.dashsync/state.json'),
      JSON.stringify({ version: 1, workspaces: { [`${s.url}#user`]: 'garbage' } }),
    );
    const r = await run(dir, ['apply', '--yes'], s.env);
    noBug(r);
    expect(r.code).toBe(0);
    expect(s.store.count()).toBe(2);
  });

  it('heals file cache entries that are null', async () => {
    const { s, dir } = await synced();
    const cache = JSON.parse((await import('node:fs')).readFileSync(join(dir, '.dashsync/files.json'), 'utf8')) as {
      sets: Record<string, Record<string, unknown>>;
    };
    for (const set of Object.values(cache.sets)) for (const k of Object.keys(set)) set[k] = null;
    writeFileSync(join(dir, '.dashsync/files.json'), JSON.stringify(cache));
    for (let i = 0; i < 2; i++) {
      const r = await run(dir, ['plan', '--detailed-exitcode'], s.env);
      noBug(r);
      expect(r.code).toBe(0);
    }
  });

  for (const content of ['null', '{}', '[]', '42', '']) {
    it(`takes over a lock holding ${content || 'nothing'}`, async () => {
      const { s, dir } = await synced();
      write(dir, '.dashsync/lock', content);
      const old = new Date(Date.now() - 60_000);
      (await import('node:fs')).utimesSync(join(dir, '.dashsync/lock'), old, old);
      write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
      const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_LOCK_WAIT: '1' });
      noBug(r);
      expect(r.stderr).not.toContain('undefined');
      expect(r.code).toBe(0);
      expect(s.store.count()).toBe(3);
    });
  }

  it('names a lock that is a directory and what to do', async () => {
    const { s, dir } = await synced();
    mkdirSync(join(dir, '.dashsync/lock'));
    const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_LOCK_WAIT: '1' });
    noBug(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.dashsync/lock is a directory');
  });

  it('names a .dashsync that is a file and what to do', async () => {
    const { s, dir } = await synced();
    rmSync(join(dir, '.dashsync'), { recursive: true });
    writeFileSync(join(dir, '.dashsync'), 'not a folder');
    const r = await run(dir, ['apply', '--yes'], s.env);
    noBug(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.dashsync in');
    expect(r.stderr).toContain('is a file');
  });

  it('names a garbled dashsync.ids.yaml with its position', async () => {
    const { s, dir } = await synced();
    write(dir, 'dashsync.ids.yaml', 'default:\n  a: [unclosed\n');
    const r = await run(dir, ['plan'], s.env);
    noBug(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dashsync\.ids\.yaml:\d+:\d+: not valid YAML/);
    write(dir, 'dashsync.ids.yaml', '- just\n- a list\n');
    const r2 = await run(dir, ['plan'], s.env);
    noBug(r2);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('dashsync.ids.yaml: expected');
  });
});
