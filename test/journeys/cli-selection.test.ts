import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, namesIn, read, run, syncedFolder, tree, useEmulators, write } from '../helpers.js';

// Targets and exclusions, through the built CLI against the emulator: which files and dashboards a
// run is about, and that what is outside it is invisible (never pruned, adopted, listed or pulled into).

const server = useEmulators();

/** The query of a project's dashboard in the emulator, by name. */
function queryOf(s: Awaited<ReturnType<typeof server>>, project: string, name: string): unknown {
  const dashboard = s.store.list('user', project).find((d) => d.name === name)!;
  return (dashboard.definition as { widgets: Array<{ query: string }> }).widgets[0]!.query;
}

describe('targets: file and folder paths', () => {
  it('plans and applies only the file named, and says nothing of the others', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const plan = await run(dir, ['plan', 'dashboards/p/a.yaml'], s.env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('+ dashboards/p/a.yaml  "A"');
    expect(plan.stdout).not.toContain('b.yaml');
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
    const apply = await run(dir, ['apply', '--yes', 'dashboards/p/a.yaml'], s.env);
    expect(apply.code).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A']);
    expect(read(dir, 'dashboards/p/b.yaml')).toBe(dashboardYaml('B'));
  });

  it('applies only the folder named, and never prunes a project it does not name', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/q/c.yaml': dashboardYaml('C') });
    await s.store.save('user', 'q', { name: 'Orphan', definition: {} });
    const r = await run(dir, ['apply', '--yes', '--prune', 'dashboards/p'], s.env);
    expect(r.code).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A']);
    expect(namesIn(s, 'q')).toEqual(['Orphan']);
  });

  it('refuses a path that does not exist, or lies outside the dashboards folder, before any request', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'notes/x.yaml': dashboardYaml('X') });
    const typo = await run(dir, ['plan', 'dashboards/p/typo.yaml'], s.env);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('"dashboards/p/typo.yaml": no such file or folder');
    const outside = await run(dir, ['apply', '--yes', 'notes/x.yaml'], s.env);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('"notes/x.yaml" is outside the dashboards folder dashboards');
    expect(outside.stderr).not.toMatch(/\n\s+at /);
    expect(s.stats.list).toBe(0);
    const validate = await run(dir, ['validate', 'dashboards/p/nope.yaml']);
    expect(validate.code).toBe(1);
  });

  it('validates only the files selected: a broken file outside the selection does not fail the run', async () => {
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/broken.yaml': 'name: [unclosed\n' });
    const all = await run(dir, ['validate']);
    expect(all.code).toBe(1);
    const one = await run(dir, ['validate', 'dashboards/p/a.yaml']);
    expect(one.code).toBe(0);
    const excluded = await run(dir, ['validate', '--exclude', 'p/broken.yaml']);
    expect(excluded.code).toBe(0);
    expect(excluded.stdout).not.toContain('broken');
  });

  it('apply --force of one file forces that file, not the other conflict in its project', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    for (const name of ['A', 'B']) {
      const d = s.store.list('user', 'p').find((x) => x.name === name)!;
      await s.store.save('user', 'p', { id: d.id, name, definition: { widgets: [{ type: 'chart', query: 'UI' }] } });
    }
    for (const file of ['a', 'b'])
      write(dir, `dashboards/p/${file}.yaml`, read(dir, `dashboards/p/${file}.yaml`).replace('SELECT 1', 'SELECT 9'));
    const r = await run(dir, ['apply', '--yes', '--force', 'dashboards/p/a.yaml'], s.env);
    expect(r.code).toBe(0);
    expect(queryOf(s, 'p', 'A')).toBe('SELECT 9');
    expect(queryOf(s, 'p', 'B')).toBe('UI');
    const rest = await run(dir, ['plan'], s.env);
    expect(rest.stdout).toContain('! dashboards/p/b.yaml');
    expect(rest.stdout).not.toContain('a.yaml');
  });
});

