import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import { CLI, dashboardYaml, read, run, syncedFolder, tree, until, useEmulators, write } from '../helpers.js';

/*
 * --format through the built CLI: every command's JSON on success and on failure (a bad file, a
 * rejected token, a server that is down), --json as its alias, a format a command cannot print,
 * and watch's JSON lines. The registry itself, in process: formats-registry.test.ts.
 */

const server = useEmulators();
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A diagnostic as the README documents it. */
interface Diagnostic {
  severity: string;
  summary: string;
  detail: string;
  suggestion?: string;
  file?: { path: string; line: number; col: number };
  call?: { method: string; path: string; status?: number };
}

/** stdout parsed as the one JSON document it must be. */
function documentOf(stdout: string): Record<string, unknown> & { diagnostics: Diagnostic[] } {
  return JSON.parse(stdout) as Record<string, unknown> & { diagnostics: Diagnostic[] };
}

describe('--format json on success: one document on stdout, with the documented fields', () => {
  it('validate, plan, apply, pull, migrate and init', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });

    const validated = await run(dir, ['validate', '--format', 'json']);
    expect(validated.code).toBe(0);
    expect(documentOf(validated.stdout)).toEqual({
      valid: true,
      files: 1,
      validFiles: 1,
      invalidFiles: 0,
      problems: [],
      diagnostics: [],
    });
    expect(validated.stderr).toContain('1 dashboard file valid.');

    const planned = await run(dir, ['plan', '--format', 'json'], s.env);
    expect(planned.code).toBe(0);
    expect(documentOf(planned.stdout)).toMatchObject({
      format: 'dashsync-plan/1',
      changes: true,
      summary: { create: 1 },
      diagnostics: [],
    });

    const applied = await run(dir, ['apply', '--yes', '--format', 'json'], s.env);
    expect(applied.code).toBe(0);
    expect(documentOf(applied.stdout)).toMatchObject({
      applied: true,
      summary: { created: 1, failed: 0 },
      results: [{ action: 'create', path: 'dashboards/p/a.yaml', outcome: 'done' }],
      diagnostics: [],
    });
    expect(applied.stderr).toContain('Apply complete: 1 created');

    await s.store.save('user', 'p', { name: 'Made in the UI', definition: {} });
    const pulled = await run(dir, ['pull', '--format', 'json'], s.env);
    expect(pulled.code).toBe(0);
    expect(documentOf(pulled.stdout)).toMatchObject({
      changes: [{ kind: 'new', path: 'dashboards/p/made-in-the-ui.yaml', name: 'Made in the UI' }],
      unchanged: 1,
      diagnostics: [],
    });

    const target = await server();
    write(
      dir,
      'dashsync.yaml',
      `environments:\n  a: { url: "${s.url}", token_env: TA }\n  b: { url: "${target.url}", token_env: TB }\n`,
    );
    const migrated = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes', '--format', 'json'], {
      TA: s.token,
      TB: target.token,
    });
    expect(migrated.code).toBe(0);
    expect(documentOf(migrated.stdout)).toMatchObject({
      applied: true,
      summary: { created: 2 },
      plan: { format: 'dashsync-plan/1' },
      diagnostics: [],
    });

    const initialized = await run(tree(), ['init', '--format', 'json']);
    expect(initialized.code).toBe(0);
    expect(documentOf(initialized.stdout)).toMatchObject({ created: expect.arrayContaining(['dashsync.yaml']) });
  });

  it('serve prints where it listens as one JSON line', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--format', 'json'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('\n'), 'serve to say where it listens');
    const line = JSON.parse(out) as { url: string; token: string };
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(line.token.length).toBeGreaterThan(10);
  });
});

