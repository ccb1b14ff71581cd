import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY } from '../../src/config/resolve.js';
import { CLI, ROOT, dashboardYaml, read, run, syncedFolder, tree, until, useEmulators, write } from '../helpers.js';

/*
 * Messages a person or a script can use (issue 21, item 9): each as the user meets it, through the
 * built CLI. Errors in JSON and watch's JSON lines: cli-formats.test.ts.
 */

const server = useEmulators();
const stubs: Server[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(stubs.splice(0).map((stub) => new Promise((resolve) => stub.close(resolve))));
});

/** A server on 127.0.0.1 that answers every call as the platform does for an org or user it does not have: 404, in its envelope. */
async function notFoundEverywhere(): Promise<string> {
  const stub = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'error', message: 'Not found', data: null }));
  });
  stubs.push(stub);
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const address = stub.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe('validate counts every file it read', () => {
  it('valid and invalid alike, in the text and in --json', async () => {
    const dir = tree({
      'dashboards/p/good.yaml': dashboardYaml('Good'),
      'dashboards/p/extra.yaml': 'name: Extra\ndefinition: {}\nextra: 1\n',
      'dashboards/p/broken.yaml': 'name: [\n',
    });
    const text = await run(dir, ['validate']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('2 problems in 2 files; 1 of 3 files valid.');
    const json = await run(dir, ['validate', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, files: 3, validFiles: 1, invalidFiles: 2 });
  });
});

describe('a URL that leads to no API', () => {
  it('names the whole URL and points at the org and the user in it, and at /api/v1', async () => {
    const base = await notFoundEverywhere();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const env = { DASHSYNC_URL: `${base}/jarvispy/wrong-org/me`, DASHSYNC_TOKEN: 'token-abcdef-123456' };
    const r = await run(dir, ['plan'], env);
    expect(r.code).toBe(1);
    const url = `${base}/jarvispy/wrong-org/me/api/v1`;
    expect(r.stderr).toContain(`error: GET ${url}/dashboards/list?scope=user failed (404): Not found`);
    expect(r.stderr).toContain(
      `hint: no API answers at ${url}: check the org ("wrong-org") and the user ("me") in the URL, ` +
        'https://HOST/jarvispy/ORG/USER (dashsync adds /api/v1, under which the API lives)',
    );
    const json = await run(dir, ['pull', '--json'], env);
    expect(JSON.parse(json.stdout).diagnostics[0].call).toEqual({
      method: 'GET',
      path: `${url}/dashboards/list?scope=user`,
      status: 404,
    });
  });

  it('without the /jarvispy/ORG/USER form, says what the URL should look like', async () => {
    const base = await notFoundEverywhere();
    const r = await run(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), ['plan'], {
      DASHSYNC_URL: `${base}/platform`,
      DASHSYNC_TOKEN: 'token-abcdef-123456',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `hint: no API answers at ${base}/platform/api/v1: check the URL: https://HOST/jarvispy/ORG/USER in the cloud, ` +
        'the host alone when self-hosted (dashsync adds /api/v1, under which the API lives)',
    );
  });
});

describe('pull --quiet', () => {
  it('shows the files its summary points to ("see above"), and no others', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const [a] = s.store.list('user', 'p').filter((d) => d.name === 'A');
    await s.store.save('user', 'p', { id: a!.id, name: 'A', definition: { changed: 'in the UI' } });
    await s.store.save('user', 'p', { name: 'New in the UI', definition: {} });
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    const r = await run(dir, ['pull', '-q'], s.env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ {2}! dashboards\/p\/a\.yaml {2}"A" {2}/);
    expect(lines[1]).toBe('Pull complete: 1 new, 0 updated, 0 removed, 1 unchanged; 1 kept (see above).');
  });
  it('shows a file deleted here and kept deleted, which its summary points to as well', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    const r = await run(dir, ['pull', '-q'], s.env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ {2}\? dashboards\/p\/b\.yaml {2}"B" {2}deleted locally/);
    expect(lines[1]).toBe(
      'Pull complete: 0 new, 0 updated, 0 removed, 1 unchanged; 1 deleted locally, not brought back (see above).',
    );
  });
});

describe('a saved plan says what apply will do with it', () => {
  it('with a conflict: that apply skips it and fails, not that apply carries it out', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const [a] = s.store.list('user', 'p').filter((d) => d.name === 'A');
    await s.store.save('user', 'p', { id: a!.id, name: 'A', definition: { changed: 'in the UI' } });
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
    const r = await run(dir, ['plan', '--out', 'plan.json'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Plan saved to plan.json. dashsync apply plan.json would carry out its other actions, skip the 1 in ' +
        'conflict (marked ! above) and exit 1: settle it first, or make the plan again with --force to apply your side.',
    );
    expect(r.stdout).not.toContain('To carry out exactly these actions');
    const applied = await run(dir, ['apply', 'plan.json'], s.env);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('1 created');
    expect(s.store.get('user', 'p', a!.id)!.definition).toEqual({ changed: 'in the UI' });
  });

  it('with an error: that apply refuses it; and without either, the command to carry it out', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Twin', definition: {} });
    await s.store.save('user', 'p', { name: 'Twin', definition: { other: 1 } });
    const dir = tree({ 'dashboards/p/twin.yaml': dashboardYaml('Twin') });
    const r = await run(dir, ['plan', '--out', 'plan.json'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Plan saved to plan.json. It has 1 error (marked x above): dashsync apply plan.json would refuse it and ' +
        'change nothing; fix them and make the plan again.',
    );
    const clean = tree({ 'dashboards/q/a.yaml': dashboardYaml('A') });
    const fine = await run(clean, ['plan', '--out', 'plan.json'], s.env);
    expect(fine.stdout).toContain(
      'Plan saved to plan.json. To carry out exactly these actions: dashsync apply plan.json',
    );
  });
});