describe('exclusions', () => {
  it('an excluded file hides its dashboard: apply --prune neither deletes nor lists it', async () => {
    const s = await server();
    // The file's name is not its dashboard's: only the file's claim can keep B out of the run.
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/set-aside.yaml': dashboardYaml('B') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    for (const args of [
      ['apply', '--yes', '--prune', '--exclude', 'p/set-aside.yaml'],
      ['apply', '--yes', '--prune', '--exclude', 'dashboards/p/set-*.yaml'],
    ]) {
      const r = await run(dir, args, s.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('"B"');
      expect(namesIn(s, 'p')).toEqual(['A', 'B']);
    }
    // A dashboard no file holds is pruned: the excluded file was what kept B.
    rmSync(join(dir, 'dashboards/p/set-aside.yaml'));
    const plan = await run(dir, ['plan', '--prune'], s.env);
    expect(plan.stdout).toContain('- dashboards/p/  "B"');
  });

  it('exclude: in dashsync.yaml hides a file from plan, apply and pull, and an environment adds its own', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    write(
      dir,
      'dashsync.yaml',
      `exclude: ["p/b.yaml"]\nenvironments:\n  prod:\n    url: ${s.url}\n    exclude: ["p/a.yaml"]\n`,
    );
    const b = s.store.list('user', 'p').find((d) => d.name === 'B')!;
    await s.store.delete('user', 'p', b.id);
    const pruned = await run(dir, ['pull', '--prune'], s.env);
    expect(pruned.code).toBe(0);
    expect(existsSync(join(dir, 'dashboards/p/b.yaml'))).toBe(true);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    const prod = await run(dir, ['plan', '--env', 'prod', '--detailed-exitcode'], { DASHSYNC_TOKEN: s.token });
    expect(prod.code).toBe(0);
    const plain = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toContain('~ dashboards/p/a.yaml');
  });

  it('a glob that covers a project folder leaves the whole project out, unmanaged dashboards included', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/legacy/old.yaml': dashboardYaml('Old') });
    await s.store.save('user', 'legacy', { name: 'Unmanaged', definition: {} });
    const r = await run(dir, ['apply', '--yes', '--prune', '--exclude', 'legacy/**'], s.env);
    expect(r.code).toBe(0);
    expect(namesIn(s, 'legacy')).toEqual(['Unmanaged']);
    expect(r.stdout).not.toContain('legacy');
  });
});

describe('saved plans record their selection', () => {
  it('applies a plan with the selection it was made with, and refuses another one', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const made = await run(dir, ['plan', '--out', 'plan.json', 'dashboards/p/a.yaml'], s.env);
    expect(made.code).toBe(0);
    const saved = JSON.parse(read(dir, 'plan.json')) as { options: { paths: string[]; excludes: string[] } };
    expect(saved.options.paths).toEqual(['p/a.yaml']);
    for (const other of [
      ['plan.json', '--exclude', 'p/b.yaml'],
      ['plan.json', 'dashboards/p/b.yaml'],
      ['plan.json', '--project', 'p'],
    ]) {
      const refused = await run(dir, ['apply', ...other], s.env);
      expect(refused.code, other.join(' ')).toBe(1);
      expect(refused.stderr).toContain('plan.json was made for paths p/a.yaml, but this run selects');
      expect(s.store.count()).toBe(0);
    }
    const same = await run(dir, ['apply', 'plan.json', 'dashboards/p/a.yaml'], s.env);
    expect(same.code, same.stderr).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A']);
  });

  it('refuses a plan when exclude: in dashsync.yaml changed since it was made', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    expect((await run(dir, ['plan', '--out', 'plan.json'], s.env)).code).toBe(0);
    write(dir, 'dashsync.yaml', 'exclude: ["p/b.yaml"]\n');
    const r = await run(dir, ['apply', 'plan.json'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("dashsync.yaml's exclude: changed since");
    expect(s.store.count()).toBe(0);
  });

  it('accepts a plan saved before plans recorded paths and excludes, as "no paths, no excludes"', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['plan', '--out', 'plan.json'], s.env)).code).toBe(0);
    const plan = JSON.parse(read(dir, 'plan.json')) as { options: Record<string, unknown> };
    delete plan.options.paths;
    delete plan.options.excludes;
    write(dir, 'plan.json', JSON.stringify(plan));
    const r = await run(dir, ['apply', 'plan.json'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(namesIn(s, 'p')).toEqual(['A']);
  });
});

