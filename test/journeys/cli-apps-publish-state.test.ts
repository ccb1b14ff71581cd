import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/emulator/server.js';
import type { StoredDashboard } from '../../src/emulator/store.js';
import { read, run, write, useEmulators, appsExampleRepo } from '../helpers.js';

/*
 * Publish state as part of the plan, and `dashsync publish` / `unpublish`, through the built CLI
 * against the emulator: a publish outage (503 on the publish route) and its recovery by a plain
 * re-run, what plan shows and what it costs, saved plans, and the two commands.
 */

const server = useEmulators();

const TOP = 'dashboards/sales/top-customers.yaml';
const ORDERS = 'dashboards/sales/order-search.yaml';
const LEADS = 'dashboards/crm/lead-dashboard.yaml';

const byName = (s: RunningServer, name: string): StoredDashboard => s.store.list('user').find((d) => d.name === name)!;
/** Viewers see the draft: the published version is the newest. */
const isCurrent = (d: StoredDashboard): boolean =>
  d.published_version_id !== undefined && d.published_version_id === d.versions!.at(-1)!.version_id;

/** An emulator whose publish route answers 503 while `outage.on`. */
async function withOutage(): Promise<{ s: RunningServer & { env: Record<string, string> }; outage: { on: boolean } }> {
  const outage = { on: false };
  const s = await server({
    intercept: (method, path) => (outage.on && method === 'POST' && path.includes('/publish') ? 503 : undefined),
  });
  return { s, outage };
}

function editLabel(dir: string, path: string): void {
  const text = read(dir, path);
  const edited = text.replace(/^( {6}label: )(.*)$/m, '$1$2 (edited)');
  expect(edited).not.toBe(text);
  write(dir, path, edited);
}

describe('apps: publish state in the plan', () => {
  it('completes a publish that a 503 failed when the same apply --publish runs again', async () => {
    const { s, outage } = await withOutage();
    const dir = appsExampleRepo();
    outage.on = true;
    const failed = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`FAILED  ${TOP}: publish failed:`);
    expect(failed.stderr).toContain('(503)');
    expect(byName(s, 'Top Customers').published_version_id).toBeUndefined();

    outage.on = false;
    const plan = await run(dir, ['plan', '--publish'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 3 to publish.');
    expect(plan.stdout).toContain(`  ^ ${TOP}  "Top Customers"  not published (draft v1; viewers see nothing)`);

    const again = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('Nothing to publish');
    expect(again.stdout).toContain(`ok  published ${TOP}`);
    expect(again.stdout).toContain('Apply complete: 0 created, 0 updated, 0 deleted, 3 published.');
    for (const name of ['Top Customers', 'Order Search', 'Lead Dashboard'])
      expect(isCurrent(byName(s, name))).toBe(true);
    // Once every viewer sees the draft, nothing is left to do, and nothing is published twice.
    const idle = await run(dir, ['apply', '--yes', '--publish'], s.env);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toContain('No changes');
    expect(idle.stdout).toContain('Published and current: 3 apps');
    expect(idle.stdout).not.toContain('ok  published');
  });

  it("completes a failed publish on a plain re-run when the app's file says publish: true", async () => {
    const { s, outage } = await withOutage();
    const dir = appsExampleRepo();
    write(dir, TOP, read(dir, TOP).replace(/^(name: .*\n)/m, '$1publish: true\n'));
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    editLabel(dir, TOP);
    outage.on = true;
    const failed = await run(dir, ['apply', '--yes'], s.env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`ok  updated ${TOP}`);
    const top = byName(s, 'Top Customers');
    expect(top.published_version_id).toBeDefined();
    expect(isCurrent(top)).toBe(false);

    outage.on = false;
    const plan = await run(dir, ['plan', '--format', 'markdown'], s.env);
    expect(plan.stdout).toContain(`- <code>^</code> \`${TOP}\`: draft v2 ahead of published v1`);
    const again = await run(dir, ['apply', '--yes'], s.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`  ^ ${TOP}  "Top Customers"  draft v2 ahead of published v1`);
    expect(again.stdout).toContain(`ok  published ${TOP}`);
    expect(isCurrent(byName(s, 'Top Customers'))).toBe(true);
    // Only the file that asks is published.
    expect(byName(s, 'Order Search').published_version_id).toBeUndefined();
  });

  it('costs no versions call unless publishing is asked, and one per unsaved app when it is', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    let before = s.stats.versions;
    expect((await run(dir, ['plan'], s.env)).code).toBe(0);
    expect(s.stats.versions - before).toBe(0);
    before = s.stats.versions;
    const plan = await run(dir, ['plan', '--publish', '--json'], s.env);
    expect(s.stats.versions - before).toBe(3);
    const json = JSON.parse(plan.stdout) as { changes: boolean; publishing: Array<Record<string, unknown>> };
    expect(json.changes).toBe(true);
    expect(json.publishing.map((app) => [app.path, app.state, app.draft, app.publish])).toEqual([
      [LEADS, 'unpublished', 1, true],
      [ORDERS, 'unpublished', 1, true],
      [TOP, 'unpublished', 1, true],
    ]);
    // An app this run saves needs no versions call: its draft is ahead by definition.
    editLabel(dir, TOP);
    before = s.stats.versions;
    const edited = await run(dir, ['plan', '--publish', '--json', TOP], s.env);
    expect(s.stats.versions - before).toBe(0);
    expect(JSON.parse(edited.stdout)).not.toHaveProperty('publishing');
    // plan --detailed-exitcode: a publish to make is a change.
    const detailed = await run(dir, ['plan', '--publish', '--detailed-exitcode', ORDERS], s.env);
    expect(detailed.code).toBe(2);
  });

  it('carries the publish steps in a saved plan, and refuses it once they moved', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const saved = await run(dir, ['plan', '--publish', '--out', 'plan.json', 'dashboards/sales'], s.env);
    expect(saved.code, saved.stderr).toBe(0);
    const file = JSON.parse(read(dir, 'plan.json')) as { publishing: Array<{ path: string; publish: boolean }> };
    expect(file.publishing.filter((app) => app.publish).map((app) => app.path)).toEqual([ORDERS, TOP]);
    // Someone publishes one of them meanwhile: the plan no longer says what apply would do.
    expect((await run(dir, ['publish', '--yes', TOP], s.env)).code).toBe(0);
    const stale = await run(dir, ['apply', 'plan.json'], s.env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('stale plan');
    expect(stale.stderr).toContain(`^ ${TOP}: no longer to publish`);
    expect(byName(s, 'Order Search').published_version_id).toBeUndefined();
    // Made again and applied: exactly the reviewed publishes.
    expect((await run(dir, ['plan', '--publish', '--out', 'plan.json', 'dashboards/sales'], s.env)).code).toBe(0);
    const applied = await run(dir, ['apply', 'plan.json'], s.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`ok  published ${ORDERS}`);
    expect(isCurrent(byName(s, 'Order Search'))).toBe(true);
    expect(byName(s, 'Lead Dashboard').published_version_id).toBeUndefined();
  });
});

