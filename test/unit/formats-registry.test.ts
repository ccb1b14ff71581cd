import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, FileError, UsageError } from '../../src/errors.js';
import { COMMANDS } from '../../src/report/formats/format.js';
import { openOutput } from '../../src/report/formats/output.js';
import { FORMATS, chooseFormats, formatsFor } from '../../src/report/formats/registry.js';
import type { Plan } from '../../src/core/types.js';
import { ROOT } from '../helpers.js';

// The output formats in process: which a command may print, where each writes, what JSON says of a
// failure and of watch's notices. The same through the built CLI: cli-formats.test.ts.

/** A stream that keeps what is written to it. */
function stream(): { write(text: string): void; text: string } {
  const kept = { text: '', write: (text: string) => void (kept.text += text) };
  return kept;
}

/** An output of `command` with the given flags, writing to kept streams. */
async function output(command: (typeof COMMANDS)[number], choice: { format?: string; json?: boolean }, env = {}) {
  const stdout = stream();
  const stderr = stream();
  const run = await openOutput(command, choice, { stdout, stderr, env });
  return { run, stdout, stderr };
}

const emptyPlan: Plan = { actions: [], unchanged: 2, unmanaged: [], force: false } as unknown as Plan;
const workspace = { url: 'http://127.0.0.1:9/api/v1', scope: 'user' };

describe('the registry of formats', () => {
  it('offers text first to every command, and JSON to every command', () => {
    for (const command of COMMANDS) {
      expect(formatsFor(command)[0]!.name, command).toBe('text');
      expect(
        formatsFor(command).map((format) => format.name),
        command,
      ).toContain('json');
    }
    expect(formatsFor('plan').map((format) => format.name)).toEqual(['text', 'json', 'markdown', 'github', 'html']);
    expect(formatsFor('serve').map((format) => format.name)).toEqual(['text', 'json']);
  });

  it('refuses a format a command cannot print, naming those it can', () => {
    const refusal = (): unknown => chooseFormats('pull', { format: 'markdown' }, {});
    expect(refusal).toThrow(UsageError);
    expect(refusal).toThrow('--format markdown: dashsync pull cannot print it');
    try {
      refusal();
    } catch (error) {
      expect((error as UsageError).suggestion).toBe('dashsync pull prints text, json, github');
    }
    expect(() => chooseFormats('plan', { format: 'xml' }, {})).toThrow('--format xml: no such format');
  });

  it('takes --json as the JSON format, alone or with --format json, never with another', () => {
    expect(chooseFormats('apply', { json: true }, {}).chosen.name).toBe('json');
    expect(chooseFormats('apply', { json: true, format: 'json' }, {}).chosen.name).toBe('json');
    expect(() => chooseFormats('plan', { json: true, format: 'markdown' }, {})).toThrow(
      '--json is --format json: it cannot go with --format markdown',
    );
    expect(chooseFormats('apply', {}, {}).chosen.name).toBe('text');
  });

  it('turns the GitHub format on by itself inside GitHub Actions, beside the chosen one, for the commands it renders', () => {
    const actions = { GITHUB_ACTIONS: 'true' };
    expect(chooseFormats('plan', {}, actions).active.map((format) => format.name)).toEqual(['text', 'github']);
    expect(chooseFormats('plan', { json: true }, actions).active.map((format) => format.name)).toEqual([
      'json',
      'github',
    ]);
    expect(chooseFormats('plan', { format: 'github' }, actions).active.map((format) => format.name)).toEqual([
      'github',
    ]);
    expect(chooseFormats('serve', {}, actions).active.map((format) => format.name)).toEqual(['text']);
    expect(chooseFormats('plan', {}, {}).active.map((format) => format.name)).toEqual(['text']);
  });

  it('is the only place that compares format names: no other file of src/ names a format in quotes', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const names = FORMATS.map((format) => format.name);
    expect(names).toEqual(['text', 'json', 'markdown', 'github', 'html']);
    // A format's name compared with a value (`options.format === 'json'`), or the names only a format has.
    const quoted = new RegExp(`[Ff]ormat\\w*\\s*[!=]==\\s*'(?:${names.join('|')})'|'(?:markdown|github|html)'`);
    // 'github' is also a CI platform (where `dashsync comment` posts): a platform compared is not a format.
    const platforms = /\bplatform\??\s*(?:[!=]==|:)\s*'github'|'github' \| 'gitlab'|\? 'github'|return 'github'/g;
    const offending = files(join(ROOT, 'src'))
      .filter((path) => !path.includes(join('report', 'formats')))
      .filter((path) => quoted.test(readFileSync(path, 'utf8').replace(platforms, '')))
      .map((path) => relative(ROOT, path));
    expect(offending).toEqual([]);
  });
});