describe('a delete names the dashboard, not only its folder', () => {
  it('in the plan, its Markdown, apply and watch; one with no name says so', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    await s.store.save('user', 'p', { name: '', definition: {} });
    const [b] = s.store.list('user', 'p').filter((d) => d.name === 'B');
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    const plan = await run(dir, ['plan', '--prune'], s.env);
    expect(plan.stdout).toContain(`  - dashboards/p/  "B"  (id ${b!.id}, no file)`);
    expect(plan.stdout).toMatch(/ {2}- dashboards\/p\/ {2}\(no name\) {2}\(id [0-9a-f-]+, no file\)/);
    const markdown = await run(dir, ['plan', '--prune', '--format', 'markdown'], s.env);
    expect(markdown.stdout).toContain(`- <code>-</code> \`p/\` "B" (id \`${b!.id}\`)`);
    expect(markdown.stdout).toMatch(/- <code>-<\/code> `p\/` \(no name\) \(id `[0-9a-f-]+`\)/);
    const applied = await run(dir, ['apply', '--prune', '--yes'], s.env);
    expect(applied.stdout).toContain(`ok  deleted p/ "B" (id ${b!.id})`);
    expect(applied.stdout).toMatch(/ok {2}deleted p\/ \(no name\) \(id [0-9a-f-]+\)/);

    write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
    const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0', '--prune'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env },
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('watching dashboards/'), 'watch to start');
    rmSync(join(dir, 'dashboards/p/c.yaml'));
    await until(() => out.includes('deleted'), 'the delete');
    expect(out).toMatch(/\d\d:\d\d:\d\d {2}- p\/ {2}"C" {2}deleted/);
  });
});

describe('migrate speaks of the target', () => {
  it('its plan shows the target project of each action, and its hint names the real source project', async () => {
    const staging = await server();
    const production = await server();
    const revenue = await staging.store.save('user', 'sales', { name: 'Revenue', definition: { w: 1 } });
    await staging.store.save('user', 'sales', { name: 'Pipeline', definition: { w: 2 } });
    await production.store.save('user', 'elsewhere', { id: revenue.id, name: 'Revenue', definition: { w: 1 } });
    const dir = tree({
      'dashsync.yaml':
        `environments:\n  staging: { url: "${staging.url}", token_env: S }\n` +
        `  production: { url: "${production.url}", token_env: P, projects: { sales: prod-sales } }\n`,
    });
    const r = await run(dir, ['migrate', '--from', 'staging', '--to', 'production', '--dry-run'], {
      S: staging.token,
      P: production.token,
    });
    expect(r.stdout).toContain('  + staging/sales/pipeline  "Pipeline"  -> production/prod-sales/');
    expect(r.stdout).toContain('  x staging/sales/revenue  "Revenue"  -> production/prod-sales/');
    expect(r.stdout).toContain('(--project sales=elsewhere, or map the folder under projects: in production)');
    expect(r.stdout).not.toContain('SRC');
  });
});

describe('the README and --help say what is true', () => {
  it('the apps cost section names the default concurrency and the bound it gives', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const cost = readme.slice(readme.indexOf('**Cost.**'), readme.indexOf('**The emulator**'));
    const bound = ((1 + Math.ceil(1000 / DEFAULT_CONCURRENCY)) * 20) / 1000;
    expect(cost).toContain(`With the default concurrency of\n${DEFAULT_CONCURRENCY} and a 20 ms round trip`);
    expect(cost).toContain(`(1 + ceil(1000 / ${DEFAULT_CONCURRENCY})) x 20 ms = ${bound.toFixed(2)} s for 1,000 apps`);
  });

  it('validate --help lists no flag of a workspace, which it never reads', async () => {
    const help = await run(tree(), ['validate', '--help']);
    for (const flag of ['--concurrency', '--url', '--token', '--scope']) expect(help.stdout).not.toContain(flag);
    expect(help.stdout).toContain('--dir');
    const plan = await run(tree(), ['plan', '--help']);
    expect(plan.stdout).toMatch(
      new RegExp(`--concurrency <n>\\s+requests in flight at once \\(default ${DEFAULT_CONCURRENCY};`),
    );
  });
});
