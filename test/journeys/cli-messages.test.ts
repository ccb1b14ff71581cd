import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { CLI, ROOT, dashboardYaml, emulator, read, run, tree, write } from '../helpers.js';

/* Messages that must say what is true, and output flags that do what they say. */

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function started(): Promise<RunningServer & { env: Record<string, string> }> {
  const s = await emulator();
  servers.push(s);
  return s;
}

describe('connection errors', () => {
  it('name the host and port that refused the connection', async () => {
    const s = await startServer({ token: 'token-abcdef-123456' });
    const port = s.port;
    await s.close();
    const r = await run(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), ['plan'], {
      DASHSYNC_URL: `http://127.0.0.1:${port}`,
      DASHSYNC_TOKEN: 'token-abcdef-123456',
      DASHSYNC_RETRIES: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`connection refused by 127.0.0.1:${port}`);
  });

  it('say plainly that an https:// URL points at a plain-HTTP server', async () => {
    const s = await started();
    const r = await run(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), ['plan'], {
      DASHSYNC_URL: `https://127.0.0.1:${s.port}`,
      DASHSYNC_TOKEN: s.token,
      DASHSYNC_RETRIES: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `127.0.0.1:${s.port} does not speak TLS (https): is it a plain-HTTP server? then use http://127.0.0.1:${s.port}`,
    );
    expect(r.stderr).not.toMatch(/SSL routines|wrong version number/);
  });
});