describe('where each format writes', () => {
  it('text: the terminal text on stdout, nothing more at the end', async () => {
    const { run, stdout, stderr } = await output('plan', {});
    run.reporter.show({ type: 'plan', plan: emptyPlan, dir: 'dashboards', prune: false, confirming: false });
    await run.end({ command: 'plan', result: { plan: emptyPlan, workspace } });
    expect(stdout.text).toBe('No changes. Remote matches local files.\n');
    expect(stderr.text).toBe('');
    expect(run.mayAsk).toBe(true);
  });

  it('json: the document on stdout, the terminal text and warnings on stderr, the warnings also in the document', async () => {
    const { run, stdout, stderr } = await output('plan', { format: 'json' });
    run.reporter.show({ type: 'plan', plan: emptyPlan, dir: 'dashboards', prune: false, confirming: false });
    run.reporter.warn('project sales holds 2 dashboards named "Revenue"');
    await run.end({ command: 'plan', result: { plan: emptyPlan, workspace } });
    const document = JSON.parse(stdout.text) as Record<string, unknown>;
    expect(document).toMatchObject({ format: 'dashsync-plan/1', changes: false });
    expect(document.diagnostics).toEqual([
      { severity: 'warning', summary: 'project sales holds 2 dashboards named "Revenue"', detail: '' },
    ]);
    expect(stderr.text).toContain('No changes. Remote matches local files.');
    expect(stderr.text).toContain('warning: project sales holds 2 dashboards');
    expect(run.mayAsk).toBe(false);
  });

  it('markdown: the plan as Markdown on stdout, the text on stderr', async () => {
    const { run, stdout, stderr } = await output('plan', { format: 'markdown' });
    run.reporter.show({ type: 'plan', plan: emptyPlan, dir: 'dashboards', prune: false, confirming: false });
    await run.end({ command: 'plan', result: { plan: emptyPlan, workspace } });
    expect(stdout.text).toContain('### dashsync plan');
    expect(stderr.text).toContain('No changes.');
  });

  it('github inside GitHub Actions: annotations on stdout under text, on stderr when JSON owns stdout', async () => {
    const problem = { path: 'dashboards/p/bad.yaml', line: 3, col: 1, message: 'unknown key "extra"' };
    const annotation = '::error file=dashboards/p/bad.yaml,line=3,col=1,title=dashsync::unknown key "extra"\n';
    const env = { GITHUB_ACTIONS: 'true' };
    const text = await output('validate', {}, env);
    await text.run.end({ command: 'validate', result: { files: 0, checked: 1, problems: [problem], warnings: [] } });
    expect(text.stdout.text).toBe(annotation);
    const json = await output('validate', { json: true }, env);
    await json.run.end({ command: 'validate', result: { files: 0, checked: 1, problems: [problem], warnings: [] } });
    expect(json.stderr.text).toBe(annotation);
    expect(JSON.parse(json.stdout.text)).toMatchObject({ valid: false, files: 1, validFiles: 0, invalidFiles: 1 });
  });
});

describe('the job summary of GitHub Actions', () => {
  it('that cannot be written is a warning on stderr, never a second document or a failure', async () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '/nonexistent-dashsync-dir/summary.md' };
    const { run, stdout, stderr } = await output('plan', { json: true }, env);
    await run.end({ command: 'plan', result: { plan: emptyPlan, workspace } });
    expect(JSON.parse(stdout.text)).toHaveProperty('diagnostics');
    expect(stderr.text).toContain(
      'warning: the job summary was not written: cannot append to /nonexistent-dashsync-dir/summary.md (GITHUB_STEP_SUMMARY): ENOENT',
    );
  });
});

