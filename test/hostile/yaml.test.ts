import { describe, expect, it } from 'vitest';
import { dashboardYaml, read, run, tree, useEmulators } from '../helpers.js';

/*
 * YAML that means something other than it seems. Merge keys (`<<: *defaults`) are refused with
 * their position (dashsync would otherwise deploy a key named `<<`): both parsers agree on that, the
 * exact one and the fast path. A quoted "<<" is an ordinary key, and round-trips as one.
 */

const server = useEmulators();

describe('YAML merge keys', () => {
  it.each([
    [
      'an alias',
      'name: A\ndefinition:\n  base: &base\n    type: chart\n  widget:\n    <<: *base\n    query: SELECT 1\n',
      6,
      5,
    ],
    [
      'an inline mapping (the fast path)',
      'name: A\ndefinition:\n  widget:\n    <<: {type: chart}\n    query: x\n',
      4,
      5,
    ],
    ['a list of aliases', 'name: A\ndefinition:\n  a: &a {x: 1}\n  b:\n    <<: [*a]\n', 5, 5],
  ])(
    'are refused at their line and column when they merge %s, and nothing is deployed',
    async (_what, text, line, col) => {
      const s = await server();
      const dir = tree({ 'dashboards/p/a.yaml': text, 'dashboards/p/b.yaml': dashboardYaml('B') });
      const v = await run(dir, ['validate'], s.env);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain(
        `dashboards/p/a.yaml:${line}:${col}: YAML merge keys (<<) are not supported: write the keys out`,
      );
      const r = await run(dir, ['apply', '--yes'], s.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`dashboards/p/a.yaml:${line}:${col}: YAML merge keys`);
      expect(s.store.list('user')).toHaveLength(0);
    },
  );

  it('are refused in dashsync.yaml too, at their position', async () => {
    const dir = tree({
      'dashsync.yaml': 'base: &base\n  url: https://x.example\nenvironments:\n  prod:\n    <<: *base\n',
    });
    const r = await run(dir, ['validate'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dashsync.yaml:5:5: YAML merge keys (<<) are not supported');
  });

  it('a quoted "<<" is an ordinary key: pulled as one, read back as one, and plan is a no-op', async () => {
    const s = await server();
    await s.store.save('user', 'p', { name: 'Odd', definition: { '<<': { a: 1 }, b: 2 } });
    const dir = tree();
    expect((await run(dir, ['pull'], s.env)).code).toBe(0);
    expect(read(dir, 'dashboards/p/odd.yaml')).toContain('"<<":');
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout).toBe(0);
    expect(s.store.list('user', 'p')[0]!.definition).toEqual({ '<<': { a: 1 }, b: 2 });
  });
});
