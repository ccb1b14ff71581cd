import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, FileError, describeError, errorToText } from '../../src/errors.js';
import { errorLines } from '../../src/report/error-text.js';
import { dashboardYaml, emulator, run, tree } from '../helpers.js';

// Issue 14: one converter turns every error into words; file-system errors name the file and are
// never reported as a bug in dashsync.

/** An errno error as node:fs throws it. */
function errno(code: string, syscall: string, path: string, dest?: string): Error {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), {
    code,
    syscall,
    path,
    ...(dest ? { dest } : {}),
    errno: -1,
  });
}

describe('describeError', () => {
  it.each([
    ['EACCES', 'open', 'permission denied: /repo/dashboards/p/a.yaml'],
    ['EROFS', 'open', '/repo/dashboards/p/a.yaml is on a read-only file system'],
    ['ENOSPC', 'write', 'no space left on the device to write /repo/dashboards/p/a.yaml'],
    ['EISDIR', 'open', '/repo/dashboards/p/a.yaml is a folder, where a file was expected'],
    ['ENOTDIR', 'open', '/repo/dashboards/p/a.yaml: a part of this path is a file, where a folder was expected'],
  ])('says what %s means in one line naming the file, with a suggestion', (code, syscall, summary) => {
    const described = describeError(errno(code, syscall, '/repo/dashboards/p/a.yaml'));
    expect(described.summary).toBe(summary);
    expect(described.suggestion).toBeTruthy();
    expect(described.unexpected).toBe(false);
  });

  it('names the file a rename replaces, not its temporary file', () => {
    expect(
      describeError(errno('EACCES', 'rename', '/repo/.dashsync/tmp/.a.yaml.1a2b3c4d.tmp', '/repo/dashboards/p/a.yaml'))
        .summary,
    ).toBe('permission denied: /repo/dashboards/p/a.yaml');
  });

  it('names the code of a file-system error it has no words for', () => {
    expect(describeError(errno('EXDEV', 'link', '/repo/x'))).toMatchObject({
      summary: 'link /repo/x failed (EXDEV)',
      unexpected: false,
    });
  });

  it('carries the server message and its details as sent, escapes included', () => {
    const e = new ApiError({
      kind: 'validation',
      method: 'POST',
      path: '/api/v1/apps/save',
      status: 422,
      serverMessage: 'bad \u001b[31mname',
      details: ['a: \u0007 bell'],
    });
    expect(describeError(e)).toEqual({
      summary: 'POST /api/v1/apps/save failed (422): bad \u001b[31mname',
      details: ['a: \u0007 bell'],
      unexpected: false,
    });
  });

  it('adds the suggestion of a dashsync error in parentheses, as one line', () => {
    const e = new ApiError({
      kind: 'forbidden',
      method: 'GET',
      path: '/x',
      status: 403,
      serverMessage: 'no',
      suggestion: 'check the scope',
    });
    expect(errorToText(e)).toBe('GET /x failed (403): no (check the scope)');
    expect(errorToText(new FileError([{ path: 'a.yaml', line: 2, col: 3, message: 'bad' }]))).toBe('a.yaml:2:3: bad');
  });

  it('marks an error it does not know as unexpected', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      summary: 'x is undefined',
      details: [],
      unexpected: true,
    });
  });

  it('makes an ApiError of unknown outcome without changing the original', () => {
    const e = new ApiError({
      kind: 'server',
      method: 'POST',
      path: '/x',
      status: 500,
      serverMessage: 'boom',
      retryAfter: 2,
    });
    const unknown = e.with({ outcomeUnknown: true });
    expect([e.outcomeUnknown, unknown.outcomeUnknown, unknown.retryAfter, unknown.message]).toEqual([
      false,
      true,
      2,
      e.message,
    ]);
  });
});

describe('errorLines', () => {
  it('ends a run with the error, its hint and the server details; a bug hint only for the unexpected', () => {
    const e = new ApiError({
      kind: 'validation',
      method: 'POST',
      path: '/x',
      status: 422,
      serverMessage: 'no',
      suggestion: 'fix it',
      details: ['a: bad'],
    });
    expect(errorLines(e, { debug: false })).toEqual(['error: POST /x failed (422): no', 'hint: fix it', '  - a: bad']);
    expect(errorLines(errno('ENOSPC', 'write', '/r/a.yaml'), { debug: false })).toEqual([
      'error: no space left on the device to write /r/a.yaml',
      'hint: free some disk space and run again',
    ]);
    expect(errorLines(new TypeError('boom'), { debug: false }).at(-1)).toContain('this is a bug in dashsync');
    expect(
      errorLines(new FileError([{ path: 'a.yaml', line: 1, col: 2, message: 'bad' }], 'fix the file'), { debug: true }),
    ).toEqual(['a.yaml:1:2: bad', 'hint: fix the file']);
  });
});

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('file-system errors through the CLI', () => {
  it('apply that cannot write the sync state names the file, exits 1 and is not called a bug', async () => {
    const s = await emulator();
    servers.push(s);
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    mkdirSync(join(dir, '.dashsync', 'state.json'), { recursive: true });
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: \S*\.dashsync\/state\.json is a folder, where a file was expected\n/);
    expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
  });

  it('pull into a project folder whose name a file holds names it, exits 1 and is not called a bug', async () => {
    const s = await emulator();
    servers.push(s);
    const source = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(source, ['apply', '--yes'], s.env)).code).toBe(0);
    const dir = tree({});
    mkdirSync(join(dir, 'dashboards'));
    writeFileSync(join(dir, 'dashboards', 'p'), 'not a folder\n');
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: \S*dashboards\/p: a part of this path is a file, where a folder was expected\n/);
    expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
  });
});
