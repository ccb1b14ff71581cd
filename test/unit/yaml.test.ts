import { describe, expect, it } from 'vitest';
import { readDashboardBytes } from '../../src/local/dashboard-file.js';
import { dashboardText, setIdInText } from '../../src/local/writeback.js';
import { parseYaml, toYamlText } from '../../src/local/yaml.js';

const tricky = {
  strings: [
    'yes',
    'no',
    'on',
    'off',
    'y',
    'true',
    '0x1F',
    '1e3',
    '012',
    'null',
    '~',
    '2026-01-01',
    '',
    '1:20',
    ' lead',
    'trail ',
    '#hash',
    '- dash',
    'a: b',
  ],
  unicode: 'Ünïcødé ✓ 📈 日本語',
  empty: { obj: {}, arr: [] },
  nothing: null,
  deep: { a: { b: { c: { d: { e: { f: [1, [2, [3, { g: 'h' }]]] } } } } } },
  multi: 'SELECT a,\n  b\nFROM t\nWHERE x = 1\n',
  multiNoTrail: 'line one\nline two',
  trailingSpaces: 'line  \nnext  ',
  control: 'tab\there\u0007bell',
  numbers: [0, -1, 1.5, 1e21, 123456789],
  bools: [true, false],
};

describe('YAML fidelity', () => {
  it('writes values that read back as exactly the same JSON', () => {
    const text = toYamlText({ id: 'x', name: 'N', definition: tricky });
    expect(parseYaml(text).value).toEqual({ id: 'x', name: 'N', definition: tricky });
  });

  it('quotes strings that YAML 1.1 readers would take for other types', () => {
    const text = toYamlText({ a: 'yes', b: 'on', c: '2026-01-01', d: 'plain' });
    expect(text).toContain('a: "yes"');
    expect(text).toContain('b: "on"');
    expect(text).toContain('c: "2026-01-01"');
    expect(text).toContain('d: plain');
  });

  it('writes multi-line strings as block scalars so diffs go line by line', () => {
    const text = toYamlText({ q: 'SELECT a\nFROM t\n' });
    expect(text).toBe('q: |\n  SELECT a\n  FROM t\n');
  });

  it('never folds long lines', () => {
    const long = 'word '.repeat(60).trim();
    expect(toYamlText({ long }).trim()).toBe(`long: ${long}`);
  });
});

describe('id write-back', () => {
  const original =
    '# Owned by the sales team\nname: "Sales"   # quoted on purpose\n\ndefinition:\n  b: 1\n  a: [1, 2]  # flow list\n';

  it('adds the id line and changes no other byte', () => {
    const out = setIdInText(original, 'abc-123');
    expect(out).toBe(
      `# Owned by the sales team\nid: abc-123\nname: "Sales"   # quoted on purpose\n\ndefinition:\n  b: 1\n  a: [1, 2]  # flow list\n`,
    );
  });

  it('replaces an existing id in place', () => {
    const out = setIdInText(`name: A\nid: 'old'  # keep\ndefinition: {}\n`, 'new-1');
    expect(out).toBe('name: A\nid: new-1  # keep\ndefinition: {}\n');
  });

  it('quotes an id that would read as another type', () => {
    const out = setIdInText('name: A\ndefinition: {}\n', '12345');
    expect(parseYaml(out).value).toEqual({ id: '12345', name: 'A', definition: {} });
  });

  it('handles a flow-mapping file by a structural edit', () => {
    const out = setIdInText('{name: A, definition: {x: 1}}\n', 'id-1');
    expect(parseYaml(out).value).toEqual({ id: 'id-1', name: 'A', definition: { x: 1 } });
  });
});

