import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardYaml, read, run, tree, useEmulators, write } from '../helpers.js';
import { githubStandIn, gitlabStandIn } from '../platform-stand-ins.js';
import type { StandIn, StandInOptions } from '../platform-stand-ins.js';

/*
 * `dashsync comment` against local stand-ins of GitHub's and GitLab's comment APIs (127.0.0.1): one
 * comment per pull request and environment, created then updated in place, found across pages; the
 * CI's token sent only to the CI's API and shown nowhere; a read-only token explained; a plan too
 * long for a comment cut with a pointer to the whole plan.
 */

const server = useEmulators();
const standIns: StandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});
const github = async (options: StandInOptions): Promise<StandIn> => {
  const s = await githubStandIn(options);
  standIns.push(s);
  return s;
};
const gitlab = async (options: StandInOptions): Promise<StandIn> => {
  const s = await gitlabStandIn(options);
  standIns.push(s);
  return s;
};

const GH_TOKEN = 'ghs_standin_token_0123456789abcdef';
const GL_TOKEN = 'glpat-standin-token-0123456789';

/** The variables of a GitHub Actions job on pull request 7 of acme/dashboards, pointed at the stand-in. */
function githubJob(dir: string, api: string, number = 7): Record<string, string> {
  const event = join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'synchronize', number, pull_request: { number } }));
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/dashboards',
    GITHUB_API_URL: api,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_TOKEN: GH_TOKEN,
  };
}

const edit = (dir: string, from: string, to: string): void =>
  write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace(from, to));
const ours = (s: StandIn, n: number) => (s.threads.get(n) ?? []).filter((c) => c.body.includes('dashsync plan:'));

