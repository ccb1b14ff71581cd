import { describe, expect, it } from 'vitest';
import { read, run, write, useEmulators, syncedFolder } from '../helpers.js';

// Issue 12.5: skipped work fails the run, and plan's counts and exit code say what apply will do.

const server = useEmulators();

async function synced() {
  const s = await server();
  return { s, dir: await syncedFolder(s) };
}

describe('conflicts and exit codes', () => {
  it('does not count a conflicted create as work, and apply that skips it exits 1', async () => {
    const { s, dir } = await synced();
    const a = s.store.list('user', 'p').find((d) => d.name === 'A')!;
    await s.store.delete('user', 'p', a.id);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));

    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.stdout).toContain('! dashboards/p/a.yaml');
    expect(plan.stdout).toContain(
      'Plan: 0 to create, 0 to update, 0 to delete. 1 in conflict, not counted above: apply skips it and fails unless --force.',
    );
    expect(plan.code).toBe(1);

    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain(
      'Apply incomplete (skipped changes were not deployed): 0 created, 0 updated, 0 deleted, 1 skipped.',
    );
    expect(s.store.list('user', 'p').map((d) => d.name)).toEqual(['B']);

    const forcedPlan = await run(dir, ['plan', '--force', '--detailed-exitcode'], s.env);
    expect(forcedPlan.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete. 1 in conflict (forced).');
    expect(forcedPlan.code).toBe(2);
    const forced = await run(dir, ['apply', '--yes', '--force'], s.env);
    expect(forced.code).toBe(0);
    expect(
      s.store
        .list('user', 'p')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  it('exits 1 when apply skips an update in conflict, and says what it did apply', async () => {
    const { s, dir } = await synced();
    const a = s.store.list('user', 'p').find((d) => d.name === 'A')!;
    await s.store.save('user', 'p', { id: a.id, name: 'A', definition: { edited: 'in the UI' } });
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    write(dir, 'dashboards/p/b.yaml', read(dir, 'dashboards/p/b.yaml').replace('SELECT 1', 'SELECT 3'));
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete. 1 in conflict');
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('0 created, 1 updated, 0 deleted, 1 skipped.');
    expect(s.store.get('user', 'p', a.id)!.definition).toEqual({ edited: 'in the UI' });
  });
});