describe('plan and validate say what is true', () => {
  it('a folder with no project folders says how many dashboards are not managed here and that pull starts', async () => {
    const s = await started();
    for (const n of ['A', 'B', 'C']) await s.store.save('user', 'sales', { name: n, definition: {} });
    const dir = tree();
    mkdirSync(join(dir, 'dashboards'));
    const r = await run(dir, ['plan'], s.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'No changes: dashboards has no project folders, so the 3 dashboards in the workspace (scope user) are not managed here. Run dashsync pull to bring them in.',
    );
    expect(r.stdout).not.toContain('Remote matches local files');
  });

  it('validate counts files with problems apart from valid ones, and fails when the dashboards folder is missing', async () => {
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A', '', 'same-id'),
      'dashboards/p/b.yaml': dashboardYaml('B', '', 'same-id'),
      'dashboards/p/c.yaml': dashboardYaml('C'),
    });
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 problem in 1 file; 2 of 3 files valid.');
    const elsewhere = tree();
    const missing = await run(elsewhere, ['validate']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: the dashboards folder dashboards does not exist: nothing to validate');
    // A run in the wrong directory leaves nothing behind there.
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('leaves no .dashsync behind failed first pulls, even several at once, and keeps one that holds anything', async () => {
    const s = await started();
    const bad = { ...s.env, DASHSYNC_TOKEN: 'not-the-token-123456' };
    const fresh = tree();
    const refused = await run(fresh, ['pull'], bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401');
    expect(readdirSync(fresh)).toEqual([]);
    // Three at once: whichever ends last removes it.
    const together = await Promise.all([1, 2, 3].map(() => run(fresh, ['pull'], bad)));
    expect(together.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(readdirSync(fresh)).toEqual([]);
    // A .dashsync holding anything stays as it was.
    mkdirSync(join(fresh, '.dashsync'));
    write(fresh, '.dashsync/keep.txt', 'mine');
    expect((await run(fresh, ['pull'], bad)).code).toBe(1);
    expect(readdirSync(join(fresh, '.dashsync'))).toEqual(['keep.txt']);
    // A pull that worked keeps its state there.
    await s.store.save('user', 'sales', { name: 'A', definition: {} });
    const good = tree();
    expect((await run(good, ['pull'], s.env)).code).toBe(0);
    expect(readdirSync(join(good, '.dashsync'))).toEqual(expect.arrayContaining(['state.json']));
  });

  it('warns when the exclude globs leave none of the files in the run', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/q/b.yaml': dashboardYaml('B') });
    const all = await run(dir, ['validate', '--exclude', '**']);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain(
      'warning: the exclude globs (**) leave none of the 2 dashboard files in dashboards in this run',
    );
    // A glob that leaves one file in says nothing.
    const one = await run(dir, ['validate', '--exclude', 'p/**']);
    expect(one.stderr).not.toContain('leave none');
    expect(one.stdout).toContain('1 dashboard file valid');
  });

  it('says a saved plan that is not there is not there, and how to make one', async () => {
    const r = await run(tree(), ['apply', 'nothere.json'], { DASHSYNC_URL: 'http://127.0.0.1:9', DASHSYNC_TOKEN: 't' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: cannot read plan file \S*nothere.json: no such file\n/);
    expect(r.stderr).toContain('hint: make one with dashsync plan --out FILE');
    // A folder given for a plan is called a folder.
    const dir = tree();
    mkdirSync(join(dir, 'plan.json'));
    const folder = await run(dir, ['apply', 'plan.json'], { DASHSYNC_URL: 'http://127.0.0.1:9', DASHSYNC_TOKEN: 't' });
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/error: cannot read plan file \S*plan.json: a folder, not a file\n/);
  });

  it('says "the only dashboard", not "all 1 dashboards", when --prune would empty a project', async () => {
    const s = await started();
    await s.store.save('user', 'sales', { name: 'A', definition: {} });
    const dir = tree();
    mkdirSync(join(dir, 'dashboards', 'sales'), { recursive: true });
    const r = await run(dir, ['plan', '--prune'], s.env);
    expect(r.stdout).toContain('--prune would delete the only dashboard of project sales');
    expect(r.stdout).not.toContain('all 1 dashboards');
  });

  it('--quiet prints the summary line of a plan with changes, and nothing else', async () => {
    const s = await started();
    const r = await run(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), ['plan', '-q'], s.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Plan: 1 to create, 0 to update, 0 to delete.\n');
  });
});

describe('--quiet on the other commands', () => {
  it('pull -q, validate -q and watch -q print their summary line and nothing else', async () => {
    const s = await started();
    await s.store.save('user', 'p', { name: 'A', definition: {} });
    const dir = tree();
    const pull = await run(dir, ['pull', '-q'], s.env);
    expect(pull.stdout).toBe('Pull complete: 1 new, 0 updated, 0 removed, 0 unchanged.\n');
    const validate = await run(dir, ['validate', '-q']);
    expect(validate.stdout).toBe('1 dashboard file valid.\n');
    const child = spawn(process.execPath, [CLI, 'watch', '-q', '--interval', '0'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    // Nothing is printed before it stops: wait until it has listed the workspace (its Ctrl-C handler is set by then).
    const listed = s.stats.list;
    for (let i = 0; i < 500 && s.stats.list === listed; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    expect(out).toMatch(/^\d\d:\d\d:\d\d {2}stopped: 0 created, 0 updated, 0 deleted, 0 failed\.\n$/);
  });
});

describe('pull writes what round-trips', () => {
  it('escapes a literal ${{ ... }} from the workspace as $${{, so that validate and plan pass and plan is a no-op', async () => {
    const s = await started();
    await s.store.save('user', 'p', {
      name: 'CI board',
      definition: { note: 'uses ${{ var.region }} in GitHub', q: '$${{ var.x }}' },
    });
    const dir = tree({ 'dashsync.yaml': 'variables: { env: prod }\n' });
    expect((await run(dir, ['pull'], s.env)).code).toBe(0);
    const text = read(dir, 'dashboards/p/ci-board.yaml');
    expect(text).toContain('uses $${{ var.region }} in GitHub');
    expect(text).toContain('$$${{ var.x }}');
    expect((await run(dir, ['validate'], s.env)).code).toBe(0);
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
    // A file with its own placeholder keeps it; a literal that appears in the workspace is escaped.
    write(dir, 'dashboards/p/ci-board.yaml', text.replace('CI board', 'CI board ${{ var.env }}'));
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const saved = s.store.list('user', 'p')[0]!;
    await s.store.save('user', 'p', {
      id: saved.id,
      name: saved.name,
      definition: { ...saved.definition, extra: '${{ var.env }}' },
    });
    expect((await run(dir, ['pull'], s.env)).code).toBe(0);
    const after = read(dir, 'dashboards/p/ci-board.yaml');
    expect(after).toContain('name: CI board ${{ var.env }}');
    expect(after).toContain('extra: $${{ var.env }}');
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
  });

  it('writes ids the same way as apply writes them back: a UUID plain, never quoted', async () => {
    const s = await started();
    await s.store.save('user', 'p', { id: '12345678-aaaa-4bbb-8ccc-1234567890ab', name: 'A', definition: {} });
    const dir = tree();
    expect((await run(dir, ['pull'], s.env)).code).toBe(0);
    expect(read(dir, 'dashboards/p/a.yaml').split('\n')[0]).toBe('id: 12345678-aaaa-4bbb-8ccc-1234567890ab');
  });

  it('hints --prune --force for a file edited locally whose dashboard was deleted in the workspace', async () => {
    const s = await started();
    const d = await s.store.save('user', 'p', { name: 'A', definition: { w: 1 } });
    const dir = tree();
    await run(dir, ['pull'], s.env);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('w: 1', 'w: 2'));
    await s.store.delete('user', 'p', d.id);
    const r = await run(dir, ['pull'], s.env);
    expect(r.stdout).toContain('file kept: pull --prune --force (it was edited locally) removes it');
  });
});

describe('markdown plans', () => {
  it("show a new dashboard's content collapsed, and mark conflicts and errors", async () => {
    const s = await started();
    const d = await s.store.save('user', 'p', { name: 'Shared', definition: { w: 1 } });
    const dir = tree();
    await run(dir, ['pull'], s.env);
    write(dir, 'dashboards/p/shared.yaml', read(dir, 'dashboards/p/shared.yaml').replace('w: 1', 'w: 2'));
    await s.store.save('user', 'p', { id: d.id, name: 'Shared', definition: { w: 3 } });
    write(dir, 'dashboards/p/new.yaml', dashboardYaml('Brand new'));
    await s.store.save('user', 'p', { name: 'Twin', definition: {} });
    await s.store.save('user', 'p', { name: 'Twin', definition: {} });
    write(dir, 'dashboards/p/twin.yaml', 'name: Twin\ndefinition: { x: 1 }\n');
    const r = await run(dir, ['plan', '--format', 'markdown'], s.env);
    expect(r.stdout).toContain(
      '<details><summary><code>+</code> <code>dashboards/p/new.yaml</code> "Brand new"</summary>',
    );
    expect(r.stdout).toMatch(/```yaml\nname: Brand new\ndefinition:\n {2}title: Brand new\n/);
    expect(r.stdout).toContain('<code>!</code> `dashboards/p/shared.yaml` "Shared" <b>CONFLICT</b>');
    expect(r.stdout).toContain('<code>x</code> `dashboards/p/twin.yaml` "Twin" <b>ERROR</b>');
  });
});

describe('flags people bring from elsewhere', () => {
  it('-auto-approve suggests --yes', async () => {
    const r = await run(tree(), ['apply', '-auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: unknown option '-auto-approve'");
    expect(r.stderr).toContain('hint: dashsync takes --yes (or -y) to apply without asking');
  });

  it('plan --format json is --json', async () => {
    const s = await started();
    const r = await run(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), ['plan', '--format', 'json'], s.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'dashsync-plan/1', summary: { create: 1 } });
  });
});

describe('serve and the demo', () => {
  it('serve --token does not suggest $DASHSYNC_TOKEN', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--token', 'dev-token-123456'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('try:')) resolve();
      });
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(out).toContain('try: curl -H "Authorization: Bearer <the --token value>"');
    expect(out).not.toContain('$DASHSYNC_TOKEN');
  });

  it('the demo writes no colour codes into a pipe', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(out).toContain('== validate the files');
    expect(out).not.toContain('\u001b[');
  }, 120_000);
});

describe('a reader that stops reading', () => {
  it('ends `help` and `plan` quietly when stdout closes early (`| head -1`), with no stack trace', async () => {
    const s = await started();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    for (const args of [['help', 'plan'], ['plan']]) {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy(); // the reader goes away before the first line
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, args.join(' ')).not.toMatch(/EPIPE|\n\s+at /);
      expect(code, args.join(' ')).toBe(0);
    }
  });
});
