import { describe, expect, it } from 'vitest';
import { Document, parse } from 'yaml';
import { isPlainlyWritten, isRisky, parseFast, resolvePlain } from '../../src/local/fast-yaml.js';
import { parseLines } from '../../src/local/line-yaml.js';
import { fastYamlText } from '../../src/local/emit.js';
import { toYamlText } from '../../src/local/yaml.js';

let seed = 99;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const SCALARS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'True',
  'TRUE',
  'false',
  'null',
  'Null',
  'NULL',
  '~',
  '',
  ' ',
  '0',
  '-0',
  '+1',
  '007',
  '0o17',
  '0o8',
  '0x1F',
  '0xG',
  '0b101',
  '1_000',
  '1e3',
  '1E-3',
  '.5',
  '+.5',
  '5.',
  '-.inf',
  '.Inf',
  '.NaN',
  '.nan',
  'nan',
  'inf',
  '1:20',
  '2026-01-01',
  '2026-01-01T10:00:00Z',
  '12345678901234567890',
  '3.14159',
  '1.0',
  '#x',
  'a #b',
  'a: b',
  '- x',
  '[x]',
  '{x}',
  '"q"',
  "'q'",
  'a\nb',
  'a\n\nb\n',
  ' lead',
  'trail ',
  'tab\there',
  'ünï 📈',
  '\\',
  '%x',
  '@x',
  '`x',
  '<<',
  '=',
  '?',
  ':',
  '-',
  'SELECT *\nFROM t',
  '  indented\n  block\n',
];

function randomValue(depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.45) {
    const s = rand();
    if (s < 0.6) return pick(SCALARS);
    if (s < 0.7) return Math.floor(rand() * 1e6) * (rand() < 0.5 ? -1 : 1);
    if (s < 0.8) return rand() * 1000;
    if (s < 0.9) return rand() < 0.5;
    return null;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--)
    o[pick(SCALARS.filter((k) => !k.includes('\n')).concat(['a', 'b', 'title', 'query', '1', 'true']))] = randomValue(
      depth + 1,
    );
  return o;
}

// The same value written in many styles: block, flow, every scalar quoting the writer allows.
function styles(value: unknown): string[] {
  const out = [toYamlText(value as never)];
  const doc = new Document(value);
  out.push(
    doc.toString({ lineWidth: 0 }),
    doc.toString({ lineWidth: 20, minContentWidth: 0 }),
    doc.toString({ defaultStringType: 'QUOTE_SINGLE', lineWidth: 0 }),
    doc.toString({ defaultStringType: 'BLOCK_FOLDED', lineWidth: 30 }),
    doc.toString({ defaultStringType: 'BLOCK_LITERAL' }),
    doc.toString({ collectionStyle: 'flow', lineWidth: 0 }),
    doc.toString({ indent: 4, indentSeq: false }),
  );
  return out;
}

function mutate(text: string): string {
  const at = Math.floor(rand() * (text.length + 1));
  return (
    text.slice(0, at) +
    pick([' ', '\n', ':', '-', '#', '"', "'", '|', '>', '[', ']', '{', '}', ',', '  ', 'x']) +
    text.slice(at)
  );
}

