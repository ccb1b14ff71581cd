import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { githubFlow } from '../ci/flows.js';
import type { Flow } from '../ci/flows.js';
import { TOKEN, checkout, git, repository } from '../ci/repo.js';
import { read, run, write } from '../helpers.js';

// Issue 21's resolve-level check, as a new team would go through it: two people (two clones of one
// repository), one UI editor (calls to the API, as the UI makes them), staging and production (two
// emulators), production deployed by the CI example from reviewed plans, and the scheduled drift
// check. Nothing is lost, nothing reverted unseen, and every stop says why and what to do.

const STAGING_TOKEN = 'staging-token-0123456789';
const servers: RunningServer[] = [];
const flows: Flow[] = [];
afterEach(async () => {
  await Promise.all(flows.splice(0).map((flow) => flow.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The UI editor: saves and reads dashboards through the API, as the UI does. */
function uiEditor(server: RunningServer, token: string) {
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const body = (await res.json()) as { data: Record<string, unknown> };
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  return {
    save: (project: string, dashboard: { id?: string; name: string; definition: Record<string, unknown> }) =>
      call(`/dashboards/${project}/save`, { method: 'POST', body: JSON.stringify({ scope: 'user', dashboard }) }),
    get: async (project: string, name: string) => {
      const listed = (await call(`/dashboards/${project}/list?scope=user`)) as unknown as Array<{
        id: string;
        name: string;
      }>;
      const id = listed.find((d) => d.name === name)!.id;
      return (await call(`/dashboards/${project}/${id}?scope=user`)) as {
        id: string;
        definition: Record<string, unknown>;
      };
    },
  };
}

/** A person: a clone of the team's repository, with a sync state of their own. */
function person(origin: string, env: Record<string, string>) {
  const dir = checkout(origin);
  return {
    dir,
    dashsync: (...args: string[]) => run(dir, args, env),
    branch: (name: string) => {
      git(dir, 'fetch', '-q', 'origin');
      git(dir, 'checkout', '-q', '-B', name, 'origin/main');
    },
    push: (name: string) => {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '--allow-empty', '-m', name);
      git(dir, 'push', '-q', '-f', 'origin', `HEAD:${name}`);
      return git(dir, 'rev-parse', 'HEAD');
    },
    edit: (path: string, from: string, to: string) => write(dir, path, read(dir, path).replace(from, to)),
  };
}

const REVENUE = 'dashboards/sales/revenue.yaml';
const LATENCY = 'dashboards/ops/latency.yaml';

describe('a team, from its first pull to CI deploys', () => {
  it('loses nothing, reverts nothing unseen, and explains every stop', async () => {
    const staging = await startServer({ token: STAGING_TOKEN });
    const production = await startServer({ token: TOKEN });
    servers.push(staging, production);
    const ui = uiEditor(production, TOKEN);
    const stagingUi = uiEditor(staging, STAGING_TOKEN);
    await ui.save('sales', {
      name: 'Revenue',
      definition: { title: 'Revenue', widgets: [{ type: 'line', query: 'SELECT day, sum(amount) FROM orders' }] },
    });
    await ui.save('ops', { name: 'Latency', definition: { title: 'Latency', threshold: 250 } });
    const origin = repository(
      production.url,
      {},
      `  staging:\n    url: ${staging.url}\n    token_env: STAGING_TOKEN\n    drift: keep\n`,
    );
    const flow = await githubFlow(origin);
    flows.push(flow);
    const env = { PRODUCTION_TOKEN: TOKEN, STAGING_TOKEN };
    const ana = person(origin, env);
    const ben = person(origin, env);

    // Ana brings production into git and previews it in staging; the first review deploys nothing.
    ana.branch('adopt');
    expect((await ana.dashsync('pull', '--env', 'production')).code).toBe(0);
    expect((await ana.dashsync('apply', '--env', 'staging', '--yes')).code).toBe(0);
    const adopt = await flow.review('adopt', ana.push('adopt'));
    expect(adopt.code, adopt.out).toBe(0);
    expect(adopt.out).toContain('No changes.');
    expect((await flow.merge('adopt')).code).toBe(0);

    // A change reviewed; a UI fix after the review; the merge refuses to revert it, and says why.
    ana.branch('net-revenue');
    ana.edit(REVENUE, 'sum(amount)', 'sum(net)');
    expect((await ana.dashsync('apply', '--env', 'staging', '--yes')).code).toBe(0);
    const reviewed = await flow.review('net-revenue', ana.push('net-revenue'));
    expect(reviewed.code, reviewed.out).toBe(0);
    expect(reviewed.out).toContain(`~ ${REVENUE}`);
    expect(reviewed.out).not.toContain(LATENCY);
    const latency = await ui.get('ops', 'Latency');
    await ui.save('ops', { id: latency.id, name: 'Latency', definition: { title: 'Latency', threshold: 300 } });
    const refused = await flow.merge('net-revenue');
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain(`< ${LATENCY}  "Latency": changed in the workspace`);
    expect(refused.out).toContain(`bring the drift into git: dashsync pull ${LATENCY}; commit, and review it`);
    expect(refused.out).toContain('nothing was applied');
    expect(refused.out).toContain('in a clone that has not synced them, pull takes them with --force');
    expect((await ui.get('ops', 'Latency')).definition).toMatchObject({ threshold: 300 });
    expect((await ui.get('sales', 'Revenue')).definition).toMatchObject({
      widgets: [{ query: 'SELECT day, sum(amount) FROM orders' }],
    });

    // The drift check opens one issue, and keeps it while the drift lasts.
    expect((await flow.driftCheck()).code).toBe(0);
    const [opened] = flow.driftIssues().open;
    expect(opened!.title).toBe('Drift: 1 dashboard changed in the production workspace, not in git');
    expect(opened!.body).toContain(`<code>${LATENCY}</code>`);
    expect(opened!.body).toContain('threshold: 300');
    expect(opened!.body).not.toContain(`<code>${REVENUE}</code> "Revenue" changed in the workspace`);
    expect((await flow.driftCheck()).code).toBe(0);
    expect(flow.driftIssues()).toEqual({ open: [{ ...opened, body: expect.any(String) }], closed: 0 });

    // Ben brings the fix into git: his clone never synced it, and pull says what that needs.
    ben.branch('latency-300');
    const careful = await ben.dashsync('pull', '--env', 'production', LATENCY);
    expect(careful.code).toBe(0);
    expect(careful.stdout).toContain(
      'there is no sync record to tell who changed it; kept the local file (pull --force takes theirs)',
    );
    expect((await ben.dashsync('pull', '--env', 'production', '--force', LATENCY)).code).toBe(0);
    expect(read(ben.dir, LATENCY)).toContain('threshold: 300');
    const both = await flow.review('latency-300', ben.push('latency-300'));
    expect(both.code, both.out).toBe(0);
    expect(both.out).toContain(`~ ${REVENUE}`);
    const deployed = await flow.merge('latency-300');
    expect(deployed.code, deployed.out).toBe(0);
    expect((await ui.get('sales', 'Revenue')).definition).toMatchObject({
      widgets: [{ query: 'SELECT day, sum(net) FROM orders' }],
    });
    expect((await ui.get('ops', 'Latency')).definition).toMatchObject({ threshold: 300 });
    expect((await flow.driftCheck()).code).toBe(0);
    expect(flow.driftIssues()).toEqual({ open: [], closed: 1 });

    // A conflict, settled in a pull request by editing the file.
    const revenue = await ui.get('sales', 'Revenue');
    await ui.save('sales', {
      id: revenue.id,
      name: 'Revenue',
      definition: { title: 'Revenue', widgets: [{ type: 'line', query: 'SELECT day, sum(net) FROM orders_v2' }] },
    });
    ana.branch('revenue-title');
    ana.edit(REVENUE, 'title: Revenue', 'title: Net revenue');
    ana.edit(REVENUE, 'sum(net) FROM orders', 'sum(net_total) FROM orders');
    const conflict = await flow.review('revenue-title', ana.push('revenue-title'));
    expect(conflict.code).not.toBe(0);
    expect(conflict.out).toContain(`! ${REVENUE}  "Revenue"`);
    expect(conflict.out).toContain(
      [
        '      definition.widgets[0].query, changed two ways:',
        '        base:   "SELECT day, sum(net) FROM orders"',
        '        yours:  "SELECT day, sum(net_total) FROM orders"',
        '        theirs: "SELECT day, sum(net) FROM orders_v2"',
      ].join('\n'),
    );
    expect(conflict.out).toContain('changed only in the file: definition.title');
    expect(conflict.out).toContain(
      'settle it in the file: hold theirs at each place changed two ways (your other edits stay, as a local edit); ' +
        `or apply --force ${REVENUE} keeps yours, pull --force ${REVENUE} takes theirs whole`,
    );
    ana.edit(REVENUE, 'sum(net_total) FROM orders', 'sum(net) FROM orders_v2');
    const settled = await flow.review('revenue-title', ana.push('revenue-title'));
    expect(settled.code, settled.out).toBe(0);
    expect(settled.out).toContain('edited locally; the file already holds the change made in the workspace');
    expect((await flow.merge('revenue-title')).code).toBe(0);
    expect((await ui.get('sales', 'Revenue')).definition).toEqual({
      title: 'Net revenue',
      widgets: [{ type: 'line', query: 'SELECT day, sum(net) FROM orders_v2' }],
    });

    // A new file whose name another dashboard holds: a conflict naming it, never a silent replace.
    const theirs = await ui.save('ops', { name: 'Errors', definition: { made: 'by the SRE team' } });
    ben.branch('errors');
    write(ben.dir, 'dashboards/ops/errors.yaml', 'name: Errors\ndefinition:\n  title: Errors\n');
    const taken = await flow.review('errors', ben.push('errors'));
    expect(taken.code).not.toBe(0);
    expect(taken.out).toContain(`(dashboard ${String(theirs.id)}, last changed `);
    expect(taken.out).toContain('dashsync apply --adopt dashboards/ops/errors.yaml replaces its content');
    expect(taken.out).toContain('make the plan again with --adopt for the file to replace the dashboard named above.');
    expect(taken.out).not.toContain('--force to apply your side');
    write(ben.dir, 'dashboards/ops/errors.yaml', 'name: Error budget\ndefinition:\n  title: Errors\n');
    expect((await flow.review('errors', ben.push('errors'))).code).toBe(0);
    expect((await flow.merge('errors')).code).toBe(0);
    expect((await ui.get('ops', 'Errors')).definition).toEqual({ made: 'by the SRE team' });
    expect(production.store.count()).toBe(4);
    ben.branch('after-errors');
    expect(read(ben.dir, 'dashboards/ops/errors.yaml')).toMatch(/^id: [0-9a-f-]{36}\b/m);
    expect((await ben.dashsync('plan', '--env', 'production')).stdout).toContain('No changes.');

    // Staging keeps its own drift (drift: keep there), and says so; production is untouched by it.
    ana.branch('main-again');
    const upToDate = await ana.dashsync('apply', '--env', 'staging', '--yes');
    expect(upToDate.code, upToDate.stderr).toBe(0);
    const previewed = await stagingUi.get('ops', 'Latency');
    expect(previewed.definition).toEqual({ title: 'Latency', threshold: 300 });
    await stagingUi.save('ops', {
      id: previewed.id,
      name: 'Latency',
      definition: { title: 'Latency', tried: 'in staging' },
    });
    const stagingApply = await ana.dashsync('apply', '--env', 'staging', '--yes');
    expect(stagingApply.code, stagingApply.stderr).toBe(0);
    expect(stagingApply.stdout).toContain('kept: changed in the workspace; `dashsync pull` brings it into git');
    expect((await stagingUi.get('ops', 'Latency')).definition).toEqual({ title: 'Latency', tried: 'in staging' });
    expect((await stagingUi.get('sales', 'Revenue')).definition).toMatchObject({ title: 'Net revenue' });
    expect((await ui.get('ops', 'Latency')).definition).toEqual({ title: 'Latency', threshold: 300 });
  }, 300_000);
});
