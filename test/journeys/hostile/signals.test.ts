import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, read, run, syncedFolder, tree, until, useEmulators, write } from '../../helpers.js';

/*
 * Stops: Ctrl-C (SIGINT) and SIGTERM end every command that talks to a workspace with what was
 * done recorded (files, ids written back, the sync state) and a one-line summary, exit 130; a token
 * refused part way (401) stops apply from sending the rest. Issue 20, item 13.
 */

const server = useEmulators();

/** The CLI started in `dir`; its output so far, and its exit code once it ends. */
function start(dir: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resume) => child.once('close', (code) => resume(code)));
  return { child, out, exited };
}

const filesIn = (dir: string, folder: string): string[] => {
  try {
    return readdirSync(join(dir, folder)).filter((name) => name.endsWith('.yaml'));
  } catch {
    return [];
  }
};

describe('Ctrl-C and SIGTERM', () => {
  it('pull, on Ctrl-C, writes and records the dashboards in flight, says what is left to pull, exits 130; the next pull finishes', async () => {
    const s = await server({ latencyMs: 150 });
    for (let i = 0; i < 20; i++) await s.store.save('user', 'p', { name: `D${i}`, definition: { i } });
    const dir = tree({});
    const pull = start(dir, ['pull', '--concurrency', '2'], s.env);
    await until(() => filesIn(dir, 'dashboards/p').length > 0, 'pull to write a first file');
    pull.child.kill('SIGINT');
    expect(await pull.exited).toBe(130);
    const written = filesIn(dir, 'dashboards/p');
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(20);
    const summary = /Pull interrupted: (\d+) new, 0 updated, 0 removed, 0 unchanged; (\d+) left to pull\./.exec(
      pull.out.stdout,
    );
    expect(summary, pull.out.stdout).not.toBeNull();
    expect(Number(summary![1])).toBe(written.length);
    expect(Number(summary![2])).toBe(20 - written.length);
    expect(pull.out.stderr).toContain('interrupted: finishing the files in flight and recording them');
    expect(pull.out.stderr).toContain(`error: interrupted: ${20 - written.length} dashboards were not pulled`);
    expect(pull.out.stderr).toContain('hint: run dashsync pull again to finish');
    // Every file written is whole and recorded as synced.
    const state = readFileSync(join(dir, '.dashsync/state.json'), 'utf8');
    for (const name of written) {
      const id = /^id: (.+)$/m.exec(read(dir, `dashboards/p/${name}`))![1]!;
      expect(state).toContain(id);
      expect(read(dir, `dashboards/p/${name}`)).toMatch(/^definition:\n {2}i: \d+\n/m);
    }
    const again = await run(dir, ['pull'], s.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      `Pull complete: ${20 - written.length} new, 0 updated, 0 removed, ${written.length} unchanged.`,
    );
    expect(filesIn(dir, 'dashboards/p')).toHaveLength(20);
  });

  it('pull stopped by a failed call part way records and shows what it wrote before it tells the failure, exits 1', async () => {
    // The list and five gets pass; then the token is refused for good (401 is never retried).
    const s = await server({ misbehave: { unauthorizedAfter: 6 } });
    for (let i = 0; i < 20; i++) await s.store.save('user', 'p', { name: `D${i}`, definition: { i } });
    const dir = tree({});
    const r = await run(dir, ['pull', '--concurrency', '1'], s.env);
    expect(r.code).toBe(1);
    const written = filesIn(dir, 'dashboards/p');
    expect(written).toHaveLength(5);
    expect(r.stdout).toContain('Pull interrupted: 5 new, 0 updated, 0 removed, 0 unchanged; 15 left to pull.');
    expect(r.stderr).toMatch(/^error: GET \/dashboards\/p\/\S+ failed \(401\)/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Every file written is whole and recorded: the next plan knows them as synced, not as new.
    const state = readFileSync(join(dir, '.dashsync/state.json'), 'utf8');
    for (const name of written) {
      const id = /^id: (.+)$/m.exec(read(dir, `dashboards/p/${name}`))![1]!;
      expect(state).toContain(id);
    }
  });

  it('pull of a folder with --format json, on SIGTERM, prints the failure document, its summary on stderr, exits 130', async () => {
    const s = await server({ latencyMs: 150 });
    for (let i = 0; i < 20; i++) await s.store.save('user', 'p', { name: `D${i}`, definition: { i } });
    const dir = tree({});
    const pull = start(dir, ['pull', 'dashboards/p', '--format', 'json', '--concurrency', '2'], s.env);
    await until(() => filesIn(dir, 'dashboards/p').length > 0, 'pull to write a first file');
    pull.child.kill('SIGTERM');
    expect(await pull.exited).toBe(130);
    const written = filesIn(dir, 'dashboards/p');
    expect(written.length).toBeLessThan(20);
    const notPulled = 20 - written.length;
    // Human text goes to stderr under a format that owns stdout; stdout is one JSON document.
    expect(pull.out.stderr).toContain(
      `Pull interrupted: ${written.length} new, 0 updated, 0 removed, 0 unchanged; ${notPulled} left to pull.`,
    );
    const document = JSON.parse(pull.out.stdout) as { diagnostics: Array<{ severity: string; summary: string }> };
    expect(document).toMatchObject({ command: 'pull', failed: true, exitCode: 130 });
    expect(document.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        summary: 'interrupted: finishing the files in flight and recording them (Ctrl-C again to quit now)',
      }),
    );
    expect(document.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        summary: `interrupted: ${notPulled} dashboards were not pulled`,
        suggestion: 'run dashsync pull again to finish',
      }),
    );
    const state = readFileSync(join(dir, '.dashsync/state.json'), 'utf8');
    for (const name of written) expect(state).toContain(/^id: (.+)$/m.exec(read(dir, `dashboards/p/${name}`))![1]!);
  });

  it('apply, on SIGTERM, lets the saves in flight finish, writes their ids, says what was not done, exits 130', async () => {
    const s = await server({ latencyMs: 150 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`);
    const dir = tree(files);
    const apply = start(dir, ['apply', '--yes', '--concurrency', '2'], s.env);
    await until(() => apply.out.stdout.includes('ok  created'), 'apply to create a first dashboard');
    apply.child.kill('SIGTERM');
    expect(await apply.exited).toBe(130);
    expect(apply.out.stdout).toMatch(/Apply interrupted: \d+ created, 0 updated, 0 deleted, \d+ not started\./);
    const created = s.store.list('user', 'p');
    expect(created.length).toBeGreaterThan(0);
    expect(created.length).toBeLessThan(20);
    const withIds = Object.keys(files).filter((file) => read(dir, file).startsWith('id: '));
    expect(withIds).toHaveLength(created.length);
  });

  it('plan, on Ctrl-C while reading the workspace, stops at once with nothing changed, exit 130', async () => {
    const s = await server({ latencyMs: 300 });
    const dir = await syncedFolder(s);
    // Without the sync state every dashboard is fetched: plenty of time to interrupt.
    for (let i = 0; i < 30; i++) {
      const { id } = await s.store.save('user', 'p', { name: `E${i}`, definition: { i } });
      write(dir, `dashboards/p/e${i}.yaml`, dashboardYaml(`E${i}`, '', id));
    }
    rmSync(join(dir, '.dashsync'), { recursive: true, force: true });
    const plan = start(dir, ['plan', '--concurrency', '2', '--debug'], s.env);
    await until(
      () => plan.out.stderr.includes('-> GET') && plan.out.stderr.includes('/p/'),
      'plan to fetch a dashboard',
    );
    plan.child.kill('SIGINT');
    expect(await plan.exited).toBe(130);
    expect(plan.out.stderr).toContain('error: interrupted while reading the workspace: nothing was changed');
    expect(plan.out.stdout).not.toContain('Plan:');
  });
});

describe('a token refused part way', () => {
  it('stops apply at once: the saves not yet sent are not sent, and the summary says how many', async () => {
    let posts = 0;
    // The list and three saves pass; from the fourth save on, the token is refused.
    const s = await server({
      misbehave: { unauthorizedAfter: 4 },
      intercept: (method) => void (method === 'POST' && posts++),
    });
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`);
    const dir = tree(files);
    const r = await run(dir, ['apply', '--yes', '--concurrency', '1'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAILED  dashboards/p/d3.yaml: POST /dashboards/p/save failed (401): Token expired');
    expect(r.stderr).toContain(
      'warning: the token was refused (401): 6 changes were not sent; set a valid token and run again to send them',
    );
    expect(r.stdout).toContain('Apply finished with errors: 3 created, 0 updated, 0 deleted, 1 failed, 6 not started.');
    expect(posts).toBe(4);
    expect(s.store.list('user', 'p')).toHaveLength(3);
    expect(Object.keys(files).filter((file) => read(dir, file).startsWith('id: '))).toHaveLength(3);
  });

  it('says so in the diagnostics of apply --format json, with the counts in its summary', async () => {
    const s = await server({ misbehave: { unauthorizedAfter: 4 } });
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`);
    const dir = tree(files);
    const r = await run(dir, ['apply', '--yes', '--concurrency', '1', '--format', 'json'], s.env);
    expect(r.code).toBe(1);
    const document = JSON.parse(r.stdout) as { summary: object; diagnostics: object[] };
    expect(document.summary).toMatchObject({ created: 3, failed: 1, notStarted: 6 });
    expect(document.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        summary: 'the token was refused (401): 6 changes were not sent; set a valid token and run again to send them',
      }),
    );
    expect(document.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        summary: expect.stringContaining('dashboards/p/d3.yaml: POST /dashboards/p/save failed (401): Token expired'),
      }),
    );
  });
});
