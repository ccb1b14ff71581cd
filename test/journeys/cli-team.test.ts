import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, read, run, syncedFolder, tree, useEmulators, write } from '../helpers.js';

// The pull-request loop through the built CLI (issue 21): drift and its policy, a conflict settled
// by editing the file, adoption by name only with equal content, and init agreeing with the binding.

const server = useEmulators();

type Emulator = Awaited<ReturnType<typeof server>>;
const byName = (s: Emulator, name: string) => s.store.list('user', 'p').find((d) => d.name === name)!;
/** A change made in the UI: the dashboard saved with another definition. */
const editInUi = async (s: Emulator, name: string, definition: Record<string, unknown>) =>
  s.store.save('user', 'p', { id: byName(s, name).id, name, definition: definition as never });
const uiDefinition = (name: string, query = 'SELECT 1', title = name) => ({
  title,
  widgets: [{ type: 'chart', query }],
});
const editFile = (dir: string, path: string, from: string, to: string) =>
  write(dir, path, read(dir, path).replace(from, to));

describe('drift, with its policy', () => {
  async function drifted() {
    const s = await server();
    const dir = await syncedFolder(s);
    await editInUi(s, 'B', uiDefinition('B', 'SELECT 1', 'B (fixed in the UI)'));
    return { s, dir };
  }

  it('keep: plan shows it in its own section and exits 0; apply leaves it and says so', async () => {
    const { s, dir } = await drifted();
    editFile(dir, 'dashboards/p/a.yaml', 'SELECT 1', 'SELECT 2');
    const plan = await run(dir, ['plan', '--drift', 'keep'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      'Drift (changed in the workspace since the last sync, not in the files; --drift keep):',
    );
    expect(plan.stdout).toContain('  < dashboards/p/b.yaml  "B"  changed in the workspace');
    expect(plan.stdout).toContain('kept: changed in the workspace; `dashsync pull` brings it into git');
    expect(plan.stdout).not.toContain('~ dashboards/p/b.yaml');
    const apply = await run(dir, ['apply', '--drift', 'keep', '--yes'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('1 changed in the workspace alone (drift), kept: dashsync pull brings it into git.');
    expect(byName(s, 'B').definition).toMatchObject({ title: 'B (fixed in the UI)' });
    expect(byName(s, 'A').definition).toMatchObject({ widgets: [{ query: 'SELECT 2' }] });
  });

  it('fail: plan and apply exit 1 naming every drifted dashboard and how to bring it into git; nothing is applied', async () => {
    const { s, dir } = await drifted();
    const a = byName(s, 'A');
    await s.store.delete('user', 'p', a.id);
    write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
    const plan = await run(dir, ['plan', '--drift', 'fail'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('  < dashboards/p/a.yaml  "A"  deleted in the workspace');
    expect(plan.stderr).toContain(
      'error: drift: 2 dashboards were changed in the workspace since the last sync, not in git (--drift fail): ' +
        'apply would refuse this plan',
    );
    expect(plan.stderr).toContain('  < dashboards/p/b.yaml  "B": changed in the workspace');
    expect(plan.stderr).toContain(
      'hint: bring the drift into git: dashsync pull --prune dashboards/p/a.yaml; dashsync pull dashboards/p/b.yaml; ' +
        'commit, and review it in a pull request',
    );
    const saves = s.stats.save;
    const apply = await run(dir, ['apply', '--drift', 'fail', '--yes'], s.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('(--drift fail): nothing was applied');
    expect(s.stats.save).toBe(saves);
    expect(s.store.list('user', 'p').map((d) => d.name)).toEqual(['B']);
    const json = await run(dir, ['plan', '--drift', 'fail', '--format', 'json'], s.env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      failed: true,
      diagnostics: [{ severity: 'error', summary: expect.stringContaining('drift: 2 dashboards') }],
    });
  });

  it('takes drift: from dashsync.yaml, an environment overriding the top level, and --drift over both', async () => {
    const { s, dir } = await drifted();
    write(dir, 'dashsync.yaml', `drift: fail\nenvironments:\n  calm:\n    url: ${s.url}\n    drift: keep\n`);
    expect((await run(dir, ['plan'], s.env)).code).toBe(1);
    const calm = await run(dir, ['plan', '--env', 'calm'], { DASHSYNC_TOKEN: s.token });
    expect(calm.code, calm.stderr).toBe(0);
    expect(calm.stdout).toContain('--drift keep');
    const flag = await run(dir, ['plan', '--drift', 'revert'], s.env);
    expect(flag.code).toBe(0);
    expect(flag.stdout).toContain('changed in the workspace since the last sync: apply will revert that change');
  });

  it('a saved plan records its policy, and apply of it keeps that policy or refuses another', async () => {
    const { s, dir } = await drifted();
    const saved = await run(dir, ['plan', '--drift', 'keep', '--out', 'plan.json'], s.env);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(read(dir, 'plan.json'))).toMatchObject({
      options: { drift: 'keep' },
      drift: { policy: 'keep', dashboards: [{ path: 'dashboards/p/b.yaml', change: 'changed' }] },
    });
    const other = await run(dir, ['apply', 'plan.json', '--drift', 'revert'], s.env);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('plan.json was reviewed with --drift keep');
    const same = await run(dir, ['apply', 'plan.json'], s.env);
    expect(same.code, same.stderr).toBe(0);
    expect(byName(s, 'B').definition).toMatchObject({ title: 'B (fixed in the UI)' });
  });

  it('a plan saved under revert before the drift happened is refused as stale, naming what it would undo', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    expect((await run(dir, ['plan', '--out', 'plan.json'], s.env)).code).toBe(0);
    await editInUi(s, 'B', uiDefinition('B', 'SELECT 7'));
    const apply = await run(dir, ['apply', 'plan.json'], s.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      '~ dashboards/p/b.yaml: a new change, not in the plan: it would revert a change made in the workspace since the plan was made ' +
        '(to keep that change, bring it into git: dashsync pull dashboards/p/b.yaml, commit, review)',
    );
    expect(byName(s, 'B').definition).toMatchObject({ widgets: [{ query: 'SELECT 7' }] });
  });
});

describe('a conflict is settled by editing the file', () => {
  it('both changed in different places: apply holds it back, pull merges the workspace change in, apply sends both', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    await editInUi(s, 'A', uiDefinition('A', 'SELECT 1', 'A (renamed in the UI)'));
    editFile(dir, 'dashboards/p/a.yaml', 'SELECT 1', 'SELECT 2');
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('  * dashboards/p/a.yaml  "A"');
    expect(plan.stdout).toContain('changed only in the file: definition.widgets[0].query');
    expect(plan.stdout).toContain('changed only in the workspace: definition.title');
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code).toBe(1);
    expect(byName(s, 'A').definition).toMatchObject({
      title: 'A (renamed in the UI)',
      widgets: [{ query: 'SELECT 1' }],
    });
    const pull = await run(dir, ['pull'], s.env);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toContain("merged the workspace's changes (definition.title) into the file");
    expect(read(dir, 'dashboards/p/a.yaml')).toContain('title: A (renamed in the UI)');
    expect(read(dir, 'dashboards/p/a.yaml')).toContain('query: SELECT 2');
    const after = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(after.code).toBe(2);
    expect(after.stdout).toContain('~ dashboards/p/a.yaml');
    expect(after.stdout).toContain('edited locally');
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect(byName(s, 'A').definition).toMatchObject({
      title: 'A (renamed in the UI)',
      widgets: [{ query: 'SELECT 2' }],
    });
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
  });

  it('one place changed two ways: shown base, yours and theirs; a file edited to hold the workspace value is a local edit', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    await editInUi(s, 'A', uiDefinition('A', 'SELECT 3'));
    editFile(dir, 'dashboards/p/a.yaml', 'SELECT 1', 'SELECT 2');
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(
      [
        '  ! dashboards/p/a.yaml  "A"',
        '      CONFLICT: changed both locally and in the workspace since the last sync; apply skips it unless --force',
      ].join('\n'),
    );
    expect(plan.stdout).toContain(
      [
        '      definition.widgets[0].query, changed two ways:',
        '        base:   "SELECT 1"',
        '        yours:  "SELECT 2"',
        '        theirs: "SELECT 3"',
      ].join('\n'),
    );
    // Settled in the file: theirs kept at that place, and an edit of our own beside it.
    editFile(dir, 'dashboards/p/a.yaml', 'SELECT 2', 'SELECT 3');
    editFile(dir, 'dashboards/p/a.yaml', 'title: A', 'title: A (reviewed)');
    const settled = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(settled.code, settled.stdout).toBe(2);
    expect(settled.stdout).toContain('edited locally; the file already holds the change made in the workspace');
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect(byName(s, 'A').definition).toMatchObject({ title: 'A (reviewed)', widgets: [{ query: 'SELECT 3' }] });
  });

  it('without the stored base (an old state, a cache miss) it is a conflict as before', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    await editInUi(s, 'A', uiDefinition('A', 'SELECT 1', 'A (UI)'));
    editFile(dir, 'dashboards/p/a.yaml', 'SELECT 1', 'SELECT 2');
    expect(existsSync(join(dir, '.dashsync', 'base'))).toBe(true);
    rmSync(join(dir, '.dashsync', 'base'), { recursive: true });
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('  ! dashboards/p/a.yaml  "A"');
    expect(plan.stdout).not.toContain('changed two ways');
  });

  it('apply --force with a file forces that file alone, not the rest of its project', async () => {
    const s = await server();
    const dir = await syncedFolder(s);
    for (const name of ['A', 'B']) {
      await editInUi(s, name, uiDefinition(name, 'SELECT 3'));
      editFile(dir, `dashboards/p/${name.toLowerCase()}.yaml`, 'SELECT 1', 'SELECT 2');
    }
    const forced = await run(dir, ['apply', '--force', '--yes', 'dashboards/p/a.yaml'], s.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(byName(s, 'A').definition).toMatchObject({ widgets: [{ query: 'SELECT 2' }] });
    expect(byName(s, 'B').definition).toMatchObject({ widgets: [{ query: 'SELECT 3' }] });
    expect((await run(dir, ['plan'], s.env)).stdout).toContain('! dashboards/p/b.yaml');
  });
});

