import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../src/emulator/server.js';
import type { RunningServer } from '../src/emulator/server.js';
import { CLI, dashboardYaml, read, run, tree, until, write } from './helpers.js';
import type { RunResult } from './helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A hand-written server, for answers our emulator would never give. */
async function fake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const envelope = (data: unknown) => JSON.stringify({ status: 'success', message: 'ok', data });

describe('hostile server responses', () => {
  it('never writes outside --dir, whatever the ids and names, and shows names inert', async () => {
    const evil = [
      '../../../etc/passwd',
      '..\\..\\boot.ini',
      'a/b/../../c',
      'nul\u0000byte',
      'x'.repeat(5000),
      '\u001b]0;pwned\u0007\u001b[2J',
    ];
    const url = await fake((req, res) => {
      if (req.url!.includes('/dashboards/list'))
        return res.end(envelope(evil.map((n, i) => ({ id: `${n}-${i}`, project_id: 'proj', name: n }))));
      const id = decodeURIComponent(req.url!.split('/')[5]!.split('?')[0]!);
      res.end(
        envelope({ id, project_id: 'proj', name: evil[Number(id.split('-').pop())], definition: { note: 'hostile' } }),
      );
    });
    const root = tree();
    const dir = join(root, 'work');
    const r = await run(root, ['pull', '--dir', 'work/dashboards'], {
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: 'token-hostile-1',
    });
    // The dashboard whose 5000-character id no file may hold is reported, not written (issue 11.8).
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('1 not pulled');
    const written = readdirSync(join(dir, 'dashboards', 'proj'));
    expect(written).toHaveLength(evil.length - 1);
    for (const f of written) expect(f).toMatch(/^[a-z0-9-]+\.yaml$/);
    expect(readdirSync(root).sort()).toEqual(['.dashsync', 'work']);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('"\\x1b]0;pwned\\x07\\x1b[2J"');
  });

  it('refuses a project id that would be a path outside the folder', async () => {
    const url = await fake((req, res) =>
      res.end(
        envelope(
          req.url!.includes('/list')
            ? [{ id: 'a', project_id: '../../outside', name: 'A' }]
            : { id: 'a', project_id: '../../outside', name: 'A', definition: {} },
        ),
      ),
    );
    const root = tree();
    const r = await run(root, ['pull'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-hostile-1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot be used as a folder name');
    expect(existsSync(join(root, '..', 'outside'))).toBe(false);
  });

  it.each([
    ['malformed JSON', (_q: IncomingMessage, res: ServerResponse) => res.end('{"status": "success", "data": [')],
    [
      'a wrong envelope',
      (_q: IncomingMessage, res: ServerResponse) =>
        res.end(JSON.stringify({ status: 'success', data: { dashboards: 'nope' } })),
    ],
    [
      'an HTML error page',
      (_q: IncomingMessage, res: ServerResponse) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad gateway</html>');
      },
    ],
  ])('gives one clear error line for %s', async (_what, handler) => {
    const url = await fake(handler);
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-hostile-1', DASHSYNC_RETRIES: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: GET \/dashboards\/list(\?scope=user)? failed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops reading a huge body, and gives up on an endless or silent server within the timeout', async () => {
    const huge = await fake((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const silent = await fake(() => undefined);
    const trickle = await fake((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
    });
    // The three runs are independent (plan takes no lock and each has its own server), so they run at
    // the same time: the two timeouts are waited for once, not one after the other.
    const timedRun = async (url: string): Promise<RunResult & { ms: number }> => {
      const started = Date.now();
      const r = await run(dir, ['plan'], {
        DASHSYNC_URL: url,
        DASHSYNC_TOKEN: 'token-hostile-1',
        DASHSYNC_RETRIES: '1',
        DASHSYNC_TIMEOUT: '1',
      });
      return { ...r, ms: Date.now() - started };
    };
    const [big, ...stalled] = await Promise.all([
      run(dir, ['plan'], { DASHSYNC_URL: huge, DASHSYNC_TOKEN: 'token-hostile-1', DASHSYNC_RETRIES: '1' }),
      timedRun(silent),
      timedRun(trickle),
    ]);
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('response body is larger than');

    for (const r of stalled) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('did not answer in time');
      expect(r.ms).toBeLessThan(6000);
    }
  });
});

describe('secrets', () => {
  it('never writes the token to any output, log or file, whatever the command', async () => {
    const TOKEN = 'SECRET-TOKEN-7c1d9e4f';
    const a = await startServer({ token: TOKEN });
    const b = await startServer({ token: TOKEN, clientIds: 'ignore' });
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    const dir = tree({
      'dashsync.yaml': `url: ${a.url}\nenvironments:\n  b: { url: "${b.url}" }\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const env = { DASHSYNC_TOKEN: TOKEN };
    const outputs: string[] = [];
    const go = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await run(dir, [...args, '--debug'], { ...env, ...extra });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    await go(['validate']);
    await go(['plan']);
    await go(['plan', '--json']);
    await go(['apply', '--yes']);
    await go(['apply', '--yes', '--env', 'b']);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 3'));
    await go(['apply', '--yes', '--json']);
    await go(['pull', '--dir', 'pulled']);
    await go(['migrate', '--from', 'b', '--to', 'b']);
    await go(['plan'], { DASHSYNC_TOKEN: `${TOKEN}-wrong` });
    // Nothing answers on port 9: this plan spends its time in retries and fails before it could write
    // anything, so it runs while watch and serve do (its output is checked with the others below).
    const unreachable = go(['plan', '--url', 'http://127.0.0.1:9']);
    // watch and serve, briefly
    for (const args of [
      ['watch', '--interval', '0'],
      ['serve', '--port', '0'],
    ]) {
      const child = spawn(process.execPath, [CLI, ...args, '--debug'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      // Stopped once it has said it is ready (watch: its first sync is done; serve: the last line of
      // its start-up), so whatever it prints on the way is in `out`.
      await until(() => /watching dashboards\/|try: curl/.test(out), `${args[0]} to be ready`);
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      outputs.push(out);
    }
    expect((await unreachable).code).toBe(1);
    expect(outputs.join('').length).toBeGreaterThan(1000);
    for (const out of outputs) expect(out).not.toContain(TOKEN);
    const files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((p) => statSync(join(dir, p)).isFile());
    expect(files).toContain('.dashsync/state.json');
    expect(files).toContain('dashsync.ids.yaml');
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.toContain(TOKEN);
  });
});

describe('interruptions and concurrent runs', () => {
  let server: RunningServer;

  it('Ctrl-C during apply lets in-flight saves finish, writes their ids, says what was not done, exits 130', async () => {
    server = await startServer({ token: 'ctrlc-token-123456', latencyMs: 150 });
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
    server = await startServer({ token: 'lock-token-123456', latencyMs: 400 });
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