describe('a failed run', () => {
  it('in JSON: one document with the exit code and the diagnostics, the terminal lines on stderr', async () => {
    const { run, stdout, stderr } = await output('apply', { json: true });
    run.reporter.warn('interrupted: finishing the calls in flight');
    const error = new ApiError({
      kind: 'unauthorized',
      method: 'GET',
      path: '/dashboards/list?scope=user',
      status: 401,
      serverMessage: 'invalid token',
      suggestion: 'set DASHSYNC_TOKEN to a valid token',
    });
    run.fail(error, 1);
    expect(JSON.parse(stdout.text)).toEqual({
      command: 'apply',
      failed: true,
      exitCode: 1,
      diagnostics: [
        { severity: 'warning', summary: 'interrupted: finishing the calls in flight', detail: '' },
        {
          severity: 'error',
          summary: 'GET /dashboards/list?scope=user failed (401): invalid token',
          detail: '',
          suggestion: 'set DASHSYNC_TOKEN to a valid token',
          call: { method: 'GET', path: '/dashboards/list?scope=user', status: 401 },
        },
      ],
    });
    expect(stderr.text).toContain('error: GET /dashboards/list?scope=user failed (401): invalid token\n');
    expect(stderr.text).toContain('hint: set DASHSYNC_TOKEN to a valid token\n');
  });

  it('in JSON: a file error is one diagnostic per problem, with its file, line and column; a message of several lines keeps its first as the summary', async () => {
    const { run, stdout } = await output('plan', { json: true });
    const problems = [
      { path: 'dashboards/p/a.yaml', line: 2, col: 5, message: 'name must be a string' },
      { path: 'dashboards/p/b.yaml', line: 1, col: 1, message: 'not YAML' },
    ];
    run.fail(new FileError(problems, 'fix the files'), 1);
    const { diagnostics } = JSON.parse(stdout.text) as { diagnostics: unknown[] };
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        summary: 'name must be a string',
        detail: '',
        suggestion: 'fix the files',
        file: { path: 'dashboards/p/a.yaml', line: 2, col: 5 },
      },
      {
        severity: 'error',
        summary: 'not YAML',
        detail: '',
        suggestion: 'fix the files',
        file: { path: 'dashboards/p/b.yaml', line: 1, col: 1 },
      },
    ]);
    const stale = await output('apply', { json: true });
    stale.run.fail(new UsageError('stale plan: nothing was applied\n  ~ a.yaml: the file changed', 'plan again'), 1);
    expect(JSON.parse(stale.stdout.text).diagnostics[0]).toMatchObject({
      summary: 'stale plan: nothing was applied',
      detail: '  ~ a.yaml: the file changed',
      suggestion: 'plan again',
    });
  });

  it('in text: only the lines on stderr, nothing on stdout', async () => {
    const { run, stdout, stderr } = await output('pull', {});
    run.fail(new UsageError('--project nosuch names no project', 'projects: sales'), 1);
    expect(stdout.text).toBe('');
    expect(stderr.text).toBe('error: --project nosuch names no project\nhint: projects: sales\n');
  });

  it('in Markdown: a heading and the lines in a fence, for the comment a CI posts', async () => {
    const { run, stdout } = await output('plan', { format: 'markdown' });
    run.fail(new UsageError('no token'), 1);
    expect(stdout.text).toBe('### dashsync plan: failed\n\n```\nerror: no token\n```\n');
  });
});

describe("watch's JSON lines", () => {
  it('one line per notice its text shows, each with its time and its kind as `event`', async () => {
    const { run, stdout } = await output('watch', { json: true });
    const at = new Date('2026-12-04T10:00:00Z');
    run.reporter.show({ type: 'watch', at, notice: { kind: 'waiting', dir: 'dashboards', filesInSync: 2 } });
    run.reporter.show({
      type: 'watch',
      at,
      notice: { kind: 'problem', problem: { path: 'dashboards/p/x.yaml', line: 1, col: 7, message: 'bad' } },
    });
    run.reporter.show({
      type: 'watch',
      at,
      notice: { kind: 'remote-changed', path: 'dashboards/p/a.yaml', name: 'A', seen: 'check' },
    });
    run.reporter.show({ type: 'watch', at, notice: { kind: 'unmanaged', folder: 'p', name: 'UI', prune: false } });
    run.reporter.show({ type: 'watch', at, notice: { kind: 'valid-again', path: 'dashboards/p/x.yaml' } });
    const time = at.toISOString();
    expect(
      stdout.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { time, event: 'waiting', dir: 'dashboards', filesInSync: 2 },
      { time, event: 'problem', path: 'dashboards/p/x.yaml', line: 1, col: 7, message: 'bad' },
      { time, event: 'remote-changed', path: 'dashboards/p/a.yaml', name: 'A', seen: 'check' },
      { time, event: 'unmanaged', folder: 'p', name: 'UI', prune: false },
      { time, event: 'valid-again', path: 'dashboards/p/x.yaml' },
    ]);
  });

  it('a warning told outside a notice (a setting, at start) is a line too; a document keeps it for the end', async () => {
    const watch = await output('watch', { json: true });
    watch.run.reporter.warn('the URL is http:// to another machine: the token travels in clear text');
    expect(JSON.parse(watch.stdout.text)).toMatchObject({
      event: 'warning',
      text: 'the URL is http:// to another machine: the token travels in clear text',
    });
    const pull = await output('pull', { json: true });
    pull.run.reporter.warn('the URL is http:// to another machine');
    expect(pull.stdout.text).toBe('');
    await pull.run.end({ command: 'pull', result: { changes: [], unchanged: 0, literals: [] } });
    expect(JSON.parse(pull.stdout.text).diagnostics).toEqual([
      { severity: 'warning', summary: 'the URL is http:// to another machine', detail: '' },
    ]);
  });

  it('a failure of watch is one line too', async () => {
    const { run, stdout } = await output('watch', { json: true });
    run.fail(new UsageError('bad config'), 1);
    expect(stdout.text.split('\n')).toHaveLength(2);
    expect(JSON.parse(stdout.text)).toMatchObject({ command: 'watch', failed: true, exitCode: 1 });
  });
});
