import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startServer } from '../src/emulator/server.js';
import type { RunningServer } from '../src/emulator/server.js';
import { ROOT, dashboardYaml, read, write } from './helpers.js';
import { githubStandIn, gitlabStandIn } from './platform-stand-ins.js';
import type { StandIn } from './platform-stand-ins.js';

// The shipped CI examples, run as written: every `run:` / `script:` line of their plan and apply jobs,
// in order, with bash, in a sample dashboards repository against the emulator. Only the steps that
// install or move files are played by their local equivalents: `npm ci` (dashsync linked in as the
// dev dependency the README recommends), checkout (a fresh copy of the repository), the artifact
// steps (plan.json carried from the plan job to the apply job) and the cache steps (.dashsync kept
// under the key the example computes).

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const TOKEN = 'production-token-0123456789';

async function workspace(): Promise<RunningServer> {
  const s = await startServer({ token: TOKEN });
  servers.push(s);
  return s;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Team',
  GIT_AUTHOR_EMAIL: 'team@example.invalid',
  GIT_COMMITTER_NAME: 'Team',
  GIT_COMMITTER_EMAIL: 'team@example.invalid',
};
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

/**
 * The team's repository: a bare "origin" holding config naming the production workspace, and
 * dashboards. CI jobs clone it; the apply job pushes the ids of new dashboards back to it.
 */
function repository(url: string, files: Record<string, string>, config = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-repo-'));
  write(
    dir,
    'dashsync.yaml',
    `environments:\n  production:\n    url: ${url}\n    token_env: PRODUCTION_TOKEN\n${config}`,
  );
  write(
    dir,
    'package.json',
    JSON.stringify({ name: 'dashboards', private: true, devDependencies: { dashsync: `file:${ROOT}` } }),
  );
  write(dir, '.gitignore', 'node_modules/\n.dashsync/\nplan.json\nplan.md\n');
  for (const [p, text] of Object.entries(files)) write(dir, p, text);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'dashboards');
  const origin = `${dir}.git`;
  git(tmpdir(), 'clone', '-q', '--bare', dir, origin);
  return origin;
}

/** A change merged into main: made in a clone of origin by `edit`, committed and pushed. */
function merge(origin: string, edit: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-dev-'));
  git(tmpdir(), 'clone', '-q', origin, dir);
  edit(dir);
  git(dir, 'commit', '-q', '-am', 'an edit');
  git(dir, 'push', '-q', 'origin', 'HEAD:main');
}

/** What `npm ci` gives the repository: dashsync as an installed dev dependency. */
function npmCi(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  if (!existsSync(join(dir, 'node_modules', 'dashsync'))) symlinkSync(ROOT, join(dir, 'node_modules', 'dashsync'));
  if (!existsSync(join(dir, 'node_modules', '.bin', 'dashsync')))
    symlinkSync('../dashsync/dist/cli.js', join(dir, 'node_modules', '.bin', 'dashsync'));
  chmodSync(join(ROOT, 'dist', 'cli.js'), 0o755); // as npm does for every bin it links
}

/** A fresh checkout of the repository: a clone of origin's main, none of a previous job's state. */
function checkout(origin: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-job-'));
  git(tmpdir(), 'clone', '-q', origin, dir);
  return dir;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        CI: 'true',
        NO_COLOR: '1',
        npm_config_update_notifier: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** A CI system's cache: entries by key, restored by exact key or by the newest with a prefix. */
class Cache {
  private entries: Array<{ key: string; dir: string }> = [];
  restore(into: string, key: string, prefixes: string[]): string | undefined {
    const hit =
      this.entries.find((e) => e.key === key) ??
      [...this.entries].reverse().find((e) => prefixes.some((p) => e.key.startsWith(p)));
    if (hit) cpSync(hit.dir, join(into, '.dashsync'), { recursive: true });
    return hit?.key;
  }
  save(from: string, key: string, overwrite: boolean): void {
    if (!existsSync(join(from, '.dashsync'))) return;
    const existing = this.entries.findIndex((e) => e.key === key);
    if (existing >= 0 && !overwrite) return; // GitHub: a key, once saved, is never written again
    const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-cache-'));
    cpSync(join(from, '.dashsync'), dir, { recursive: true });
    if (existing >= 0) this.entries.splice(existing, 1);
    this.entries.push({ key, dir });
  }
}

const sha = (dir: string, file: string): string =>
  createHash('sha256')
    .update(readFileSync(join(dir, file)))
    .digest('hex');

interface GithubStep {
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

/** A pull request's run: the stand-in of GitHub's API its comment goes to, the token and the number. */
interface PullRequestRun {
  api: string;
  token: string;
  number: number;
}

/**
 * An `if:` of the example as the runner evaluates it, for the expressions the example uses:
 * `github.event_name == '...'` and `github.ref == '...'`, joined by `&&`, and `always()`.
 */
function holds(condition: string | undefined, context: { event: string; ref: string }): boolean {
  // always(): the step runs even after a failed one; the runs played here stop at the first failure.
  if (condition === undefined || condition === 'always()') return true;
  return condition.split('&&').every((part) => {
    const m = /^\s*github\.(event_name|ref)\s*==\s*'([^']*)'\s*$/.exec(part);
    if (!m) throw new Error(`an if: this test does not know how to evaluate: ${condition}`);
    return (m[1] === 'event_name' ? context.event : context.ref) === m[2];
  });
}