describe('pull respects the folder', () => {
  it('pulls only the folder named, creating it', async () => {
    const s = await server();
    await s.store.save('user', 'sales', { name: 'Revenue', definition: {} });
    await s.store.save('user', 'ops', { name: 'Latency', definition: {} });
    const dir = tree();
    const r = await run(dir, ['pull', 'dashboards/ops'], s.env);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'dashboards/ops/latency.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'dashboards/sales'))).toBe(false);
  });

  it('without arguments writes every project of the workspace, also beside a folder made by hand', async () => {
    const s = await server();
    for (let i = 0; i < 3; i++) await s.store.save('user', 'ops', { name: `Ops ${i}`, definition: {} });
    await s.store.save('user', 'sales', { name: 'Revenue', definition: {} });
    const dir = tree({ 'dashboards/sales/new.yaml': dashboardYaml('Hand made') });
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pull complete: 4 new');
    for (const name of ['ops/ops-0.yaml', 'ops/ops-2.yaml', 'sales/revenue.yaml'])
      expect(existsSync(join(dir, 'dashboards', name)), name).toBe(true);
  });

  it('keeps a file deleted locally deleted, says how to settle it, and brings it back only with --force', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const before = read(dir, 'dashboards/p/b.yaml');
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    const r = await run(dir, ['pull'], s.env);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'dashboards/p/b.yaml'))).toBe(false);
    expect(r.stdout).toContain('? dashboards/p/b.yaml  "B"  deleted locally');
    expect(r.stdout).toContain('apply --prune deletes it in the workspace, pull --force brings the file back');
    expect(r.stdout).not.toContain('+ dashboards/p/b.yaml');
    const plan = await run(dir, ['plan', '--prune'], s.env);
    expect(plan.stdout).toContain('- dashboards/p/  "B"');
    const back = await run(dir, ['pull', '--force'], s.env);
    expect(back.code).toBe(0);
    expect(read(dir, 'dashboards/p/b.yaml')).toBe(before);
  });

  it('pull --force FILE brings back that one file deleted locally, and leaves the other files as they are', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const before = read(dir, 'dashboards/p/b.yaml');
    rmSync(join(dir, 'dashboards/p/b.yaml'));
    const edited = read(dir, 'dashboards/p/a.yaml').replace('name: A', 'name: A edited');
    write(dir, 'dashboards/p/a.yaml', edited);
    const back = await run(dir, ['pull', '--force', 'dashboards/p/b.yaml'], s.env);
    expect(back.code, back.stderr).toBe(0);
    expect(read(dir, 'dashboards/p/b.yaml')).toBe(before);
    // Only the file named: the local edit of another file of the project is not taken back.
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(edited);
    // A path the sync state never knew is still a typo.
    const typo = await run(dir, ['pull', '--force', 'dashboards/p/nope.yaml'], s.env);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('"dashboards/p/nope.yaml": no such file or folder');
  });

  it('pull --prune refuses to empty a project the workspace lists nothing of, unless --force', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    for (const d of s.store.list('user', 'p')) await s.store.delete('user', 'p', d.id);
    const refused = await run(dir, ['pull', '--prune'], s.env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'x dashboards/p  --prune would remove all 2 files of project p because the workspace lists none of its dashboards',
    );
    // Nothing was left unpulled: the summary says what was refused, the folder's pruning.
    expect(refused.stdout).toContain('; 2 kept (see above); 1 folder not pruned (see above).');
    expect(refused.stdout).not.toContain('not pulled');
    expect(existsSync(join(dir, 'dashboards/p/a.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'dashboards/p/b.yaml'))).toBe(true);
    const forced = await run(dir, ['pull', '--prune', '--force'], s.env);
    expect(forced.code).toBe(0);
    expect(existsSync(join(dir, 'dashboards/p/a.yaml'))).toBe(false);
  });

  it('an excluded file is never pulled into, nor is its dashboard written anywhere else', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    const b = s.store.list('user', 'p').find((d) => d.name === 'B')!;
    await s.store.save('user', 'p', { id: b.id, name: 'B', definition: { changed: true } });
    const text = read(dir, 'dashboards/p/b.yaml');
    const r = await run(dir, ['pull', '--exclude', 'p/b.yaml'], s.env);
    expect(r.code).toBe(0);
    expect(read(dir, 'dashboards/p/b.yaml')).toBe(text);
    expect(r.stdout).toContain('Pull complete: 0 new, 0 updated');
  });
});