describe('--format json on failure: still one document on stdout, with the diagnostics and the exit code', () => {
  it('a bad file: each problem with its file, line and column', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/bad.yaml': 'name: Bad\ndefinition: {}\nextra: 1\n',
    });
    const validated = await run(dir, ['validate', '--format', 'json']);
    expect(validated.code).toBe(1);
    expect(documentOf(validated.stdout)).toMatchObject({
      valid: false,
      files: 2,
      validFiles: 1,
      invalidFiles: 1,
      diagnostics: [{ severity: 'error', file: { path: 'dashboards/p/bad.yaml', line: 3, col: 1 } }],
    });
    for (const [command, ...flags] of [['plan'], ['apply', '--yes'], ['pull']]) {
      const r = await run(dir, [command!, ...flags, '--format', 'json'], s.env);
      expect(r.code, command).toBe(1);
      const failed = documentOf(r.stdout);
      expect(failed, command).toMatchObject({ command, failed: true, exitCode: 1 });
      expect(failed.diagnostics[0], command).toMatchObject({
        severity: 'error',
        summary: expect.stringContaining('unknown key "extra"'),
        file: { path: 'dashboards/p/bad.yaml', line: 3, col: 1 },
      });
      expect(r.stderr, command).toContain('dashboards/p/bad.yaml:3:1: unknown key "extra"');
    }
    expect(s.store.list('user', 'p')).toEqual([]);
  });

  it('a rejected token: the HTTP call, its status and the hint', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['apply', '--yes', '--format', 'json'], {
      ...s.env,
      DASHSYNC_TOKEN: 'wrong-token-QWERTY',
    });
    expect(r.code).toBe(1);
    const failed = documentOf(r.stdout);
    expect(failed).toMatchObject({ command: 'apply', failed: true, exitCode: 1 });
    expect(failed.diagnostics).toHaveLength(1);
    expect(failed.diagnostics[0]).toMatchObject({
      severity: 'error',
      call: { method: 'GET', path: '/dashboards/list?scope=user', status: 401 },
      suggestion: expect.stringContaining('DASHSYNC_TOKEN'),
    });
    expect(r.stdout + r.stderr).not.toContain('wrong-token-QWERTY');
  });

  it('a server that is down: the call, and the host and port that refused it', async () => {
    const s = await startServer({ token: 'token-abcdef-123456' });
    const port = s.port;
    await s.close();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['pull', '--format', 'json'], {
      DASHSYNC_URL: `http://127.0.0.1:${port}`,
      DASHSYNC_TOKEN: 'token-abcdef-123456',
      DASHSYNC_RETRIES: '1',
    });
    expect(r.code).toBe(1);
    const failed = documentOf(r.stdout);
    expect(failed).toMatchObject({ command: 'pull', failed: true, exitCode: 1 });
    expect(failed.diagnostics[0]!.summary).toContain(`connection refused by 127.0.0.1:${port}`);
    expect(failed.diagnostics[0]!.call).toEqual({ method: 'GET', path: '/dashboards/list?scope=user' });
  });

  it('a usage error, from dashsync or from the flag parser, is a failure document too', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const bad = await run(dir, ['plan', '--json', '--concurrency', 'lots'], {
      DASHSYNC_TOKEN: 't',
      DASHSYNC_URL: 'http://127.0.0.1:9',
    });
    expect(bad.code).toBe(1);
    expect(documentOf(bad.stdout).diagnostics[0]!.summary).toBe(
      '--concurrency must be a whole number from 1 to 64, not "lots"',
    );
    const unknown = await run(dir, ['validate', '--format', 'json', '--bogus']);
    expect(unknown.code).toBe(1);
    expect(documentOf(unknown.stdout)).toMatchObject({
      command: 'validate',
      failed: true,
      diagnostics: [{ severity: 'error', summary: "unknown option '--bogus'" }],
    });
    expect(unknown.stderr).toContain("error: unknown option '--bogus'");
    // The last --format given is the run's, as for every other flag: its refusal is a JSON document.
    const twice = await run(dir, ['validate', '--format', 'text', '--format', 'json', '--bogus']);
    expect(twice.code).toBe(1);
    expect(documentOf(twice.stdout)).toMatchObject({ command: 'validate', failed: true });
    // A command Commander does not know: the document has no command, but it is there.
    for (const flags of [['--json'], ['--format', 'json']]) {
      const typo = await run(dir, ['plna', ...flags]);
      expect(typo.code).toBe(1);
      const failed = documentOf(typo.stdout);
      expect(failed).toMatchObject({ failed: true, exitCode: 1 });
      expect(failed).not.toHaveProperty('command');
      expect(failed.diagnostics[0]!.summary).toMatch(/^unknown command 'plna'/);
      expect(typo.stderr).toContain("error: unknown command 'plna'");
    }
    const plain = await run(dir, ['plna']);
    expect(plain.stdout).toBe('');
    // An option of each command put before the command is told where it goes, as a JSON document too.
    const cases: Array<[string[], string]> = [
      [['--json', 'pull'], '--json is an option of each command: put it after the command (dashsync pull --json)'],
      [
        ['--format', 'json', 'plan'],
        '--format json is an option of each command: put it after the command (dashsync plan --format json)',
      ],
      [
        ['--format', 'json'],
        '--format json is an option of each command: put it after the command (dashsync <command> --format json)',
      ],
      [
        ['--format=json', 'validate'],
        '--format=json is an option of each command: put it after the command (dashsync validate --format=json)',
      ],
      [
        ['-q', '--json', 'plan'],
        '-q --json are options of each command: put them after the command (dashsync plan -q --json)',
      ],
    ];
    for (const [flags, said] of cases) {
      const early = await run(dir, flags);
      expect(early.code).toBe(1);
      expect(documentOf(early.stdout)).toMatchObject({ failed: true, exitCode: 1 });
      // The command named after the options (the value of --format is not one) is the document's.
      if (flags.includes('plan') || flags.includes('pull'))
        expect(documentOf(early.stdout)).toHaveProperty('command', flags.at(-1));
      expect(early.stderr).toContain(`error: ${said}`);
      expect(early.stderr).toContain('hint: dashsync --help lists the commands');
    }
    const markdown = await run(dir, ['--format', 'markdown', 'plan']);
    expect(markdown.stderr).toContain('(dashsync plan --format markdown)');
  });
});