/**
 * Runs one GitHub Actions pipeline: a push to main (the plan job, then the apply job), or with
 * `pullRequest` a push to a pull request's branch, whose comment goes to the stand-in.
 */
async function runGithub(
  repo: string,
  cache: Cache,
  runId: number,
  pullRequest?: PullRequestRun,
  artifacts = new Map<string, string>(),
): Promise<Record<string, { code: number; out: string }>> {
  const workflow = parse(readFileSync(join(ROOT, 'examples', 'ci', 'github-actions.yml'), 'utf8')) as {
    jobs: Record<string, { steps: GithubStep[]; if?: string }>;
  };
  expect(Object.keys(workflow.jobs)).toEqual(['plan', 'apply']);
  const context = pullRequest
    ? { event: 'pull_request', ref: `refs/pull/${pullRequest.number}/merge` }
    : { event: 'push', ref: 'refs/heads/main' };
  const results: Record<string, { code: number; out: string }> = {};
  for (const [job, { steps, if: runsIf }] of Object.entries(workflow.jobs)) {
    if (!holds(runsIf, context)) continue;
    let dir = repo;
    let out = '';
    const saves: Array<{ key: string; hit: boolean }> = [];
    const expr = (text: string): string =>
      text
        .replaceAll(/\$\{\{\s*hashFiles\('([^']+)'\)\s*\}\}/g, (_m, f: string) => sha(dir, f))
        .replaceAll(/\$\{\{\s*github\.run_id\s*\}\}/g, String(runId))
        .replaceAll(/\$\{\{\s*github\.job\s*\}\}/g, job)
        .replaceAll(/\$\{\{\s*github\.ref_name\s*\}\}/g, 'main')
        .replaceAll(/\$\{\{\s*secrets\.GITHUB_TOKEN\s*\}\}/g, pullRequest?.token ?? 'no-github-token')
        .replaceAll(/\$\{\{\s*secrets\.[A-Z_]+\s*\}\}/g, TOKEN);
    for (const step of steps) {
      if (!holds(step.if, context)) continue;
      if (step.uses?.startsWith('actions/checkout@')) dir = checkout(repo);
      else if (step.uses?.startsWith('actions/setup-node@')) continue;
      else if (step.uses?.startsWith('actions/cache@') || step.uses?.startsWith('actions/cache/restore@')) {
        const key = expr(step.with!.key!);
        const hit = cache.restore(
          dir,
          key,
          expr(step.with!['restore-keys'] ?? '')
            .split('\n')
            .filter(Boolean),
        );
        if (step.uses.startsWith('actions/cache@')) saves.push({ key, hit: hit === key });
      } else if (step.uses?.startsWith('actions/cache/save@')) cache.save(dir, expr(step.with!.key!), false);
      else if (step.uses?.startsWith('actions/upload-artifact@')) {
        for (const path of step.with!.path!.split('\n').filter(Boolean))
          artifacts.set(`${step.with!.name!}/${path}`, read(dir, path));
      } else if (step.uses?.startsWith('actions/download-artifact@')) {
        for (const [key, text] of artifacts)
          if (key.startsWith(`${step.with!.name!}/`)) writeFileSync(join(dir, key.split('/').pop()!), text);
      } else if (step.run === 'npm ci') npmCi(dir);
      else if (step.run !== undefined) {
        const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(v)]));
        const event = join(dir, '.event.json');
        writeFileSync(event, JSON.stringify(pullRequest ? { pull_request: { number: pullRequest.number } } : {}));
        const r = await bash(expr(step.run), dir, {
          ...env,
          GITHUB_ACTIONS: 'true',
          GITHUB_STEP_SUMMARY: join(dir, '.summary.md'),
          GITHUB_EVENT_NAME: context.event,
          GITHUB_EVENT_PATH: event,
          GITHUB_REPOSITORY: 'acme/dashboards',
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_RUN_ID: String(runId),
          ...(pullRequest ? { GITHUB_API_URL: pullRequest.api } : {}),
        });
        out += r.out;
        if (r.code !== 0) {
          results[job] = { code: r.code, out };
          return results;
        }
      } else throw new Error(`${job}: a step this test does not know how to play: ${JSON.stringify(step)}`);
    }
    // Post-job: the cache is saved under its key unless that key was restored exactly.
    for (const s of saves) if (!s.hit) cache.save(dir, s.key, false);
    results[job] = { code: 0, out };
  }
  return results;
}

