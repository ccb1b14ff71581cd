import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Misbehaviour } from '../../../src/emulator/faults.js';
import { dashboardYaml, read, run, syncedFolder, tree, useEmulators, write } from '../../helpers.js';

/*
 * Answers of the wrong shape (issue 20, item 3 and its family): every answer is checked for the
 * shape the API documents before anything is written or recorded. A wrong one is one error line
 * naming the call and what is missing, exit 1; no file gets `definition: {}`, nothing is recorded
 * as synced. Liberal in what is read: extra fields, camelCase, numeric ids, a definition as JSON text.
 */

const server = useEmulators();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A hand-written server on 127.0.0.1 answering every call with `handler`; its base URL. */
async function fake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  await new Promise<void>((resume) => s.listen(0, '127.0.0.1', resume));
  closers.push(
    () =>
      new Promise((resume) => {
        s.closeAllConnections();
        s.close(() => resume());
      }),
  );
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const envelope = (data: unknown): string => JSON.stringify({ status: 'success', message: 'ok', data });
const stateOf = (dir: string): string =>
  existsSync(join(dir, '.dashsync/state.json')) ? readFileSync(join(dir, '.dashsync/state.json'), 'utf8') : '';

describe('a get with no definition', () => {
  it('stops pull with the call named, writes no file and records nothing; once fixed, pull brings the real definition', async () => {
    const misbehave: Misbehaviour = { reshape: { get: { definition: undefined } } };
    const s = await server({ misbehave });
    const { id } = await s.store.save('user', 'p', { name: 'Revenue', definition: { widgets: [{ q: 'SELECT 1' }] } });
    const dir = tree({});
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: GET /dashboards/p/${id}?scope=user failed (200): the dashboard has no definition (an object): none sent\n` +
        'hint: the server does not answer as the Dashboards API documents; nothing was recorded from this answer\n',
    );
    expect(existsSync(join(dir, 'dashboards/p')) ? readdirSync(join(dir, 'dashboards/p')) : []).toEqual([]);
    expect(stateOf(dir)).not.toContain(id);
    delete misbehave.reshape;
    const fixed = await run(dir, ['pull'], s.env);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(read(dir, 'dashboards/p/revenue.yaml')).toContain('q: SELECT 1');
  });

  it('keeps a synced file as it was, so that a fixed server shows the change made in the workspace', async () => {
    const misbehave: Misbehaviour = {};
    const s = await server({ misbehave });
    const dir = await syncedFolder(s);
    const before = read(dir, 'dashboards/p/a.yaml');
    const stateBefore = stateOf(dir);
    const a = s.store.list('user', 'p').find((d) => d.name === 'A')!;
    await s.store.save('user', 'p', {
      id: a.id,
      name: 'A',
      definition: { title: 'A', widgets: ['changed in the UI'] },
    });
    misbehave.reshape = { get: { definition: undefined } };
    for (const args of [['pull'], ['plan'], ['apply', '--yes']]) {
      const r = await run(dir, args, s.env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        /^error: GET \/dashboards\/p\/\S+\?scope=user failed \(200\): the dashboard has no definition/,
      );
    }
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(before);
    // The same records (a pull that stopped saves what it did, here nothing: its keys may come in another order).
    expect(JSON.parse(stateOf(dir))).toEqual(JSON.parse(stateBefore));
    delete misbehave.reshape;
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('~ dashboards/p/a.yaml  "A"');
    expect(plan.stdout).toContain('changed in the workspace since the last sync');
  });
});

describe('answers of the wrong shape', () => {
  it.each([
    ['a list row without id', { list: { id: undefined } }, 'a listed dashboard has no id'],
    ['a list row without name', { list: { name: undefined } }, 'a listed dashboard has no name'],
    ['a list row without project', { list: { project_id: undefined } }, 'a listed dashboard has no project_id'],
    ['a list row whose name is a number', { list: { name: 7 } }, 'a listed dashboard has no name'],
    ['a definition that is a list', { get: { definition: [] } }, 'the dashboard has no definition (an object): []'],
    [
      'a definition that is broken JSON text',
      { get: { definition: '{"a":' } },
      'has no definition (an object): "{\\"a\\":"',
    ],
    ['a get of another dashboard', { get: { id: 'someone-else' } }, 'answered "someone-else"'],
    ['a get of another project', { get: { project_id: 'q' } }, 'says it is in project "q"'],
  ] as Array<[string, Misbehaviour['reshape'], string]>)(
    'plan stops on %s, naming the call, and records nothing',
    async (_what, reshape, says) => {
      const misbehave: Misbehaviour = {};
      const s = await server({ misbehave });
      const dir = await syncedFolder(s);
      // Changed in the workspace, so that plan fetches it.
      for (const d of s.store.list('user', 'p')) await s.store.save('user', 'p', { ...d, definition: { v: 2 } });
      const stateBefore = stateOf(dir);
      misbehave.reshape = reshape!;
      const r = await run(dir, ['plan'], s.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: GET \/dashboards\/\S+ failed \(200\): /);
      expect(r.stderr).toContain(says);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(stateOf(dir)).toBe(stateBefore);
    },
  );

  it('fails an update answered with another id than the one sent; finds in the list the id of a create answered without one', async () => {
    const misbehave: Misbehaviour = {};
    const s = await server({ misbehave });
    const dir = await syncedFolder(s);
    const before = read(dir, 'dashboards/p/a.yaml');
    write(dir, 'dashboards/p/a.yaml', before.replace('SELECT 1', 'SELECT 2'));
    misbehave.reshape = { save: { id: 'not-the-one-sent' } };
    const update = await run(dir, ['apply', '--yes'], s.env);
    expect(update.code).toBe(1);
    expect(update.stderr).toMatch(
      /FAILED {2}dashboards\/p\/a\.yaml: POST \/dashboards\/p\/save failed \(200\): the save of dashboard "\S+" answered id "not-the-one-sent": another dashboard than the one sent/,
    );
    // (The server did save it: the file and the workspace agree now.) A create answered 200 with no id: what it made is looked for in the list, by the id it was sent under.
    misbehave.reshape = { save: { id: undefined } };
    write(dir, 'dashboards/p/new.yaml', dashboardYaml('New'));
    const create = await run(dir, ['apply', '--yes', '--debug'], s.env);
    expect(create.code, create.stderr).toBe(0);
    const made = s.store.list('user', 'p').filter((d) => d.name === 'New');
    expect(made).toHaveLength(1);
    expect(create.stdout).toContain(`ok  created dashboards/p/new.yaml (id ${made[0]!.id})`);
    expect(create.stderr).toContain('the save answered no id: {}');
    expect(read(dir, 'dashboards/p/new.yaml')).toBe(`id: ${made[0]!.id}\n${dashboardYaml('New')}`);
  });

  it('reads what a liberal reader can: extra fields, camelCase, numeric ids, a definition as JSON text', async () => {
    const url = await fake((req, res) => {
      if (req.url!.includes('/list'))
        return res.end(envelope({ dashboards: [{ id: 42, projectId: 'p', name: 'Answer', owner: 'x' }] }));
      res.end(envelope({ id: 42, projectId: 'p', name: 'Answer', definition: '{"w":[1]}', extra: true }));
    });
    const dir = tree({});
    const r = await run(dir, ['pull'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-liberal-1' });
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'dashboards/p/answer.yaml')).toBe('id: "42"\nname: Answer\ndefinition:\n  w:\n    - 1\n');
    const plan = await run(dir, ['plan', '--detailed-exitcode'], {
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: 'token-liberal-1',
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});

describe('answers that are not the API', () => {
  const oneFile = (): string => tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });

  it('stops at a login page a proxy answers with 200, for every command', async () => {
    const s = await server({ misbehave: { loginPage: true } });
    const dir = oneFile();
    for (const args of [['plan'], ['apply', '--yes'], ['pull']]) {
      const r = await run(dir, args, s.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^error: GET \/dashboards\/list\?scope=user failed \(200\): the response is not JSON: "<!doctype html>/,
      );
    }
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(dashboardYaml('A'));
  });

  it('never follows a redirect to another host, so the token stays home', async () => {
    let reached = 0;
    const elsewhere = await fake((_req, res) => {
      reached++;
      res.end(envelope([]));
    });
    const url = await fake((_req, res) => {
      res.writeHead(302, { location: `${elsewhere}/login?next=/api` });
      res.end();
    });
    const r = await run(oneFile(), ['plan'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-redirect-1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: GET /dashboards/list?scope=user failed (302): redirected to ${elsewhere}, which dashsync does not follow`,
    );
    expect(reached).toBe(0);
  });

  it.each([
    ['status "error"', { status: 'error', message: 'backend says no', data: [] }, 'failed (200): backend says no'],
    [
      'status "conflict"',
      { status: 'conflict', message: 'locked by another editor', data: [] },
      'failed (200): locked by another editor',
    ],
    ['status "fail"', { status: 'fail', message: 'nope', data: [] }, 'failed (200): nope'],
  ])('takes a 200 whose envelope says %s for the failure it is', async (_what, body, says) => {
    const url = await fake((_req, res) => res.end(JSON.stringify(body)));
    const r = await run(oneFile(), ['plan'], {
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: 'token-envelope-1',
      DASHSYNC_RETRIES: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: GET /dashboards/list?scope=user ${says}`);
  });

  it('never inflates a compressed answer it did not ask for (a gzip bomb is just not JSON)', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const url = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const started = Date.now();
    const r = await run(oneFile(), ['plan'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-gzip-1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: GET /dashboards/list?scope=user failed (200): the response is not JSON');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('what an adversary tried next', () => {
  it('refuses a list that says it has more pages: what it leaves out would pass for deleted', async () => {
    const url = await fake((_req, res) => res.end(envelope({ dashboards: [], next_cursor: 'abc' })));
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A', '', 'kept-id') });
    for (const args of [['plan'], ['pull', '--prune']]) {
      const r = await run(dir, args, { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-paged-1' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'error: GET /dashboards/list?scope=user failed (200): the list is paged (it has "next_cursor"), which the API does not document',
      );
    }
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(dashboardYaml('A', '', 'kept-id'));
  });

  it('reads JSON that starts with a byte-order mark', async () => {
    const url = await fake((req, res) =>
      res.end(
        `\uFEFF${req.url!.includes('/list') ? envelope([{ id: 'a', project_id: 'p', name: 'A' }]) : envelope({ id: 'a', project_id: 'p', name: 'A', definition: { w: 1 } })}`,
      ),
    );
    const dir = tree({});
    const r = await run(dir, ['pull'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-bom-1' });
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'dashboards/p/a.yaml')).toBe('id: a\nname: A\ndefinition:\n  w: 1\n');
  });

  it('refuses a definition nested deeper than any file may be, in one line, instead of overflowing the stack', async () => {
    const depth = 100_000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const url = await fake((req, res) =>
      res.end(
        req.url!.includes('/list')
          ? envelope([{ id: 'x', project_id: 'p', name: 'Deep' }])
          : `{"status":"success","data":{"id":"x","project_id":"p","name":"Deep","definition":${deep}}}`,
      ),
    );
    const dir = tree({});
    const r = await run(dir, ['pull'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-deep-1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: GET /dashboards/p/x?scope=user failed (200): the definition nests deeper than 200 levels',
    );
    expect(r.stderr).not.toContain('this is a bug');
  });
});

describe('a server that echoes the token', () => {
  it('keeps the token out of the error that quotes its answer, with --debug too', async () => {
    const token = 'ECHOED-SECRET-0a1b2c3d';
    // A list row without an id that carries back the Authorization header it was sent.
    const url = await fake((req, res) =>
      res.end(envelope([{ project_id: 'p', name: 'A', auth: req.headers.authorization }])),
    );
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan', '--debug'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: token });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a listed dashboard has no id: {"project_id":"p","name":"A","auth":"Bearer ***"}');
    expect(r.stdout + r.stderr).not.toContain(token);
  });
});

describe('a server that talks too much', () => {
  it('cuts a message of megabytes to a line a terminal can hold', async () => {
    const url = await fake((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', message: 'x'.repeat(3_000_000), data: null }));
    });
    const r = await run(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), ['plan'], {
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: 'token-chatty-1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`failed (400): ${'x'.repeat(1000)}... (2999000 more characters)`);
    expect(r.stderr.length).toBeLessThan(2000);
  });
});

describe('ids a list must not hold', () => {
  // A server listing rows as given, and every other call it gets, by method and path.
  async function listing(rows: unknown[]): Promise<{ url: string; calls: string[] }> {
    const calls: string[] = [];
    const url = await fake((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      if (req.method === 'GET' && req.url!.includes('/list')) return res.end(envelope({ dashboards: rows }));
      res.end(envelope({ id: 'x', project_id: 'p', name: 'X', definition: {} }));
    });
    return { url, calls };
  }

  it('a list naming one id twice stops pull and apply --prune before any other call, naming the call and the id', async () => {
    const row = { id: 'd1', project_id: 'p', name: 'Twice' };
    const { url, calls } = await listing([row, row]);
    const env = { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-twice-1' };
    const pulled = tree({});
    const pull = await run(pulled, ['pull'], env);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain(
      'error: GET /dashboards/list?scope=user failed (200): the list names dashboard "d1" twice',
    );
    expect(existsSync(join(pulled, 'dashboards/p'))).toBe(false);
    const dir = tree({ 'dashboards/p/other.yaml': dashboardYaml('Other', '', 'd2') });
    const apply = await run(dir, ['apply', '--prune', '--yes'], env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('the list names dashboard "d1" twice');
    expect(calls.filter((call) => !call.startsWith('GET '))).toEqual([]);
  });

  it.each(['.', '..'])('an id of %j from the server stops plan and apply before any call made with it', async (id) => {
    const { url, calls } = await listing([{ id, project_id: 'p', name: 'Dots' }]);
    const env = { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-dots-1' };
    const dir = tree({ 'dashboards/p/other.yaml': dashboardYaml('Other') });
    for (const command of [['plan'], ['apply', '--prune', '--yes'], ['pull']]) {
      const r = await run(dir, command, env);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr).toContain(`would change the path of every call made with it`);
    }
    expect(calls.every((call) => call.startsWith('GET ') && call.includes('/dashboards/list?'))).toBe(true);
  });

  it.each(['.', '..'])('an id of %j in a file is a problem at its key, before any call', async (id) => {
    const { url, calls } = await listing([]);
    const dir = tree({ 'dashboards/p/a.yaml': `name: A\nid: "${id}"\ndefinition: {}\n` });
    const v = await run(dir, ['validate']);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`dashboards/p/a.yaml:2:1: the id "${id}" would change the path`);
    const r = await run(dir, ['apply', '--yes'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-dots-2' });
    expect(r.code).toBe(1);
    expect(calls).toEqual([]);
  });
});
