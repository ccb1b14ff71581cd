import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, read, run, tree, until, write } from '../helpers.js';

/*
 * `dashsync preview` through the built CLI, without a browser: what it says and serves offline,
 * its JSON lines, what it refuses (another host name, a write), a workspace it cannot read, and
 * that it writes nothing at all. (test/journeys/browser-preview.test.ts draws it in Chromium.)
 */

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function start(dir: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, 'preview', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
  });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, out, exited };
}

const urlIn = (text: string): string => /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)![1]!;

/** Every file and folder under `dir` with its size and times: what a run that writes nothing leaves as it was. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((path) => {
      const stat = statSync(join(dir, path));
      return `${path} ${stat.size} ${stat.mtimeMs} ${stat.ctimeMs}`;
    });
}

/** A GET with the Host header given (fetch does not let a test choose it). */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashsync preview', () => {
  it('with no workspace configured, draws the files alone, says why, and writes nothing', async () => {
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A'), 'dashboards/sales/bad.yaml': 'name: [\n' });
    const before = snapshot(dir);
    const { child, out, exited } = start(dir, []);
    await until(() => out.stdout.includes('Preview of'), 'the preview to start');
    expect(out.stdout.split('\n')[0]).toMatch(/^Preview of 2 files: http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = urlIn(out.stdout);
    let places = '';
    for (let tries = 0; !places.includes('no sync state'); tries++) {
      expect(tries, 'the comparison').toBeLessThan(100);
      places = await (await fetch(`${url}places`)).text();
    }
    expect(places).toContain(
      'Compared with nothing (no workspace is configured (no URL), and no sync state): the drawings alone.',
    );
    const list = await (await fetch(`${url}list`)).text();
    expect(list).toContain('title="· drawn">· drawn</span><span class="file">A</span>');
    expect(list).toContain('title="! invalid (1 problem)">! invalid</span><span class="file">bad.yaml</span>');
    const item = await (await fetch(`${url}item?path=${encodeURIComponent('dashboards/sales/bad.yaml')}`)).text();
    expect(item).toMatch(/<code>dashboards\/sales\/bad\.yaml:\d+:\d+: [^<]+<\/code>/);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('prints a JSON line when it listens and one per file redrawn, then its summary', async () => {
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A') });
    const { child, out, exited } = start(dir, ['--offline', '--format', 'json']);
    await until(() => out.stdout.includes('"previewing"'), 'the preview to start');
    const lines = () =>
      out.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines()[0]).toMatchObject({
      event: 'previewing',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      files: 1,
    });
    write(dir, 'dashboards/sales/a.yaml', read(dir, 'dashboards/sales/a.yaml').replace('SELECT 1', 'SELECT 2'));
    await until(() => out.stdout.includes('"preview-redrawn"'), 'the redraw');
    expect(lines().find((line) => line.event === 'preview-redrawn')).toMatchObject({
      path: 'dashboards/sales/a.yaml',
      problems: 0,
      gone: false,
      time: expect.any(String),
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(lines().at(-1)).toEqual({ summary: { files: 1, redrawn: 1 } });
    expect(out.stderr).toContain('Compared with the last sync (offline (--offline))');
  });

  it('answers only to its own host name and only to reads, with a policy that lets the page load nothing else', async () => {
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A') });
    const { out } = start(dir, ['--offline']);
    await until(() => out.stdout.includes('Preview of'), 'the preview to start');
    const url = urlIn(out.stdout);
    const port = new URL(url).port;
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:",
    );
    expect((await get(url, { host: `localhost:${port}` })).status).toBe(200);
    expect((await get(url, { host: `attacker.example:${port}` })).status).toBe(421);
    expect((await get(url, {}, 'POST')).status).toBe(405);
    expect((await get(`${url}nothing-here`)).status).toBe(404);
  });

  it('warns before serving beyond this machine, and says so cleanly when it cannot listen there', async () => {
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['preview', '--offline', '--host', '192.0.2.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "warning: the preview is served on 192.0.2.1, beyond this machine: whoever reaches it sees the dashboards' definitions (never a token)",
    );
    expect(r.stderr).toMatch(/^error: cannot serve the preview on 192\.0\.2\.1: /m);
    expect(r.stderr).not.toContain('    at ');
  });

  it('compares with the last sync when the workspace cannot be read, and says why', async () => {
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A') });
    const before = snapshot(dir);
    const { child, out, exited } = start(dir, [], {
      DASHSYNC_URL: 'http://127.0.0.1:9',
      DASHSYNC_TOKEN: 'token-never-shown-123',
      DASHSYNC_RETRIES: '1',
    });
    await until(() => out.stderr.includes('warning: compared with the last sync'), 'the fallback', 20_000);
    expect(out.stderr).toContain('the workspace could not be read:');
    const places = await (await fetch(`${urlIn(out.stdout)}places`)).text();
    expect(places).toContain('the workspace could not be read');
    expect(out.stdout + out.stderr + places).not.toContain('token-never-shown-123');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });
});
