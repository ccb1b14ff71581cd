import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, emulator, read, run, tree, until, write } from '../../helpers.js';

/* The token never leaks: every command's output and every file it writes are searched for it. */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe('secrets', () => {
  it('never writes the token to any output, log or file, whatever the command', async () => {
    const TOKEN = 'SECRET-TOKEN-7c1d9e4f';
    const a = await emulator({ token: TOKEN });
    const b = await emulator({ token: TOKEN, clientIds: 'ignore' });
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
