import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/local/yaml.js';
import { run, tree, useEmulators } from '../../helpers.js';

/*
 * Files as their owners wrote them: apply's id write-back and pull's rewrite keep a byte-order
 * mark, CRLF line endings and the file's mode, and the id goes at the top (below a BOM, leading
 * comments and a document marker, above the first key), every other byte as it was.
 */

const server = useEmulators();
const BOM = '\uFEFF';

const idOf = (s: { store: { list(scope: string, project: string): Array<{ id: string }> } }): string =>
  s.store.list('user', 'p')[0]!.id;

describe('id write-back', () => {
  it('keeps a byte-order mark, CRLF line endings and a read-only mode, with the id above the first key', async () => {
    const s = await server();
    const body = '# Revenue, owned by finance\r\n\r\nname: Revenue\r\ndefinition:\r\n  widgets: []\r\n';
    const dir = tree({ 'dashboards/p/a.yaml': BOM + body });
    const path = join(dir, 'dashboards/p/a.yaml');
    chmodSync(path, 0o444);
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    const id = idOf(s);
    expect(readFileSync(path, 'utf8')).toBe(
      `${BOM}# Revenue, owned by finance\r\n\r\nid: ${id}\r\nname: Revenue\r\ndefinition:\r\n  widgets: []\r\n`,
    );
    expect(statSync(path).mode & 0o777).toBe(0o444);
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('keeps both byte-order marks of a file that starts with two', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': `${BOM}${BOM}name: Two\ndefinition:\n  w: 1\n` });
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'dashboards/p/a.yaml'), 'utf8')).toBe(
      `${BOM}${BOM}id: ${idOf(s)}\nname: Two\ndefinition:\n  w: 1\n`,
    );
  });

  it.each([
    ['a flow mapping', '{name: A, definition: {w: 1}}\n'],
    ['a document marker', '%YAML 1.2\n---\n# c\nname: A # the name\ndefinition: {w: 1}\n'],
    ['a key in quotes', '"name": A\ndefinition:\n  w: 1\n'],
  ])('puts the id first in %s', async (_what, text) => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': BOM + text });
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(join(dir, 'dashboards/p/a.yaml'), 'utf8');
    expect(written.startsWith(BOM)).toBe(true);
    const value = parseYaml(written.slice(1)).value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['id', 'name', 'definition']);
    expect(value).toEqual({ id: idOf(s), name: 'A', definition: { w: 1 } });
  });
});

describe('pull rewriting a file', () => {
  it('keeps its mode, byte-order mark and CRLF line endings', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': 'name: A\ndefinition:\n  w: 1\n' });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const path = join(dir, 'dashboards/p/a.yaml');
    const applied = readFileSync(path, 'utf8');
    writeFileSync(path, BOM + applied.replace(/\n/g, '\r\n'));
    chmodSync(path, 0o600);
    expect((await run(dir, ['plan', '--detailed-exitcode'], s.env)).code).toBe(0);
    const d = s.store.list('user', 'p')[0]!;
    await s.store.save('user', 'p', { id: d.id, name: 'A', definition: { w: 2 } });
    const r = await run(dir, ['pull'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 updated');
    expect(readFileSync(path, 'utf8')).toBe(`${BOM}id: ${d.id}\r\nname: A\r\ndefinition:\r\n  w: 2\r\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
