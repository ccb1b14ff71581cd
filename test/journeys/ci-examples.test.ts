import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer, ServerOptions } from '../../src/emulator/server.js';
import { githubFlow, gitlabFlow } from '../ci/flows.js';
import type { Flow } from '../ci/flows.js';
import { TOKEN, bash, checkout, npmCi, repository } from '../ci/repo.js';
import { dashboardYaml, read, run, write } from '../helpers.js';

// The shipped CI examples, run as written: every `run:` / `script:` line of their jobs, in order,
// with bash, in clones of a sample dashboards repository, against the emulator. The steps that
// install or move files are played by their local equivalents (test/ci/), and GitHub's and GitLab's
// APIs by stand-ins on 127.0.0.1 (a fake `gh` for GitHub): pull and merge requests, runs,
// pipelines, artifacts and issues.

const servers: RunningServer[] = [];
const flows: Flow[] = [];
afterEach(async () => {
  await Promise.all(flows.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function workspace(options: ServerOptions = {}): Promise<RunningServer> {
  const s = await startServer({ token: TOKEN, ...options });
  servers.push(s);
  return s;
}

const SYSTEMS = [
  ['GitHub Actions', githubFlow],
  ['GitLab CI', gitlabFlow],
] as const;

async function flowOn(make: (origin: string) => Promise<Flow>, origin: string): Promise<Flow> {
  const flow = await make(origin);
  flows.push(flow);
  return flow;
}

const replaceIn = (dir: string, path: string, from: string, to: string): void =>
  write(dir, path, read(dir, path).replace(from, to));

/** A person brings a workspace change into their branch: `dashsync pull` of the file (their clone never synced it: --force). */
const pullInto = async (dir: string, path: string): Promise<void> => {
  const pulled = await run(dir, ['pull', '--env', 'production', '--force', path], { PRODUCTION_TOKEN: TOKEN });
  if (pulled.code !== 0) throw new Error(`dashsync pull ${path} failed: ${pulled.stdout}${pulled.stderr}`);
};

const boardOf = (s: RunningServer, name: string, project = 'ops') =>
  s.store.list('user', project).find((d) => d.name === name)!;

describe.each(SYSTEMS)('the CI examples, run as written: %s', (_name, make) => {
  it('plans each pull request, applies its reviewed plan on merge, and keeps the sync state between runs', async () => {
    const s = await workspace();
    const existing = await s.store.save('user', 'sales', { name: 'Kept', definition: { widgets: [] } });
    const origin = repository(s.url, {
      'dashboards/sales/kept.yaml': `id: ${existing.id}\nname: Kept\ndefinition:\n  widgets: []\n`,
    });
    const flow = await flowOn(make, origin);

    const plan = await flow.propose('boards', (dir) => {
      for (let i = 0; i < 30; i++) write(dir, `dashboards/ops/board-${i}.yaml`, dashboardYaml(`Board ${i}`));
    });
    expect(plan.code, plan.out).toBe(0);
    const first = await flow.merge('boards');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('Apply complete: 30 created, 0 updated, 0 deleted.');
    expect(s.store.count()).toBe(31);

    // The apply job committed the ids it wrote back into the new files.
    const merged = checkout(origin);
    for (let i = 0; i < 30; i++)
      expect(read(merged, `dashboards/ops/board-${i}.yaml`)).toMatch(/^id: \S+\nname: Board /);
    // Then two more merges, each editing one dashboard.
    for (const n of [7, 8]) {
      const gets = s.stats.get;
      const next = await flow.propose(`edit-${n}`, (dir) =>
        replaceIn(dir, `dashboards/ops/board-${n}.yaml`, 'SELECT 1', `SELECT ${n}`),
      );
      expect(next.code, next.out).toBe(0);
      const applied = await flow.merge(`edit-${n}`);
      expect(applied.code, applied.out).toBe(0);
      expect(applied.out).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
      expect(s.store.count()).toBe(31);
      expect(boardOf(s, `Board ${n}`).definition).toMatchObject({ widgets: [{ query: `SELECT ${n}` }] });
      // The first plan after a deploy fetches what that deploy saved once (apply records no updated_at
      // it has not proven); from then on the sync state the deploy left spares the gets of every
      // dashboard unchanged on both sides, in both jobs.
      if (n === 8) expect(s.stats.get - gets).toBeLessThan(10);
    }
  }, 180_000);

  it('never applies what was not reviewed: a UI fix made after the review stops the merge, named, with how to bring it in', async () => {
    const s = await workspace();
    const origin = repository(s.url, {});
    const flow = await flowOn(make, origin);
    await flow.propose('start', (dir) => {
      for (const name of ['A', 'B']) write(dir, `dashboards/ops/${name.toLowerCase()}.yaml`, dashboardYaml(name));
    });
    expect((await flow.merge('start')).code).toBe(0);

    // The pull request changes one dashboard; its plan, which reviewers see, shows only that.
    const plan = await flow.propose('edit-a', (dir) => replaceIn(dir, 'dashboards/ops/a.yaml', 'SELECT 1', 'SELECT 2'));
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('~ dashboards/ops/a.yaml');
    expect(plan.out).not.toContain('b.yaml');
    // Before the merge, someone fixes the other one in the UI.
    const b = boardOf(s, 'B');
    await s.store.save('user', 'ops', { id: b.id, name: 'B', definition: { title: 'B', fixed: 'in the UI' } });
    const saves = s.stats.save;
    const apply = await flow.merge('edit-a');
    expect(apply.code).not.toBe(0);
    expect(apply.out).toContain(
      'drift: 1 dashboard was changed in the workspace since the last sync, not in git (--drift fail): nothing was applied',
    );
    expect(apply.out).toContain('< dashboards/ops/b.yaml  "B": changed in the workspace');
    expect(apply.out).toContain('bring the drift into git: dashsync pull dashboards/ops/b.yaml; commit, and review it');
    expect(s.stats.save).toBe(saves);
    expect(boardOf(s, 'B').definition).toEqual({ title: 'B', fixed: 'in the UI' });
    expect(boardOf(s, 'A').definition).toMatchObject({ widgets: [{ query: 'SELECT 1' }] });

    // The fix is brought into git, reviewed and merged: both changes are deployed, nothing reverted.
    const bringIn = await flow.propose('bring-in-b', (dir) => pullInto(dir, 'dashboards/ops/b.yaml'));
    expect(bringIn.code, bringIn.out).toBe(0);
    expect(bringIn.out).toContain('~ dashboards/ops/a.yaml');
    expect((await flow.merge('bring-in-b')).code).toBe(0);
    expect(boardOf(s, 'B').definition).toEqual({ title: 'B', fixed: 'in the UI' });
    expect(boardOf(s, 'A').definition).toMatchObject({ widgets: [{ query: 'SELECT 2' }] });
  }, 180_000);

  it('refuses a plan that is stale at the merge, or a head whose plan never ran, and says why', async () => {
    const s = await workspace();
    const origin = repository(s.url, {});
    const flow = await flowOn(make, origin);
    await flow.propose('start', (dir) => write(dir, 'dashboards/ops/a.yaml', dashboardYaml('A')));
    expect((await flow.merge('start')).code).toBe(0);
    // Two pull requests edit one file in different lines; the second is merged and deployed first.
    expect(
      (await flow.propose('query', (dir) => replaceIn(dir, 'dashboards/ops/a.yaml', 'SELECT 1', 'SELECT 2'))).code,
    ).toBe(0);
    expect(
      (await flow.propose('title', (dir) => replaceIn(dir, 'dashboards/ops/a.yaml', 'title: A', 'title: A2'))).code,
    ).toBe(0);
    expect((await flow.merge('title')).code).toBe(0);
    const stale = await flow.merge('query');
    expect(stale.code).not.toBe(0);
    expect(stale.out).toContain(
      'stale plan: plan.json no longer matches the files and the workspace; nothing was applied',
    );
    expect(stale.out).toContain('~ dashboards/ops/a.yaml: the file changed since the plan was made');
    expect(boardOf(s, 'A').definition).toMatchObject({ title: 'A2', widgets: [{ query: 'SELECT 1' }] });
    // A commit pushed after the plan ran: nothing reviewed it.
    expect(
      (await flow.propose('late', (dir) => replaceIn(dir, 'dashboards/ops/a.yaml', 'title: A2', 'title: A3'))).code,
    ).toBe(0);
    flow.amend('late', (dir) => replaceIn(dir, 'dashboards/ops/a.yaml', 'title: A3', 'title: A4'));
    const unreviewed = await flow.merge('late');
    expect(unreviewed.code).not.toBe(0);
    expect(unreviewed.out).toMatch(/has no successful plan for its head [0-9a-f]{40} .*nothing applied/);
    expect(boardOf(s, 'A').definition).toMatchObject({ title: 'A2', widgets: [{ query: 'SELECT 1' }] });
  }, 180_000);

  it('the scheduled drift check opens one issue while drift exists, updates it, and closes it once it is pulled and merged', async () => {
    const s = await workspace();
    const origin = repository(s.url, {});
    const flow = await flowOn(make, origin);
    await flow.propose('start', (dir) => {
      for (const name of ['A', 'B']) write(dir, `dashboards/ops/${name.toLowerCase()}.yaml`, dashboardYaml(name));
    });
    expect((await flow.merge('start')).code).toBe(0);
    const quiet = await flow.driftCheck();
    expect(quiet.code, quiet.out).toBe(0);
    expect(flow.driftIssues()).toEqual({ open: [], closed: 0 });

    const b = boardOf(s, 'B');
    await s.store.save('user', 'ops', { id: b.id, name: 'B', definition: { title: 'B', fixed: 'in the UI' } });
    const appears = await flow.driftCheck();
    expect(appears.code, appears.out).toBe(0);
    const [issue] = flow.driftIssues().open;
    expect(flow.driftIssues().open).toHaveLength(1);
    expect(issue!.title).toBe('Drift: 1 dashboard changed in the production workspace, not in git');
    expect(issue!.body).toContain('<code>dashboards/ops/b.yaml</code>');
    expect(issue!.body).not.toContain('a.yaml');

    const a = boardOf(s, 'A');
    await s.store.save('user', 'ops', { id: a.id, name: 'A', definition: { title: 'A', fixed: 'too' } });
    const persists = await flow.driftCheck();
    expect(persists.code, persists.out).toBe(0);
    expect(flow.driftIssues().open).toEqual([
      {
        ...issue,
        title: 'Drift: 2 dashboards changed in the production workspace, not in git',
        body: expect.stringContaining('<code>dashboards/ops/a.yaml</code>'),
      },
    ]);
    expect(flow.driftIssues().open[0]!.body).toContain('<code>dashboards/ops/b.yaml</code>');

    const bringIn = await flow.propose('bring-in', async (dir) => {
      await pullInto(dir, 'dashboards/ops/a.yaml');
      await pullInto(dir, 'dashboards/ops/b.yaml');
    });
    expect(bringIn.code, bringIn.out).toBe(0);
    expect((await flow.merge('bring-in')).code).toBe(0);
    const gone = await flow.driftCheck();
    expect(gone.code, gone.out).toBe(0);
    expect(flow.driftIssues()).toEqual({ open: [], closed: 1 });
    expect(boardOf(s, 'B').definition).toEqual({ title: 'B', fixed: 'in the UI' });
  }, 180_000);

  it('posts the plan as one comment on the pull request, updates it on the next push, keeps it drawn as an artifact, and stops on drift in the log', async () => {
    const s = await workspace();
    const origin = repository(s.url, {});
    const flow = await flowOn(make, origin);
    await flow.propose('start', (dir) => {
      for (const name of ['Revenue', 'Costs'])
        write(dir, `dashboards/sales/${name.toLowerCase()}.yaml`, dashboardYaml(name));
    });
    expect((await flow.merge('start')).code).toBe(0);
    const saves = s.stats.save;
    const revenue = 'dashboards/sales/revenue.yaml';
    const first = await flow.propose('revenue', (dir) => replaceIn(dir, revenue, 'SELECT 1', 'SELECT 2'));
    expect(first.code, first.out).toBe(0);
    for (const pushed of [
      first,
      await flow.update('revenue', (dir) => replaceIn(dir, revenue, 'SELECT 2', 'SELECT 3')),
    ]) {
      expect(pushed.code, pushed.out).toBe(0);
      const html = flow.artifact('revenue', 'plan.html');
      expect(html).toContain('<svg');
      expect(html).toContain(revenue);
    }
    const comments = flow.comments('revenue');
    const mine = comments.bodies.filter((body) => body.startsWith('<!-- dashsync plan: environment production;'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain('+      query: SELECT 3');
    expect(comments.posts).toBe(1);
    expect(comments.edits).toBe(1);
    // Nothing reached the workspace from a pull request but reads.
    expect(s.stats.save).toBe(saves);

    // A change made in the UI meanwhile: the next push's plan (--drift fail, its page in plan.html)
    // stops, and the job's log names the drift and how to bring it in; the comment is left as it was.
    const costs = boardOf(s, 'Costs', 'sales');
    await s.store.save('user', 'sales', {
      id: costs.id,
      name: 'Costs',
      definition: { title: 'Costs', fixed: 'in the UI' },
    });
    const stopped = await flow.update('revenue', (dir) => replaceIn(dir, revenue, 'SELECT 3', 'SELECT 4'));
    expect(stopped.code).not.toBe(0);
    expect(stopped.out).toContain(
      'drift: 1 dashboard was changed in the workspace since the last sync, not in git (--drift fail): apply would refuse this plan',
    );
    expect(stopped.out).toContain('< dashboards/sales/costs.yaml  "Costs": changed in the workspace');
    expect(stopped.out).toContain('bring the drift into git: dashsync pull dashboards/sales/costs.yaml; commit');
    expect(flow.comments('revenue')).toMatchObject({ posts: 1, edits: 1 });
    expect(flow.comments('revenue').bodies.join('')).not.toContain('SELECT 4');
  }, 180_000);
});

describe('the CI examples, on a workspace that picks its own ids', () => {
  it('GitHub Actions: the ids file is committed, so no run links again or duplicates, and a UI rename is drift', async () => {
    const s = await workspace({ clientIds: 'ignore' });
    const origin = repository(s.url, {});
    const flow = await flowOn(githubFlow, origin);
    // Files that already hold ids (pulled from staging): this workspace gives the copies its own.
    const first = await flow.propose('from-staging', (dir) => {
      for (let i = 0; i < 4; i++)
        write(
          dir,
          `dashboards/ops/board-${i}.yaml`,
          dashboardYaml(`Board ${i}`, '', `0000000${i}-aaaa-4bbb-8ccc-000000000000`),
        );
    });
    expect(first.code, first.out).toBe(0);
    const applied = await flow.merge('from-staging');
    expect(applied.code, applied.out).toBe(0);
    expect(read(checkout(origin), 'dashsync.ids.yaml')).toContain('production:');
    const second = await flow.propose('nothing', () => undefined);
    expect(second.out).toContain('No changes.');
    expect((await flow.merge('nothing')).code).toBe(0);
    const ids = s.store
      .list('user', 'ops')
      .map((d) => d.id)
      .sort();
    // A rename in the UI is the same dashboard changed there: drift, never a second one.
    const board = boardOf(s, 'Board 2');
    await s.store.save('user', 'ops', {
      id: board.id,
      name: 'Board 2 (renamed in the UI)',
      definition: board.definition,
    });
    const third = await flow.propose('after-rename', () => undefined);
    expect(third.code).not.toBe(0);
    expect(third.out).toContain('< dashboards/ops/board-2.yaml  "Board 2": changed in the workspace');
    const fourth = await flow.propose('bring-in-rename', (dir) => pullInto(dir, 'dashboards/ops/board-2.yaml'));
    expect(fourth.code, fourth.out).toBe(0);
    expect((await flow.merge('bring-in-rename')).code).toBe(0);
    expect(s.store.count()).toBe(4);
    expect(
      s.store
        .list('user', 'ops')
        .map((d) => d.id)
        .sort(),
    ).toEqual(ids);
    expect(read(checkout(origin), 'dashboards/ops/board-2.yaml')).toContain('name: Board 2 (renamed in the UI)');
  }, 180_000);

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
