import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, read, run, tree, useEmulators } from '../../helpers.js';

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

describe('YAML that JSON cannot hold exactly', () => {
  it('a recursive alias is a problem of its file only: validate and plan of the other files, or with it excluded, run', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/a.yaml': 'name: R\ndefinition: &r {self: *r}\n',
      'dashboards/p/b.yaml': dashboardYaml('B'),
    });
    const all = await run(dir, ['validate'], s.env);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('dashboards/p/a.yaml:2:23: an alias inside its own anchor');
    expect(all.stdout + all.stderr).not.toContain('Maximum call stack');
    const one = await run(dir, ['validate', 'dashboards/p/b.yaml'], s.env);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    const plan = await run(dir, ['plan', '--exclude', 'dashboards/p/a.yaml'], s.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('B');
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('dashboards/p/a.yaml:2:23: an alias inside its own anchor');
    expect(s.store.list('user')).toHaveLength(0);
  });

  it.each([
    [
      'a !!merge tag',
      'name: A\ndefinition:\n  !!merge <<: {a: 1}\n  b: 2\n',
      '3:11: YAML merge keys (<<) are not supported',
    ],
    [
      'a !!merge tag on another key',
      'name: A\ndefinition:\n  !!merge x: {a: 1}\n',
      '3:11: YAML merge keys (<<) are not supported',
    ],
    ['keys that collide as text', 'name: A\ndefinition: {"1": a, 1: b}\n', '2:22: key "1" appears twice'],
    ['a key that is a list', 'name: A\ndefinition:\n  ? [a]\n  : 1\n', '3:5: a key must be text or a number'],
    ['an integer past 2^53', 'name: A\ndefinition:\n  big: 9007199254740993\n', '3:8: 9007199254740993 is too large'],
    [
      'a hex integer past 2^53',
      'name: A\ndefinition:\n  big: 0x20000000000001\n',
      '3:8: 0x20000000000001 is too large',
    ],
  ])(
    '%s is refused at its position, with no warning on stderr, and nothing is deployed',
    async (_what, text, where) => {
      const s = await server();
      const dir = tree({ 'dashboards/p/a.yaml': text });
      const v = await run(dir, ['validate'], s.env);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain(`dashboards/p/a.yaml:${where}`);
      expect(v.stderr).not.toContain('Warning');
      const r = await run(dir, ['apply', '--yes'], s.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`dashboards/p/a.yaml:${where}`);
      expect(s.store.list('user')).toHaveLength(0);
    },
  );

  it('an integer up to 2^53 and a large float are kept', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': 'name: A\ndefinition: {max: 9007199254740991, f: 1e300}\n' });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    expect(s.store.list('user', 'p')[0]!.definition).toEqual({ max: 9007199254740991, f: 1e300 });
  });

  it('a number past 2^53 that a double holds exactly (a server 1e16) is pulled, read back and deployed unchanged', async () => {
    const s = await server();
    const definition = { a: 1e16, b: 1.5e16, c: -9007199254740992, d: 1e300 };
    await s.store.save('user', 'p', { name: 'Big', definition });
    const dir = tree();
    const pulled = await run(dir, ['pull'], s.env);
    expect(pulled.code, pulled.stdout).toBe(0);
    expect(read(dir, 'dashboards/p/big.yaml')).toContain('a: 10000000000000000');
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // A fresh clone (no sync state) reads the file and finds it equal too.
    rmSync(join(dir, '.dashsync'), { recursive: true, force: true });
    const again = await run(dir, ['apply', '--yes'], s.env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(s.store.list('user', 'p')[0]!.definition).toEqual(definition);
  });
});
