import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, run, tree, useEmulators } from '../helpers.js';

const server = useEmulators();
describe('pull of dashboards dashsync could not read back (issue 11.8)', () => {
  it('skips an empty name and an oversized definition, pulls the others, and fails the run', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Fine', definition: { title: 'fine' } });
    await s.store.save('user', 'p', { name: '', definition: { title: 'nameless' } });
    await s.store.save('user', 'p', { name: 'Huge', definition: { blob: 'x'.repeat(6 * 1024 * 1024) } });
    const dir = tree();
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 not pulled');
    expect(r.stdout).toMatch(/x dashboards\/p\/\S+\.yaml {2}"Huge" {2}not pulled: the file would be refused/);
    expect(r.stdout + r.stderr).not.toContain('this is a bug');
    expect(readdirSync(join(dir, 'dashboards/p'))).toEqual(['fine.yaml']);
    // The folder stays usable: plan, apply and a second pull all run.
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(0);
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const again = await run(dir, ['pull'], s.env);
    expect(again.code).toBe(1);
    expect(readdirSync(join(dir, 'dashboards/p'))).toEqual(['fine.yaml']);
    expect(existsSync(join(dir, 'dashboards/p/huge.yaml'))).toBe(false);
  });
});

describe('duplicates from two deploys at once (issue 11.11)', () => {
  it("plan and apply warn when a project holds several dashboards with a file's name", async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/sales.yaml': dashboardYaml('Sales'),
      'dashboards/p/ops.yaml': dashboardYaml('Ops'),
    });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    // What a second clone's concurrent apply leaves behind.
    const twin = await s.store.save('user', 'p', { name: 'Sales', definition: { title: 'Sales' } });
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stderr).toContain(`project p holds 2 dashboards named "Sales"`);
    expect(plan.stderr).toContain(twin.id);
    expect(plan.stderr).toContain('dashboards/p/sales.yaml');
    expect(plan.stderr).not.toContain('"Ops"');
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.stderr).toContain(`project p holds 2 dashboards named "Sales"`);
  });
});