describe('adoption by name', () => {
  async function namesake() {
    const s = await server();
    const ui = await s.store.save('user', 'p', { name: 'Revenue', definition: { made: 'in the UI' } });
    const dir = tree({ 'dashboards/p/revenue.yaml': dashboardYaml('Revenue') });
    return { s, dir, id: ui.id };
  }

  it('is a conflict naming the other dashboard when the content differs; apply replaces nothing', async () => {
    const { s, dir, id } = await namesake();
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('  ! dashboards/p/revenue.yaml  "Revenue"');
    expect(plan.stdout).toContain(`(dashboard ${id}, last changed `);
    expect(plan.stdout).toContain('dashsync apply --adopt dashboards/p/revenue.yaml replaces its content');
    const apply = await run(dir, ['apply', '--yes', '--force'], s.env);
    expect(apply.code).toBe(1);
    expect(s.store.get('user', 'p', id)!.definition).toEqual({ made: 'in the UI' });
    expect(read(dir, 'dashboards/p/revenue.yaml')).toBe(dashboardYaml('Revenue'));
    expect(s.store.count()).toBe(1);
  });

  it('with --adopt for the file, shows what it replaces, replaces it and writes its id', async () => {
    const { s, dir, id } = await namesake();
    const apply = await run(dir, ['apply', '--adopt', '--yes', 'dashboards/p/revenue.yaml'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain(`adopts existing dashboard ${id}`);
    expect(apply.stdout).toContain('-  made: in the UI');
    expect(s.store.get('user', 'p', id)!.definition).toMatchObject({ title: 'Revenue' });
    expect(read(dir, 'dashboards/p/revenue.yaml')).toContain(`id: ${id}`);
    expect(s.store.count()).toBe(1);
  });
});

describe('init and the binding agree', () => {
  it('after init, pull --scope organization, then a plain plan plans against organization', async () => {
    const s = await server();
    await s.store.save('organization', 'p', { name: 'Shared', definition: { widgets: [] } });
    const dir = tree();
    expect((await run(dir, ['init', '--url', s.url], {})).code).toBe(0);
    expect(read(dir, 'dashsync.yaml')).toContain('# scope: user');
    const env = { DASHSYNC_TOKEN: s.token };
    const pull = await run(dir, ['pull', '--scope', 'organization'], env);
    expect(pull.code, pull.stderr).toBe(0);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes. Remote matches local files.');
  });
});