/** Runs one GitLab pipeline on the default branch: the plan job, then the (manual) apply job. */
/**
 * Runs one GitLab pipeline: on the default branch (the plan job, then the manual apply job), or with
 * `mergeRequest` a merge request's pipeline, whose note goes to the stand-in. A job runs when one of
 * its rules holds (the example's rules compare the pipeline's source and branch).
 */
async function runGitlab(
  repo: string,
  cache: Cache,
  mergeRequest?: PullRequestRun,
  artifacts = new Map<string, string>(),
): Promise<Record<string, { code: number; out: string }>> {
  const pipeline = parse(readFileSync(join(ROOT, 'examples', 'ci', 'gitlab-ci.yml'), 'utf8')) as Record<
    string,
    {
      script?: string[];
      before_script?: string[];
      rules?: Array<{ if: string }>;
      artifacts?: { paths: string[] };
      cache?: { key: { files: string[]; prefix: string }; paths: string[] };
    }
  >;
  const defaults = pipeline.default!;
  const jobs = Object.keys(pipeline).filter((k) => pipeline[k]!.script);
  expect(jobs).toEqual(['dashboards:plan', 'dashboards:apply']);
  const variables: Record<string, string> = mergeRequest
    ? {
        CI_PIPELINE_SOURCE: 'merge_request_event',
        CI_MERGE_REQUEST_IID: String(mergeRequest.number),
        CI_API_V4_URL: mergeRequest.api,
        CI_PROJECT_ID: '42',
        CI_JOB_URL: 'https://gitlab.example/acme/dashboards/-/jobs/7',
        GITLAB_TOKEN: mergeRequest.token,
      }
    : { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_API_V4_URL: 'https://gitlab.example/api/v4' };
  const ruleHolds = (rule: { if: string }): boolean => {
    const m = /^\$(\w+) == (?:"([^"]*)"|\$(\w+))$/.exec(rule.if);
    if (!m) throw new Error(`a rule this test does not know how to evaluate: ${rule.if}`);
    const right = m[2] ?? ({ CI_DEFAULT_BRANCH: 'main' } as Record<string, string>)[m[3]!];
    return variables[m[1]!] === right;
  };
  const results: Record<string, { code: number; out: string }> = {};
  for (const job of jobs) {
    const spec = pipeline[job]!;
    if (spec.rules && !spec.rules.some(ruleHolds)) continue;
    const dir = checkout(repo);
    for (const [p, text] of artifacts) writeFileSync(join(dir, p), text);
    const cacheSpec = spec.cache ?? defaults.cache!;
    const key = `${cacheSpec.key.prefix}-${cacheSpec.key.files.map((f) => sha(dir, f)).join('-')}`;
    cache.restore(dir, key, []);
    let out = '';
    let code = 0;
    for (const line of [...(spec.before_script ?? defaults.before_script ?? []), ...spec.script!]) {
      if (line === 'npm ci') {
        npmCi(dir);
        continue;
      }
      const r = await bash(line, dir, {
        PRODUCTION_TOKEN: TOKEN,
        GITLAB_CI: 'true',
        DASHSYNC_PUSH_URL: repo,
        ...variables,
      });
      out += r.out;
      if (r.code !== 0) {
        code = r.code;
        break;
      }
    }
    results[job.replace('dashboards:', '')] = { code, out };
    if (code !== 0) return results;
    cache.save(dir, key, true); // GitLab rewrites a cache key at the end of every job
    for (const p of spec.artifacts?.paths ?? []) if (existsSync(join(dir, p))) artifacts.set(p, read(dir, p));
  }
  return results;
}