describe('the fast parser agrees exactly with the exact one', () => {
  it('on 28,000 generated documents in many styles, and their mutations', () => {
    let compared = 0;
    let fastUsed = 0;
    for (let i = 0; i < Number(process.env.FAST_YAML_ROUNDS ?? 1200); i++) {
      const value = randomValue(0);
      for (const text of styles(value)) {
        for (const t of [text, mutate(text), mutate(mutate(text))]) {
          let exact: unknown;
          try {
            exact = parse(t, { schema: 'core', uniqueKeys: true, strict: true }) ?? null;
          } catch {
            exact = Symbol.for('error');
          }
          const fast = parseFast(t);
          if (fast === undefined) continue;
          fastUsed++;
          expect(exact, `text:\n${t}`).not.toBe(Symbol.for('error'));
          expect(fast, `text:\n${t}`).toEqual(exact);
          compared++;
        }
      }
    }
    console.log(`fast parser: ${compared} documents parsed by both and equal; ${fastUsed} taken by the fast path`);
    expect(compared).toBeGreaterThan(2500);
  });

  it('takes the files dashsync writes, and the examples, by the fast path', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(__dirname, '..', '..', 'examples', 'dashboards');
    for (const p of readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(dir, p), 'utf8');
      expect(parseFast(text), p).toEqual(parse(text));
      expect(parseFast(toYamlText(parse(text))), p).toEqual(parse(text));
    }
  });

  it('writes new files fast, and what it writes reads back as exactly the value', () => {
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const v = { id: `id-${i}`, name: String(pick(SCALARS)), definition: randomValue(0) };
      const def =
        v.definition !== null && typeof v.definition === 'object' && !Array.isArray(v.definition)
          ? v.definition
          : { v: v.definition };
      const value = { ...v, definition: def };
      const text = fastYamlText(value as never);
      expect(parse(text, { schema: 'core' }), text).toEqual(value);
      if (text !== toYamlText(value as never)) fast++;
    }
    expect(fast).toBeGreaterThan(0);
  });

  it('reads by lines only what it reads exactly as yaml does, on generated documents and block-scalar edge cases', () => {
    const exactOf = (t: string): unknown => {
      try {
        return parse(t, { schema: 'core', uniqueKeys: true, strict: true }) ?? null;
      } catch {
        return Symbol.for('error');
      }
    };
    let taken = 0;
    const check = (t: string): void => {
      if (isRisky(t) || !isPlainlyWritten(t)) return; // what parseFast leaves to the exact parser
      const lines = parseLines(t, resolvePlain);
      if (lines === undefined) return;
      taken++;
      expect(exactOf(t), `text:\n${t}`).not.toBe(Symbol.for('error'));
      expect(lines, `text:\n${t}`).toEqual(exactOf(t));
    };
    for (let i = 0; i < Number(process.env.LINE_YAML_ROUNDS ?? 2500); i++)
      for (const text of styles(randomValue(0))) for (const t of [text, mutate(text), mutate(mutate(text))]) check(t);
    const edges = [
      'a: |\n  x\n\n\n',
      'a: |-\n  x\n\n',
      'a: |+\n  x\n\n\n',
      'a: |+\n  x\n',
      'a: |\n  x\n   \n  y\n',
      'a: |\n  x\n\n  y\nb: 1\n',
      'a: |\n\n  x\n',
      'a: |\n   \n  x\n',
      'a: |\n  x',
      'a: |\n    x\n  y\n',
      'a: |\n x\n',
      '- |\n x\n',
      '- |\n  x\n',
      '- a: |\n   x\n',
      '- a: |\n    x\n  b: 2\n',
      'a:\n- x\n- y\nb: 1\n',
      'a:\n  - x\nb:\n',
      '- a:\n  - x\n- b\n',
      '"y": 1\nn: "a: b"\n',
      "a: 'it''s'\n",
      "a: 'x' y'\n",
      'a: b\n  c\n',
      'a: b # c\n',
      '# top\na: 1\n  # in\nb: 2\n',
      'a: 1\n  b: 2\n',
      '  a: 1\n  b: 2\n',
      'a: |\n  # not a comment\n# a comment\nb: x\n',
      'a: -1\nb: -x\nc: :x\nd: x:y\n',
      '- \n  a: 1\n',
      'a: 0o17\nb: 1e3\nc: .5\nd: ~\ne: Null\nf: .inf\n',
    ];
    for (const t of edges) check(t);
    console.log(`line reader: ${taken} documents read by lines and equal`);
    expect(taken).toBeGreaterThan(2500);
  });

  it('leaves aliases, tags and directives to the exact parser', () => {
    expect(parseFast('a: &x [1]\nb: *x\n')).toBeUndefined();
    expect(parseFast('a: !!binary aGk=\n')).toBeUndefined();
    expect(parseFast('%YAML 1.1\n---\na: yes\n')).toBeUndefined();
    expect(parseFast('a: 1\na: 2\n')).toBeUndefined();
    expect(parseFast('q: SELECT * FROM t\n')).toEqual({ q: 'SELECT * FROM t' });
  });
});

describe('a text just written and checked is not parsed again', () => {
  it('hands the checked tree to the next read of that text once, and never to another text', () => {
    const value = { name: 'Sales', definition: { widgets: [{ type: 'chart', query: 'select 1' }], refresh: 30 } };
    const text = fastYamlText(value);
    const first = parseFast(text);
    expect(first).toEqual(value);
    // Handed over once: the next read of the same text is a tree of its own, equal but not shared.
    const second = parseFast(text);
    expect(second).toEqual(value);
    expect(second).not.toBe(first);
    // A different text read next is parsed as itself, never given the kept tree.
    const other = fastYamlText(value);
    expect(parseFast(other.replace('Sales', 'Costs'))).toEqual({ ...value, name: 'Costs' });
    expect(parseFast(other)).toEqual(value);
  });
});