describe('rewriting a pulled file', () => {
  it('keeps comments and the user key order where the content allows', () => {
    const existing = '# header comment\nname: A\nid: id-1\ndefinition:\n  # the title\n  title: Old\n  z: 1\n  a: 2\n';
    const out = dashboardText(
      { id: 'id-1', name: 'A', definition: { a: 2, title: 'New', z: 1, added: true } },
      existing,
    );
    expect(out).toBe(
      '# header comment\nname: A\nid: id-1\ndefinition:\n  # the title\n  title: New\n  z: 1\n  a: 2\n  added: true\n',
    );
  });

  it('writes new files with id, name and definition in that order', () => {
    expect(dashboardText({ id: 'i', name: 'Name', definition: { x: 1 } })).toBe(
      'id: i\nname: Name\ndefinition:\n  x: 1\n',
    );
  });
});

describe('reading dashboard files', () => {
  const read = (text: string | Buffer) =>
    readDashboardBytes(typeof text === 'string' ? Buffer.from(text) : text, 'd/p/f.yaml');

  it('accepts a valid file', () => {
    expect(read('id: a\nname: A\ndefinition: {}\n')).toMatchObject({
      ok: true,
      content: { id: 'a', name: 'A', definition: {} },
    });
  });

  it.each([
    ['name: A\ndefinition: {}\nwidgets: []\n', 3, 1, 'unknown key "widgets" (allowed: id, name, definition)'],
    ['name: A\n', 1, 1, 'missing key "definition"'],
    ['name: 5\ndefinition: {}\n', 1, 7, '"name" must be a string'],
    ['name: A\ndefinition: [1]\n', 2, 13, '"definition" must be a mapping'],
    ['name: A\nname: B\ndefinition: {}\n', 2, 1, 'the key "name" appears twice in this mapping'],
    ['name: A\ndefinition:\n  "a b": 1\n  "a b": 2\n', 4, 3, 'the key "a b" appears twice in this mapping'],
    ['name: A\ndefinition: {}\n---\nname: B\n', 3, 1, 'more than one YAML document (a line --- starts another)'],
    ['name: A\ndefinition:\n  x: [1, 2\n', 4, 1, 'Flow sequence'],
    ['name: ""\ndefinition: {}\n', 1, 7, '"name" must not be empty'],
    ['id: 12\nname: A\ndefinition: {}\n', 1, 5, '"id" must be a string'],
    ['name: A\ndefinition: {x: .inf}\n', 2, 17, 'not a JSON number'],
    ['- a\n- b\n', 1, 1, 'the file must be a mapping'],
    ['', 1, 1, 'empty file'],
  ])('reports %j at its line and column', (text, line, col, message) => {
    const r = read(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]).toMatchObject({ path: 'd/p/f.yaml', line, col });
      expect(r.problems[0]!.message).toContain(message);
    }
  });

  it('says a file nests too deeply, however deep: past 200 levels and past what the parser itself can hold', () => {
    const block = `name: A\ndefinition:\n${Array.from({ length: 250 }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n')} 1\n`;
    for (const levels of [250, 1000, 20000]) {
      const text = levels === 250 ? block : `name: A\ndefinition:\n  a: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
      const r = read(text);
      expect(r.ok, `${levels} levels`).toBe(false);
      if (!r.ok) expect(r.problems[0]!.message, `${levels} levels`).toBe('nesting deeper than 200 levels');
    }
  });

  it('refuses binary files and invalid UTF-8 with a position', () => {
    const bin = read(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x00, 0x01]));
    expect(bin).toMatchObject({
      ok: false,
      problems: [{ line: 1, col: 5, message: expect.stringContaining('binary') }],
    });
    const bad = read(
      Buffer.concat([Buffer.from('name: A\ndefinition:\n  x: caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    expect(bad).toMatchObject({ ok: false, problems: [{ line: 3, col: 9, message: 'not valid UTF-8 text' }] });
  });

  it('stops alias bombs without expanding them', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const r = read(
      `name: A\ndefinition:\n${bomb
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}\n`,
    );
    expect(r.ok).toBe(false);
  });
});