/** The scenario both examples are run through: a first deploy, then an edit merged later. */
async function deployTwice(
  play: (repo: string, cache: Cache) => Promise<Record<string, { code: number; out: string }>>,
): Promise<void> {
  const s = await workspace();
  const existing = await s.store.save('user', 'sales', { name: 'Kept', definition: { widgets: [] } });
  const files: Record<string, string> = {
    'dashboards/sales/kept.yaml': `id: ${existing.id}\nname: Kept\ndefinition:\n  widgets: []\n`,
  };
  for (let i = 0; i < 30; i++) files[`dashboards/ops/board-${i}.yaml`] = dashboardYaml(`Board ${i}`);
  const repo = repository(s.url, files);
  const cache = new Cache();

  const first = await play(repo, cache);
  expect(first.plan?.code, first.plan?.out).toBe(0);
  expect(first.apply?.code, first.apply?.out).toBe(0);
  expect(first.apply!.out).toContain('Apply complete: 30 created, 0 updated, 0 deleted.');
  expect(s.store.count()).toBe(31);

  // The apply job committed the ids it wrote back into the new files.
  const merged = checkout(repo);
  for (let i = 0; i < 30; i++) expect(read(merged, `dashboards/ops/board-${i}.yaml`)).toMatch(/^id: \S+\nname: Board /);
  // Then two more merges, each editing one dashboard.
  for (const n of [7, 8]) {
    merge(repo, (dir) =>
      write(
        dir,
        `dashboards/ops/board-${n}.yaml`,
        read(dir, `dashboards/ops/board-${n}.yaml`).replace('SELECT 1', `SELECT ${n}`),
      ),
    );
    const gets = s.stats.get;
    const next = await play(repo, cache);
    expect(next.plan?.code, next.plan?.out).toBe(0);
    expect(next.apply?.code, next.apply?.out).toBe(0);
    expect(next.apply!.out).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
    expect(s.store.count()).toBe(31);
    expect(s.store.list('user', 'ops').find((d) => d.name === `Board ${n}`)!.definition).toMatchObject({
      widgets: [{ query: `SELECT ${n}` }],
    });
    // The first plan after a deploy fetches what that deploy saved once (apply records no updated_at
    // it has not proven); from then on the restored sync state spares the gets of every dashboard
    // unchanged on both sides, in both jobs.
    if (n === 8) expect(s.stats.get - gets).toBeLessThan(10);
  }
}

/**
 * The journey of a pull request through either example: the plan job of a first push posts the plan
 * as one comment (and keeps the drawn plan as an artifact), the next push updates that comment.
 */
async function reviewTwice(
  standIn: (options: { token: string }) => Promise<StandIn>,
  play: (
    repo: string,
    cache: Cache,
    run: PullRequestRun,
    artifacts: Map<string, string>,
  ) => Promise<Record<string, { code: number; out: string }>>,
): Promise<void> {
  const s = await workspace();
  const origin = repository(s.url, { 'dashboards/sales/revenue.yaml': dashboardYaml('Revenue') });
  const deploy = await runGithub(origin, new Cache(), 1);
  expect(deploy.apply?.code, deploy.apply?.out).toBe(0);
  const platform = await standIn({ token: 'platform-token-0123456789' });
  standIns.push(platform);
  const pr: PullRequestRun = { api: platform.url, token: 'platform-token-0123456789', number: 12 };
  const cache = new Cache();
  for (const [from, to] of [
    ['SELECT 1', 'SELECT 2'],
    ['SELECT 2', 'SELECT 3'],
  ]) {
    merge(origin, (dir) =>
      write(dir, 'dashboards/sales/revenue.yaml', read(dir, 'dashboards/sales/revenue.yaml').replace(from!, to!)),
    );
    const artifacts = new Map<string, string>();
    const r = await play(origin, cache, pr, artifacts);
    expect(Object.keys(r)).toEqual(['plan']);
    expect(r.plan!.code, r.plan!.out).toBe(0);
    const html = [...artifacts].find(([path]) => path.endsWith('plan.html'))?.[1];
    expect(html).toContain('<svg');
    expect(html).toContain('dashboards/sales/revenue.yaml');
  }
  const mine = (platform.threads.get(12) ?? []).filter((c) =>
    c.body.startsWith('<!-- dashsync plan: environment production;'),
  );
  expect(mine).toHaveLength(1);
  expect(mine[0]!.body).toContain('+      query: SELECT 3');
  expect(platform.received.filter((r) => r.method === 'POST')).toHaveLength(1);
  expect(platform.received.filter((r) => r.method === 'PATCH' || r.method === 'PUT')).toHaveLength(1);
  // Nothing reached the workspace from a pull request but reads.
  expect(s.stats.save).toBe(1);
}