describe('dashsync publish and unpublish', () => {
  it('shows what it would publish, refuses without a terminal or --yes, and publishes the selection with --yes', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const refused = await run(dir, ['publish', 'dashboards/sales', '--exclude', 'sales/order-*'], s.env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`  ^ ${TOP}  "Top Customers"  not published`);
    expect(refused.stdout).not.toContain(ORDERS);
    expect(refused.stdout).toContain('Publish: 1 to publish, 0 current.');
    expect(refused.stderr).toContain(
      'publish needs confirmation, and there is no terminal to ask on: nothing was changed',
    );
    expect(byName(s, 'Top Customers').published_version_id).toBeUndefined();

    const done = await run(dir, ['publish', '--yes', 'dashboards/sales', '--exclude', 'sales/order-*'], s.env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Publish complete: 1 published, 0 current.');
    expect(isCurrent(byName(s, 'Top Customers'))).toBe(true);
    expect(byName(s, 'Order Search').published_version_id).toBeUndefined();
    expect(byName(s, 'Lead Dashboard').published_version_id).toBeUndefined();
    const idle = await run(dir, ['publish', '--yes', TOP], s.env);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toContain('Nothing to publish: the viewers of 1 app see its drafts.');
  });

  it('skips an app whose file has changes not applied (exit 1) and one whose file says publish: false', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    editLabel(dir, TOP);
    write(dir, LEADS, read(dir, LEADS).replace(/^(name: .*\n)/m, '$1publish: false\n'));
    const r = await run(dir, ['publish', '--yes', '--json'], s.env);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      held: Array<{ path: string; skipped: boolean; why: string }>;
      results: Array<{ path: string; published?: boolean }>;
    };
    expect(json.summary).toEqual({ done: 1, current: 0, skipped: 1, failed: 0, notStarted: 0 });
    expect(json.results.map((result) => [result.path, result.published])).toEqual([[ORDERS, true]]);
    expect(json.held).toEqual([
      { path: LEADS, why: 'its file says publish: false: it stays a draft', skipped: false },
      {
        path: TOP,
        why: 'the file differs from the workspace: dashsync apply --publish saves and publishes it',
        skipped: true,
      },
    ]);
    expect(byName(s, 'Top Customers').published_version_id).toBeUndefined();
    expect(r.stderr).toContain(
      'Publish incomplete (skipped apps were not published): 1 published, 0 current, 1 skipped.',
    );
  });

  it('unpublishes the selected published apps, and a 503 on one fails the run', async () => {
    const outage = { on: false };
    const s = await server({
      intercept: (method, path) =>
        outage.on && method === 'POST' && path.includes('/unpublish') && path.includes('crm') ? 503 : undefined,
    });
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes', '--publish'], s.env)).code).toBe(0);
    outage.on = true;
    const r = await run(dir, ['unpublish', '--yes'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  v ${TOP}  "Top Customers"  published, current (v1)`);
    expect(r.stdout).toContain(`FAILED  ${LEADS}: unpublish failed:`);
    expect(r.stdout).toContain('Unpublish finished with errors: 2 unpublished, 0 draft only, 1 failed.');
    expect(byName(s, 'Top Customers').published_version_id).toBeUndefined();
    expect(byName(s, 'Lead Dashboard').published_version_id).toBeDefined();
    outage.on = false;
    const again = await run(dir, ['unpublish', '--yes'], s.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Unpublish complete: 1 unpublished, 2 draft only.');
  });

  it('is refused in a folder synced with the dashboards API', async () => {
    const s = await server();
    const dir = appsExampleRepo('projects: { sales: sales-analytics, crm: crm-leads }\n');
    const r = await run(dir, ['publish', '--yes'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dashsync publish needs the /apps API');
    expect(s.stats.save + s.stats.versions).toBe(0);
  });
});
