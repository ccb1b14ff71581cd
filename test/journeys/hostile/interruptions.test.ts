import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, emulator, read, run, tree, until, write } from '../../helpers.js';

/* Ctrl-C in the middle of a run, and a second run on the same folder. */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe('interruptions and concurrent runs', () => {
  let server: Awaited<ReturnType<typeof emulator>>;

  it('Ctrl-C during apply lets in-flight saves finish, writes their ids, says what was not done, exits 130', async () => {
    server = await emulator({ token: 'ctrlc-token-123456', latencyMs: 150 });
    closers.push(() => server.close());
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`);
    const dir = tree(files);
    const child = spawn(process.execPath, [CLI, 'apply', '--yes', '--concurrency', '2'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (out.includes('ok  created')) {
          clearInterval(t);
          child.kill('SIGINT');
          resolve();
        }
      }, 5);
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/Apply interrupted: \d+ created, 0 updated, 0 deleted, \d+ not started\./);
    const created = server.store.list('user', 'p');
    expect(created.length).toBeGreaterThan(0);
    expect(created.length).toBeLessThan(20);
    const withIds = Object.keys(files).filter((f) => read(dir, f).startsWith('id: '));
    expect(withIds).toHaveLength(created.length);
  });

  it("a second apply on the same folder waits, then stops with a message naming the first; a dead owner's lock is taken over", async () => {
    server = await emulator({ token: 'lock-token-123456', latencyMs: 400 });
    closers.push(() => server.close());
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const env = { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token };
    const first = run(dir, ['apply', '--yes'], env);
    // The second starts once the first holds the lock (the lock file is created whole).
    await until(() => existsSync(join(dir, '.dashsync/lock')), 'the first apply to take the lock');
    const second = await run(dir, ['apply', '--yes'], { ...env, DASHSYNC_LOCK_WAIT: '0.3' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/error: another dashsync \(apply, pid \d+ on .+\) is working on this folder/);
    expect((await first).code).toBe(0);
    expect(server.store.list('user', 'p')).toHaveLength(2);

    write(
      dir,
      '.dashsync/lock',
      JSON.stringify({
        pid: 999999,
        host: (await import('node:os')).hostname(),
        command: 'apply',
        since: new Date().toISOString(),
      }),
    );
    const third = await run(dir, ['apply', '--yes'], { ...env, DASHSYNC_LOCK_WAIT: '0.3' });
    expect(third.code).toBe(0);
    expect(existsSync(join(dir, '.dashsync/lock'))).toBe(false);
  });
});
