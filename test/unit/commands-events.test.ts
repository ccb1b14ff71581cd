import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply, init, plan, pull } from '../../src/index.js';
import type { CommandEvent } from '../../src/contract/events.js';
import type { Reporter } from '../../src/contract/reporter.js';
import type { ConfirmRequest } from '../../src/contract/confirm.js';
import { silentReporter } from '../../src/contract/reporter.js';
import { EXIT, applyExitCode, planExitCode, pullExitCode } from '../../src/exit-codes.js';
import { showCommandEvent } from '../../src/report/command-text.js';
import { makeStyle } from '../../src/report/style.js';
import { confirmQuestion } from '../../src/report/prompt-text.js';
import { dashboardYaml, tree, write } from '../helpers.js';
import { MemoryClient, inMemoryOptions } from '../memory-client.js';

// Commands through their library API with an in-memory client: what they show is events with data,
// what they decide is their result; the terminal text of those events is checked apart, below.

/** A reporter that keeps the events commands show. */
function showing(): Reporter & { shown: CommandEvent[] } {
  const shown: CommandEvent[] = [];
  return { ...silentReporter, shown, show: (e) => shown.push(e) };
}

const options = inMemoryOptions;

describe('apply asks before it changes anything', () => {
  it('shows the whole plan for confirmation, asks naming the workspace, and on "no" changes nothing and exits 1', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const reporter = showing();
    const asked: ConfirmRequest[] = [];
    const result = await apply({
      ...options(dir, client, reporter),
      confirm: async (request) => (asked.push(request), false),
    });
    expect(result.applied).toBe(false);
    expect(client.calls).toEqual([]);
    expect(asked).toEqual([{ run: 'apply', url: 'http://127.0.0.1:9/api/v1', scope: 'user' }]);
    expect(reporter.shown.map((e) => e.type)).toEqual(['plan', 'cancelled']);
    expect(reporter.shown[0]).toMatchObject({ type: 'plan', confirming: true, dir: 'dashboards' });
    expect(applyExitCode(result)).toBe(EXIT.error);
  });

  it('on "yes" carries the plan out and shows what it did', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const reporter = showing();
    const result = await apply({ ...options(dir, client, reporter), confirm: async () => true });
    expect(client.calls).toEqual(['save p/(new)']);
    expect(reporter.shown.at(-1)).toMatchObject({ type: 'executed', run: 'apply', interrupted: false });
    expect(applyExitCode(result)).toBe(EXIT.ok);
  });

  it('does not ask with yes, and the plan it shows is not marked for confirmation', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const reporter = showing();
    let asked = false;
    await apply({ ...options(dir, client, reporter), yes: true, confirm: async () => (asked = true) });
    expect(asked).toBe(false);
    expect(reporter.shown[0]).toMatchObject({ type: 'plan', confirming: false });
  });
});

describe('a saved plan, in process', () => {
  it('applies exactly what plan --out saved, and refuses it as stale once the file changed', async () => {
    const client = new MemoryClient();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const reporter = showing();
    await plan({ ...options(dir, client, reporter), out: 'plan.json' });
    expect(reporter.shown.map((e) => e.type)).toEqual(['plan', 'plan-saved']);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { workspace: unknown };
    expect(JSON.stringify(saved)).not.toContain('in-memory');
    write(dir, 'dashboards/p/b.yaml', dashboardYaml('B', '\n    - type: text'));
    await expect(apply({ ...options(dir, client), planFile: 'plan.json' })).rejects.toThrow(
      /stale plan: plan.json no longer matches[\s\S]*\+ dashboards\/p\/b.yaml: the file changed since the plan was made/,
    );
    expect(client.calls).toEqual([]);
  });
});