describe('--json and --format', () => {
  it('--json and --format json print the same bytes', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    for (const args of [['validate'], ['plan'], ['plan', '--prune'], ['pull']]) {
      const alias = await run(dir, [...args, '--json'], s.env);
      const format = await run(dir, [...args, '--format', 'json'], s.env);
      expect(format.stdout, args.join(' ')).toBe(alias.stdout);
      expect(format.code, args.join(' ')).toBe(alias.code);
      expect(() => JSON.parse(alias.stdout), args.join(' ')).not.toThrow();
    }
  });

  it('a format the command cannot print is a usage error that lists those it can, and nothing runs', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'A', definition: {} });
    const dir = tree({ 'dashboards/p/.keep': '' });
    const r = await run(dir, ['pull', '--format', 'markdown'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: --format markdown: dashsync pull cannot print it\nhint: dashsync pull prints text, json, github\n',
    );
    expect(s.stats.list).toBe(0);
    const both = await run(dir, ['plan', '--json', '--format', 'markdown'], s.env);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--json is --format json: it cannot go with --format markdown');
    // The line asks for JSON: its failure is one JSON document still.
    expect(JSON.parse(both.stdout)).toMatchObject({ failed: true, exitCode: 1 });
  });

  it('each command lists its formats in --help', async () => {
    const pull = await run(tree(), ['pull', '--help']);
    expect(pull.stdout).toMatch(/--format <name>\s+output: text, json, github \(default text\)/);
    const plan = await run(tree(), ['plan', '--help']);
    expect(plan.stdout).toMatch(/--format <name>\s+output: text, json, markdown, github, html \(default\s+text\)/);
  });
});

describe('watch --format json', () => {
  it('prints a line for each event its text shows: waiting, drift, an invalid file, valid again, then the summary', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '1', '--format', 'json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env, DASHSYNC_RETRIES: '1' },
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const events = (): Array<Record<string, unknown>> =>
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const seen = (event: string): boolean => events().some((line) => line.event === event);
    await until(() => seen('waiting'), 'watch to wait for changes');
    const created = events().find((line) => line.event === 'action')!;
    expect(created).toMatchObject({ action: 'create', path: 'dashboards/p/a.yaml', outcome: 'done', name: 'A' });

    const d = s.store.list('user', 'p')[0]!;
    await s.store.save('user', 'p', { id: d.id, name: 'A', definition: { changed: 'in the UI' } });
    await until(() => seen('remote-changed'), 'the drift as a JSON line');
    expect(events().find((line) => line.event === 'remote-changed')).toMatchObject({
      path: 'dashboards/p/a.yaml',
      name: 'A',
      seen: 'check',
    });

    write(dir, 'dashboards/p/bad.yaml', 'name: Bad\ndefinition: [oops\n');
    await until(() => seen('problem'), 'the invalid file as a JSON line');
    expect(events().find((line) => line.event === 'problem')).toMatchObject({ path: 'dashboards/p/bad.yaml' });
    write(dir, 'dashboards/p/bad.yaml', dashboardYaml('Bad'));
    await until(() => seen('valid-again'), 'valid again as a JSON line');

    const code = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await code).toBe(0);
    const last = events().at(-1)!;
    expect(last).toEqual({ summary: { batches: expect.any(Number), created: 2, updated: 0, deleted: 0, failed: 0 } });
    // Every line of stdout is JSON; the text is on stderr.
    expect(events().length).toBe(out.trim().split('\n').length);
    expect(err).toContain('watching dashboards/');
  });
});