describe('dashsync comment on GitHub', () => {
  it('posts the plan as one comment, then updates that same comment, found on the second page of 130', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const others = Array.from({ length: 130 }, (_, i) => `a review comment ${i}`);
    const gh = await github({ token: GH_TOKEN, seed: { 7: others } });
    const job = { ...s.env, ...githubJob(dir, gh.url) };

    edit(dir, 'SELECT 1', 'SELECT 2');
    const first = await run(dir, ['comment', '--debug'], job);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^Comment posted on pull request #7 of acme\/dashboards: https:\/\/github\.com\/acme\/dashboards\/pull\/7#issuecomment-\d+\.$/m,
    );
    expect(ours(gh, 7)).toHaveLength(1);
    const posted = ours(gh, 7)[0]!;
    expect(posted.body.split('\n')[0]).toBe('<!-- dashsync plan: environment default; folder dashboards -->');
    expect(posted.body).toContain('#### <code>~</code> `dashboards/p/a.yaml` "A"');
    expect(posted.body).toContain('+      query: SELECT 2');

    edit(dir, 'SELECT 2', 'SELECT 3');
    const second = await run(dir, ['comment'], job);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Comment updated on pull request #7 of acme/dashboards');
    expect(ours(gh, 7)).toHaveLength(1);
    expect(ours(gh, 7)[0]!.id).toBe(posted.id);
    expect(ours(gh, 7)[0]!.body).toContain('+      query: SELECT 3');
    expect(gh.threads.get(7)).toHaveLength(131);
    // The comment was found by reading the pages (100, then 31), and patched in place.
    const calls = gh.received.slice(-3).map((r) => `${r.method} ${r.url}`);
    expect(calls).toEqual([
      'GET /repos/acme/dashboards/issues/7/comments?per_page=100',
      'GET /repos/acme/dashboards/issues/7/comments?per_page=100&page=2',
      `PATCH /repos/acme/dashboards/issues/comments/${posted.id}`,
    ]);

    const third = await run(dir, ['comment'], job);
    expect(third.stdout).toContain('Comment unchanged on pull request #7');
    // The CI's token went to the CI's API with every call, and nowhere was it shown.
    expect(gh.received.every((r) => r.auth === `Bearer ${GH_TOKEN}`)).toBe(true);
    for (const r of [first, second, third]) expect(r.stdout + r.stderr).not.toContain(GH_TOKEN);
    expect(first.stderr).toContain('debug: GET http://127.0.0.1:');
  });

  it('keeps one comment per environment: two environments, two comments', async () => {
    const s = await server();
    const dir = tree({
      'dashsync.yaml': `environments:\n  staging:\n    url: ${s.url}\n  production:\n    url: ${s.url}\n    scope: organization\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const gh = await github({ token: GH_TOKEN });
    const job = { DASHSYNC_TOKEN: s.env.DASHSYNC_TOKEN!, ...githubJob(dir, gh.url) };
    for (const env of ['staging', 'production', 'staging']) {
      const r = await run(dir, ['comment', '--env', env], job);
      expect(r.code, r.stderr).toBe(0);
    }
    const bodies = ours(gh, 7).map((c) => c.body.split('\n')[0]);
    expect(bodies).toEqual([
      '<!-- dashsync plan: environment staging; folder dashboards -->',
      '<!-- dashsync plan: environment production; folder dashboards -->',
    ]);
  });

  it("explains a 403 from a fork's read-only token, and posts nothing", async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const gh = await github({ token: 'other', readOnlyToken: GH_TOKEN });
    const r = await run(dir, ['comment'], { ...s.env, ...githubJob(dir, gh.url) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: POST http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/dashboards\/issues\/7\/comments failed \(403\): Resource not accessible by integration$/m,
    );
    expect(r.stderr).toContain('a pull request from a fork gets a read-only GITHUB_TOKEN');
    expect(r.stderr).toContain('permissions: pull-requests: write');
    expect(r.stderr).not.toContain('    at ');
    expect(r.stdout + r.stderr).not.toContain(GH_TOKEN);
    expect(gh.threads.get(7) ?? []).toEqual([]);
  });

  it('posts nothing, and asks the workspace nothing, on a run that is not about a pull request', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const gh = await github({ token: GH_TOKEN });
    const push = join(dir, 'push.json');
    writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main' }));
    const job = { ...s.env, ...githubJob(dir, gh.url), GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: push };
    const r = await run(dir, ['comment'], job);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Nothing posted: this run is not about a pull request (event push).\n');
    expect(gh.received).toEqual([]);
    expect(s.stats.list).toBe(0);
  });

  it("cuts a plan too long for a GitHub comment to every dashboard's words, saying what is left out and where the whole plan is", async () => {
    const s = await server();
    const files: Record<string, string> = {};
    const long = Array.from(
      { length: 60 },
      (_, k) =>
        `\n    - type: table\n      title: Table ${k}\n      query: SELECT ${k} FROM a_rather_long_table_name_${k}`,
    ).join('');
    for (let i = 0; i < 150; i++)
      files[`dashboards/p/board-${i}.yaml`] = `name: Board ${i}\ndefinition:\n  widgets:${long}\n`;
    const dir = tree(files);
    const gh = await github({ token: GH_TOKEN });
    const r = await run(dir, ['comment'], { ...s.env, ...githubJob(dir, gh.url) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The plan was cut to fit');
    const body = ours(gh, 7)[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(50_000);
    expect(body).toMatch(
      /\*\*The plan is cut here: the diagrams and YAML of 149 of 150 left out\*\* \(a GitHub comment holds at most 65,536 characters\)\. The whole plan: <https:\/\/github\.com\/acme\/dashboards\/actions\/runs\/4242>/,
    );
    // Every dashboard in words; the first in full, with its YAML, as room allows.
    expect(body).toContain(
      '<details><summary><code>+</code> <code>dashboards/p/board-0.yaml</code> "Board 0"</summary>',
    );
    expect(body).toContain('#### <code>+</code> `dashboards/p/board-149.yaml` "Board 149"');
    expect(body).toContain('- and 53 more');
  });

  it('refuses --api-url without --token-env: the CI token goes only to the CI API', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const gh = await github({ token: GH_TOKEN });
    const r = await run(dir, ['comment', '--api-url', gh.url], githubJob(dir, 'https://api.github.com'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: --api-url needs --token-env: the CI token is sent only to the CI's own API URL");
    expect(gh.received).toEqual([]);
  });

  it('posts a saved plan, and refuses one that is stale', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const gh = await github({ token: GH_TOKEN });
    const job = { ...s.env, ...githubJob(dir, gh.url) };
    expect((await run(dir, ['plan', '--out', 'plan.json'], s.env)).code).toBe(0);
    const posted = await run(dir, ['comment', 'plan.json'], job);
    expect(posted.code, posted.stderr).toBe(0);
    expect(ours(gh, 7)[0]!.body).toContain('`dashboards/p/a.yaml` "A"');
    edit(dir, 'SELECT 1', 'SELECT 9');
    const stale = await run(dir, ['comment', 'plan.json'], job);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      'error: stale plan: plan.json no longer matches the files and the workspace; nothing was posted',
    );
    expect(ours(gh, 7)[0]!.body).not.toContain('SELECT 9');
  });
});

describe('dashsync comment on GitLab', () => {
  it('posts one merge-request note and updates it, reading the notes page by page and skipping system notes', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const seed = Array.from({ length: 105 }, (_, i) => ({
      id: 10 + i,
      body: `dashsync plan: mentioned by a person ${i}`,
      system: i % 2 === 0,
    }));
    const gl = await gitlab({ token: GL_TOKEN, seed: { 3: seed } });
    const job = {
      ...s.env,
      GITLAB_CI: 'true',
      CI_API_V4_URL: gl.url,
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '3',
      CI_JOB_URL: 'https://gitlab.example/acme/dashboards/-/jobs/99',
      GITLAB_TOKEN: GL_TOKEN,
      CI_JOB_TOKEN: 'job-token-never-sent',
    };
    edit(dir, 'SELECT 1', 'SELECT 2');
    const first = await run(dir, ['comment'], job);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('Comment posted on merge request !3 of 42.\n');
    const mine = (gl.threads.get(3) ?? []).filter((n) => n.body.startsWith('<!-- dashsync plan:'));
    expect(mine).toHaveLength(1);
    edit(dir, 'SELECT 2', 'SELECT 3');
    const second = await run(dir, ['comment'], job);
    expect(second.stdout).toBe('Comment updated on merge request !3 of 42.\n');
    const after = (gl.threads.get(3) ?? []).filter((n) => n.body.startsWith('<!-- dashsync plan:'));
    expect(after.map((n) => n.id)).toEqual([mine[0]!.id]);
    expect(after[0]!.body).toContain('+      query: SELECT 3');
    const calls = gl.received.slice(-3).map((r) => `${r.method} ${r.url.replace(/\?.*page=(\d+).*/, '?page=$1')}`);
    expect(calls).toEqual([
      'GET /api/v4/projects/42/merge_requests/3/notes?page=1',
      'GET /api/v4/projects/42/merge_requests/3/notes?page=2',
      `PUT /api/v4/projects/42/merge_requests/3/notes/${mine[0]!.id}`,
    ]);
    expect(gl.received.every((r) => r.auth === GL_TOKEN)).toBe(true);
    for (const r of [first, second]) expect(r.stdout + r.stderr).not.toContain(GL_TOKEN);
  });

  it('says CI_JOB_TOKEN cannot post notes when GITLAB_TOKEN is missing', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['comment'], {
      GITLAB_CI: 'true',
      CI_API_V4_URL: 'http://127.0.0.1:9/api/v4',
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '3',
      CI_JOB_TOKEN: 'job-token',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: no GitLab token: GITLAB_TOKEN is not set (CI_JOB_TOKEN cannot post merge-request notes)',
    );
    expect(r.stderr).toContain(
      'hint: set GITLAB_TOKEN as a masked CI/CD variable: a project access token with the api scope',
    );
  });
});