describe('plan and pull, in process', () => {
  it('plan in a folder with no project folders says how many dashboards the workspace holds', async () => {
    const client = new MemoryClient();
    client.seed('p', { name: 'A', definition: {} });
    client.seed('q', { name: 'B', definition: {} });
    const dir = tree({ 'dashboards/.gitkeep': '' });
    const reporter = showing();
    const result = await plan(options(dir, client, reporter));
    expect(reporter.shown[0]).toMatchObject({ type: 'plan', unmanagedRemote: { count: 2, scope: 'user' } });
    expect(planExitCode(result, { detailedExitcode: true })).toBe(EXIT.ok);
  });

  it('plan --detailed-exitcode gives 2 for changes and 1 for an error in the plan', async () => {
    const client = new MemoryClient();
    const changed = await plan(options(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), client));
    expect(planExitCode(changed, { detailedExitcode: true })).toBe(EXIT.changes);
    expect(planExitCode(changed, {})).toBe(EXIT.ok);
    const foreign = client.seed('other', { name: 'X', definition: {} });
    const wrong = await plan(options(tree({ 'dashboards/p/a.yaml': dashboardYaml('A', '', foreign) }), client));
    expect(planExitCode(wrong, { detailedExitcode: true })).toBe(EXIT.error);
  });

  it('pull writes what the workspace has and shows each change, then finds nothing to do', async () => {
    const client = new MemoryClient();
    const id = client.seed('p', { name: 'Sales', definition: { widgets: [] } });
    const dir = tree({ 'dashboards/.gitkeep': '' });
    const reporter = showing();
    const first = await pull(options(dir, client, reporter));
    expect(first.changes.map((c) => [c.kind, c.path, c.id])).toEqual([['new', 'dashboards/p/sales.yaml', id]]);
    expect(reporter.shown).toEqual([{ type: 'pulled', changes: first.changes, unchanged: 0, literals: [] }]);
    expect(readFileSync(join(dir, 'dashboards/p/sales.yaml'), 'utf8')).toContain(`id: ${id}`);
    const second = await pull(options(dir, client));
    expect(second).toEqual({ changes: [], unchanged: 1, literals: [] });
    expect(pullExitCode(second)).toBe(EXIT.ok);
  });

  it('pull keeps a file edited on both sides, and the next plan still calls it a conflict, not an update', async () => {
    const client = new MemoryClient();
    const id = client.seed('p', { name: 'Sales', definition: { widgets: [] } });
    const dir = tree({ 'dashboards/.gitkeep': '' });
    await pull(options(dir, client));
    const path = 'dashboards/p/sales.yaml';
    write(dir, path, readFileSync(join(dir, path), 'utf8').replace('widgets: []', 'widgets: [mine]'));
    await client.save('p', { id, name: 'Sales', definition: { widgets: ['theirs'] } });
    const kept = await pull(options(dir, client));
    expect(kept.changes.map((change) => change.kind)).toEqual(['kept']);
    expect(readFileSync(join(dir, path), 'utf8')).toContain('mine');
    const { plan: planned } = await plan(options(dir, client));
    expect(planned.actions).toMatchObject([{ kind: 'update', reason: 'conflict', path }]);
    const result = await apply({ ...options(dir, client), yes: true });
    expect(result.summary).toMatchObject({ updated: 0, skipped: 1 });
    expect(JSON.stringify(client.dashboards.get(id)?.definition)).toContain('theirs');
  });

  it('init scaffolds the repository and shows what it wrote', async () => {
    const dir = tree({});
    const reporter = showing();
    const result = await init({ cwd: dir, url: 'http://127.0.0.1:9', reporter });
    expect(existsSync(join(dir, 'dashsync.yaml'))).toBe(true);
    expect(reporter.shown).toEqual([{ type: 'initialized', ...result, schemas: expect.any(Object) }]);
  });
});

describe('terminal text of command events', () => {
  const lines = (quiet: boolean, e: CommandEvent): { info: string[]; result: string[] } => {
    const kept = { info: [] as string[], result: [] as string[] };
    showCommandEvent(e, {
      style: makeStyle(false),
      quiet,
      info: (t) => kept.info.push(t),
      result: (t) => kept.result.push(t),
      warn: () => {},
    });
    return kept;
  };
  const planEvent = async (confirming: boolean): Promise<CommandEvent> => {
    const client = new MemoryClient();
    const { plan: planned } = await plan(options(tree({ 'dashboards/p/a.yaml': dashboardYaml('A') }), client));
    return { type: 'plan', plan: planned, dir: 'dashboards', prune: false, confirming };
  };

  it('--quiet keeps only the summary line of a plan, but the whole plan when it is put to the user', async () => {
    expect(lines(true, await planEvent(false))).toEqual({
      info: [],
      result: ['Plan: 1 to create, 0 to update, 0 to delete.'],
    });
    const whole = lines(true, await planEvent(true)).result[0]!;
    expect(whole).toContain('+ dashboards/p/a.yaml');
    expect(whole.split('\n').at(-1)).toBe('Plan: 1 to create, 0 to update, 0 to delete.');
    expect(lines(false, await planEvent(false)).info[0]).toContain('+ dashboards/p/a.yaml');
  });

  it('the confirmation question names the workspace, its scope and its environment', () => {
    expect(confirmQuestion({ run: 'apply', url: 'http://h/api/v1', scope: 'user', env: 'prod' })).toBe(
      "Apply these changes to http://h/api/v1 (scope user, environment prod)? Only 'yes' will be accepted: ",
    );
    expect(confirmQuestion({ run: 'migrate', url: 'http://h/api/v1', to: 'prod' })).toBe(
      "Copy these changes into prod (http://h/api/v1)? Only 'yes' will be accepted: ",
    );
  });

  it('a cancelled run and a finished run end in one line each, kept by --quiet', () => {
    expect(lines(true, { type: 'cancelled', run: 'migrate' }).result).toEqual([
      'Migration cancelled: nothing was changed.',
    ]);
    const summary = {
      ...{ created: 2, updated: 1, deleted: 0, linked: 0, failed: 0, skipped: 0, notStarted: 0 },
      ...{ idsNotWritten: 0, duplicated: 0 },
    };
    expect(lines(true, { type: 'executed', run: 'apply', summary, interrupted: false }).result).toEqual([
      'Apply complete: 2 created, 1 updated, 0 deleted.',
    ]);
  });
});