describe('placeholders keep their place through pull', () => {
  it('a variable inside a string edited in the UI comes back as its placeholder, and a new literal is warned of', async () => {
    const s = await server();
    const config = `variables:\n  datasource: analytics-prod\nenvironments:\n  staging:\n    url: ${s.url}\n    variables:\n      datasource: analytics-staging\n`;
    const file =
      'name: Orders\ndefinition:\n  widgets:\n    - type: table\n      query: "SELECT id FROM ${{ var.datasource }}.orders"\n';
    const dir = tree({ 'dashsync.yaml': config, 'dashboards/p/orders.yaml': file });
    const env = { DASHSYNC_TOKEN: s.token };
    expect((await run(dir, ['apply', '--env', 'staging', '--yes'], env)).code).toBe(0);
    const d = s.store.list('user', 'p')[0]!;
    expect(queryOf(s, 'p', 'Orders')).toBe('SELECT id FROM analytics-staging.orders');
    // An edit in the staging UI: the query changes around the value, and a new widget names it literally.
    await s.store.save('user', 'p', {
      id: d.id,
      name: 'Orders',
      definition: {
        widgets: [
          { type: 'table', query: 'SELECT id, total FROM analytics-staging.orders WHERE total > 0' },
          { type: 'chart', query: 'SELECT 1 FROM analytics-staging.refunds' },
        ],
      },
    });
    const r = await run(dir, ['pull', '--env', 'staging'], env);
    expect(r.code, r.stderr).toBe(0);
    const pulled = read(dir, 'dashboards/p/orders.yaml');
    expect(pulled).toContain('SELECT id, total FROM ${{ var.datasource }}.orders WHERE total > 0');
    expect(pulled).toContain('SELECT 1 FROM analytics-staging.refunds');
    expect(r.stderr).toContain(
      'dashboards/p/orders.yaml: definition.widgets[1].query holds the value of variable datasource as plain text',
    );
    expect(r.stderr).not.toContain('widgets[0]');
    // Staging plans no change; production would deploy its own value where the placeholder stands.
    expect((await run(dir, ['plan', '--env', 'staging', '--detailed-exitcode'], env)).code).toBe(0);
    const json = await run(dir, ['pull', '--env', 'staging', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ changes: [], literals: [] });
    expect(readFileSync(join(dir, 'dashboards/p/orders.yaml'), 'utf8')).toBe(pulled);
  });
});

describe('migrate takes the selection too', () => {
  it('copies only the dashboards the selected files hold, and never prunes the copy of an excluded one', async () => {
    const source = await server();
    const target = await server();
    const config = `environments:\n  src:\n    url: ${source.url}\n    token_env: SRC_TOKEN\n  dst:\n    url: ${target.url}\n    token_env: DST_TOKEN\n`;
    const env = { SRC_TOKEN: source.token, DST_TOKEN: target.token };
    await source.store.save('user', 'p', { name: 'A', definition: {} });
    await source.store.save('user', 'p', { name: 'B', definition: {} });
    const dir = tree({ 'dashsync.yaml': config });
    expect((await run(dir, ['pull', '--env', 'src'], env)).code).toBe(0);
    const one = await run(dir, ['migrate', '--from', 'src', '--to', 'dst', '--yes', 'dashboards/p/a.yaml'], env);
    expect(one.code, one.stderr).toBe(0);
    expect(namesIn(target, 'p')).toEqual(['A']);
    const all = await run(dir, ['migrate', '--from', 'src', '--to', 'dst', '--yes'], env);
    expect(all.code).toBe(0);
    expect(namesIn(target, 'p')).toEqual(['A', 'B']);
    const pruning = await run(
      dir,
      ['migrate', '--from', 'src', '--to', 'dst', '--yes', '--prune', '--exclude', 'p/b.yaml'],
      env,
    );
    expect(pruning.code, pruning.stderr).toBe(0);
    expect(namesIn(target, 'p')).toEqual(['A', 'B']);
  });
});