const standIns: StandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

describe('the CI examples, run as written', () => {
  it('GitHub Actions on a pull request: the plan as one comment, updated on the next push, and drawn as an artifact', async () => {
    await reviewTwice(githubStandIn, (repo, cache, pr, artifacts) => runGithub(repo, cache, 7, pr, artifacts));
  }, 120_000);

  it('GitLab CI on a merge request: the plan as one note, updated on the next push, and drawn as an artifact', async () => {
    await reviewTwice(gitlabStandIn, (repo, cache, mr, artifacts) => runGitlab(repo, cache, mr, artifacts));
  }, 120_000);

  it('GitHub Actions: plan on the pull request, apply the saved plan on merge, with the sync state cached', async () => {
    let run = 0;
    await deployTwice((repo, cache) => runGithub(repo, cache, ++run));
  }, 120_000);

  it('GitLab CI: the same journey with its cache, artifacts and manual apply', async () => {
    await deployTwice((repo, cache) => runGitlab(repo, cache));
  }, 120_000);

  it('GitHub Actions on a workspace that picks its own ids: the ids file is committed, so no run links again or duplicates', async () => {
    const s = await startServer({ token: TOKEN, clientIds: 'ignore' });
    servers.push(s);
    const files: Record<string, string> = {};
    // Files that already hold ids (pulled from staging): this workspace gives the copies its own.
    for (let i = 0; i < 4; i++)
      files[`dashboards/ops/board-${i}.yaml`] = dashboardYaml(
        `Board ${i}`,
        '',
        `0000000${i}-aaaa-4bbb-8ccc-000000000000`,
      );
    const repo = repository(s.url, files);
    const cache = new Cache();
    const first = await runGithub(repo, cache, 1);
    expect(first.apply?.code, first.apply?.out).toBe(0);
    expect(read(checkout(repo), 'dashsync.ids.yaml')).toContain('production:');
    const second = await runGithub(repo, cache, 2);
    expect(second.plan!.out).toContain('No changes.');
    // A rename in the UI is an update of the same dashboard, never a second one.
    const board = s.store.list('user', 'ops').find((d) => d.name === 'Board 2')!;
    await s.store.save('user', 'ops', {
      id: board.id,
      name: 'Board 2 (renamed in the UI)',
      definition: board.definition,
    });
    const third = await runGithub(repo, cache, 3);
    expect(third.apply?.code, third.apply?.out).toBe(0);
    expect(s.store.count()).toBe(4);
    expect(
      s.store
        .list('user', 'ops')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['Board 0', 'Board 1', 'Board 2', 'Board 3']);
  }, 120_000);

  it('apply of a saved plan refuses, changing nothing, when told to run against another workspace', async () => {
    const s = await workspace();
    const other = await workspace();
    const origin = repository(
      s.url,
      { 'dashboards/p/a.yaml': dashboardYaml('A') },
      `  staging:\n    url: ${other.url}\n    token_env: STAGING_TOKEN\n`,
    );
    const repo = checkout(origin);
    npmCi(repo);
    const env = { PRODUCTION_TOKEN: TOKEN, STAGING_TOKEN: TOKEN };
    const planned = await bash('npx dashsync plan --env production --out plan.json', repo, env);
    expect(planned.code, planned.out).toBe(0);
    const elsewhere = await bash('npx dashsync apply plan.json --env staging', repo, env);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.out).toContain('plan.json was made for');
    expect(elsewhere.out).toContain('environment production');
    const byUrl = await bash(`npx dashsync apply plan.json --url ${other.url}`, repo, env);
    expect(byUrl.code).toBe(1);
    expect(byUrl.out).toContain('the plan was made for');
    expect(s.store.count() + other.store.count()).toBe(0);
    expect(s.stats.save + other.stats.save).toBe(0);
    const right = await bash('npx dashsync apply plan.json', repo, { ...env, DASHSYNC_URL: other.url });
    expect(right.code, right.out).toBe(0);
    expect(s.store.count()).toBe(1);
    expect(other.store.count()).toBe(0);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);
});
