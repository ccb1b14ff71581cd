import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, dashboardYaml, run, useEmulators, write } from '../helpers.js';

/*
 * examples/ci/github-rollback.yml, run as written: every `run:` line of its job, in order, with
 * bash, in a clone of a repository whose last commit was a bad deploy, against the emulator.
 * `npm ci` is played by linking dashsync in (as test/journeys/ci-examples.test.ts does).
 */

const server = useEmulators();
const TOKEN = 'production-token-0123456789';
const GIT = {
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT } }).trim();

// bash, asynchronously: the emulator answers in this process.
function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), CI: 'true', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, out }));
  });
}

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

describe('the rollback workflow example', () => {
  it('deploys the commit before a bad one, deleting what it added and undoing what it changed', async () => {
    const s = await server({ token: TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'dashsync-rollback-'));
    write(dir, 'dashsync.yaml', `environments:\n  production:\n    url: ${s.url}\n    token_env: PRODUCTION_TOKEN\n`);
    write(dir, 'dashboards/p/a.yaml', dashboardYaml('A'));
    git(dir, 'init', '-q', '-b', 'main');
    const env = { PRODUCTION_TOKEN: TOKEN };
    expect((await run(dir, ['apply', '--env', 'production', '--yes'], env)).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'A');
    // The bad merge: A broken, B added; deployed.
    write(
      dir,
      'dashboards/p/a.yaml',
      readFileSync(join(dir, 'dashboards/p/a.yaml'), 'utf8').replace('SELECT 1', 'SELECT broken'),
    );
    write(dir, 'dashboards/p/b.yaml', dashboardYaml('B'));
    expect((await run(dir, ['apply', '--env', 'production', '--yes'], env)).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'Break A, add B');
    expect(JSON.stringify(s.store.list('user'))).toContain('SELECT broken');

    const workflow = parse(readFileSync(join(ROOT, 'examples', 'ci', 'github-rollback.yml'), 'utf8')) as {
      on: { workflow_dispatch: { inputs: { ref: { default: string } } } };
      jobs: Record<string, { steps: Step[] }>;
    };
    const ref = workflow.on.workflow_dispatch.inputs.ref.default;
    expect(ref).toBe('HEAD~1');
    const job = mkdtempSync(join(tmpdir(), 'dashsync-rollback-job-'));
    git(tmpdir(), 'clone', '-q', dir, job);
    let ran = 0;
    for (const step of workflow.jobs.rollback!.steps) {
      if (step.run === 'npm ci') {
        mkdirSync(join(job, 'node_modules', '.bin'), { recursive: true });
        symlinkSync(ROOT, join(job, 'node_modules', 'dashsync'));
        symlinkSync('../dashsync/dist/cli.js', join(job, 'node_modules', '.bin', 'dashsync'));
        chmodSync(join(ROOT, 'dist', 'cli.js'), 0o755);
      } else if (step.run !== undefined) {
        const stepEnv = Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [
            k,
            v.replace(/\$\{\{\s*inputs\.ref\s*\}\}/, ref).replace(/\$\{\{\s*secrets\.[A-Z_]+\s*\}\}/, TOKEN),
          ]),
        );
        const r = await bash(step.run, job, stepEnv);
        expect(r.status, r.out).toBe(0);
        expect(r.out).toContain('Files of dashboards as of HEAD~1');
        ran++;
      } else expect(step.uses).toMatch(/^actions\/(checkout|setup-node)@/);
    }
    expect(ran).toBe(1);
    const names = s.store.list('user').map((d) => d.name);
    expect(names).toEqual(['A']);
    expect(JSON.stringify(s.store.list('user'))).not.toContain('SELECT broken');
    expect(git(job, 'status', '--porcelain', '--', 'dashboards')).toBe('');
  });
});
