import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unportableName } from '../../../src/core/slug.js';
import { read, run, tree, useEmulators } from '../../helpers.js';
import { expectInertOutput } from './fixtures.js';

/*
 * Names from the server that would break a checkout on Windows or macOS: device names, trailing
 * dots and spaces, forbidden characters, very long names, and names that differ only in case.
 * Dashboard files get safe, stable names with the real name inside; a project whose id cannot be
 * its folder's name stops pull with the mapping to add.
 */

const server = useEmulators();

describe('names of dashboards from the server', () => {
  it('become portable, distinct file names, with the real name in each file, and plan is a no-op after', async () => {
    const s = await server();
    const names = [
      'con',
      'AUX',
      'nul.',
      'Com1',
      'lpt9 ',
      'Trailing dot.',
      'Report',
      'report',
      'a<b>:c"d|e?f*g',
      'ü'.repeat(300),
    ];
    for (const name of names) await s.store.save('user', 'p', { name, definition: { title: name } });
    const dir = tree();
    const r = await run(dir, ['pull'], s.env);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(dir, 'dashboards/p')).sort();
    expect(files).toEqual(
      [
        'a-b-c-d-e-f-g.yaml',
        'aux-dashboard.yaml',
        'com1-dashboard.yaml',
        'con-dashboard.yaml',
        'lpt9-dashboard.yaml',
        'nul-dashboard.yaml',
        'report-2.yaml',
        'report.yaml',
        'trailing-dot.yaml',
        'u'.repeat(60) + '.yaml',
      ].sort(),
    );
    for (const file of files) {
      expect(unportableName(file), file).toBeUndefined();
      expect(files.filter((other) => other.toLowerCase() === file.toLowerCase())).toHaveLength(1);
    }
    const held = files.map((file) => /^name: (.*)$/m.exec(read(dir, `dashboards/p/${file}`))![1]!);
    expect(held).toHaveLength(names.length);
    expect(held.some((line) => line.includes('nul.'))).toBe(true);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout).toBe(0);
  });
});

describe('project ids that cannot be folder names', () => {
  it('pulls one of two projects that differ only in case and refuses the other, naming the mapping to add; with it, both come in', async () => {
    const s = await server();
    await s.store.save('user', 'Sales', { name: 'Big', definition: {} });
    await s.store.save('user', 'sales', { name: 'Small', definition: {} });
    const dir = tree();
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'x project "sales"  "Small"  its project id cannot be used as a folder name (it differs only in case from Sales, ' +
        'which Windows and macOS take for one): map a folder to it in dashsync.yaml: projects: { my-folder: "sales" }',
    );
    expect(r.stdout).toContain('Pull complete: 1 new, 0 updated, 0 removed, 0 unchanged; 1 not pulled (see above).');
    expect(readdirSync(join(dir, 'dashboards'))).toEqual(['Sales']);
    expect(read(dir, 'dashboards/Sales/big.yaml')).toContain('name: Big');
    expectInertOutput(r);
    // The next pull refuses it again, and writes nothing new.
    const again = await run(dir, ['pull', '--json'], s.env);
    expect(again.code).toBe(1);
    const document = JSON.parse(again.stdout);
    const refused = document.changes.filter((c: { kind: string }) => c.kind === 'refused');
    expect(refused).toEqual([expect.objectContaining({ path: 'project "sales"', name: 'Small' })]);
    expect(document.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        summary: expect.stringMatching(/^project "sales": its project id/),
      }),
    ]);
    expect(readdirSync(join(dir, 'dashboards'))).toEqual(['Sales']);

    const mapped = tree({ 'dashsync.yaml': 'projects:\n  sales-lower: sales\n' });
    const ok = await run(mapped, ['pull'], s.env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(join(mapped, 'dashboards')).sort()).toEqual(['Sales', 'sales-lower']);
    expect(read(mapped, 'dashboards/sales-lower/small.yaml')).toContain('name: Small');
  });

  it('refuses a project whose id names the folder dashsync.yaml maps to another project, and pulls that one', async () => {
    const s = await server();
    await s.store.save('user', 'sales', { name: 'In sales', definition: {} });
    await s.store.save('user', 'crm', { name: 'In crm', definition: {} });
    const dir = tree({ 'dashsync.yaml': 'projects:\n  sales: crm\n' });
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `x project "sales"  "In sales"  its project id cannot be used as a folder name (a folder of that name is project "crm"'s)`,
    );
    expect(readdirSync(join(dir, 'dashboards/sales'))).toEqual(['in-crm.yaml']);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('names the projects of the workspace on one line each, whatever their ids hold', async () => {
    const s = await server();
    await s.store.save('user', 'nl\nid', { name: 'A', definition: {} });
    await s.store.save('user', 'ok', { name: 'B', definition: {} });
    const r = await run(tree(), ['pull', '--project', 'nope'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: projects in the workspace: nl\\x0aid, ok\n');
    expectInertOutput(r);
  });

  it.each([
    ['con', 'it is a device name on Windows'],
    ['q1.', 'it ends in a dot or a space, which Windows drops'],
  ])('refuses the dashboards of the project id %j, saying why, and pulls the others', async (projectId, why) => {
    const s = await server();
    await s.store.save('user', projectId, { name: 'Board', definition: {} });
    await s.store.save('user', 'fine', { name: 'Other', definition: {} });
    const dir = tree();
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `x project "${projectId}"  "Board"  its project id cannot be used as a folder name (${why})`,
    );
    expect(readdirSync(join(dir, 'dashboards'))).toEqual(['fine']);
  });
});
