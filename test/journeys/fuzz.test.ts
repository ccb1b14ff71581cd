import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/config/file.js';
import { FileError } from '../../src/errors.js';
import { readDashboardBytes } from '../../src/local/dashboard-file.js';
import { run, tree } from '../helpers.js';

let seed = 424242;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const SEEDS = [
  'id: abc\nname: Sales\ndefinition:\n  widgets:\n    - type: chart\n      query: |\n        SELECT 1\n        FROM t\n',
  'name: "Quoted"\ndefinition: {a: [1, 2, {b: c}], d: null, e: "yes"}\n',
  "# comment\nname: 'x'\ndefinition:\n  deep: {a: {b: {c: {d: [[[]]]}}}}\n",
  'name: A\ndefinition:\n  anchors: &x {k: v}\n  ref: *x\n',
];
const INSERTS = [
  '\n',
  ':',
  ' ',
  '-',
  '[',
  ']',
  '{',
  '}',
  '&a',
  '*a',
  '!!binary',
  '!tag',
  '"',
  "'",
  '|',
  '>',
  '#',
  '\t',
  '---',
  '...',
  '%YAML 1.2',
  '<<: *a',
  '\u0000',
  '\u00ff',
  '\ud83d\ude00',
  '? ',
  ',',
  '@',
  '`',
  '\r\n',
  '\ufeff',
];

function mutate(text: string): Buffer {
  let b = Buffer.from(text);
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (b.length + 1));
    switch (Math.floor(rand() * 5)) {
      case 0:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(INSERTS)), b.subarray(at)]);
        break;
      case 1:
        b = b.subarray(0, at);
        break;
      case 2:
        if (b.length) b[Math.min(at, b.length - 1)] = Math.floor(rand() * 256);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(rand() * 8)))]);
        break;
      default:
        b = Buffer.concat([b, b.subarray(0, at)]);
    }
  }
  return b;
}

function generated(i: number): Buffer {
  switch (i % 6) {
    case 0:
      return Buffer.from(
        `name: N\ndefinition:\n${'  '.repeat(1)}x: ${'['.repeat(50 + (i % 400))}${']'.repeat(50 + (i % 400))}\n`,
      );
    case 1: {
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
      for (let k = 1; k < 12; k++)
        lines.push(
          `${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(10)
            .fill(`*${String.fromCharCode(96 + k)}`)
            .join(',')}]`,
        );
      return Buffer.from(`name: Bomb\ndefinition:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    case 2:
      return Buffer.from(`name: A\nname: B\ndefinition: {}\n`);
    case 3:
      return Buffer.from(Array.from({ length: 64 + (i % 200) }, () => Math.floor(rand() * 256)));
    case 4:
      return Buffer.from(
        `${pick(['id', 'name', 'definition', 'extra'])}: ${pick(['1', '[]', '{}', 'null', '~', 'true', '"s"', '.nan', '.inf', '!!binary aGk=', '2026-01-01'])}\n`,
      );
    default:
      return Buffer.from(
        `name: X\ndefinition:\n${'  a:\n'.repeat(1)}${Array.from({ length: 300 }, (_, d) => `${'  '.repeat(d + 2)}k:`).join('\n')} 1\n`,
      );
  }
}

function checkResult(bytes: Buffer, label: string): void {
  const started = Date.now();
  const r = readDashboardBytes(bytes, 'd/p/f.yaml');
  expect(Date.now() - started, `${label} took too long`).toBeLessThan(2000);
  if (r.ok) {
    expect(typeof r.content.name).toBe('string');
    expect(r.content.definition).toBeTypeOf('object');
    return;
  }
  expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) {
    expect(p.line, label).toBeGreaterThanOrEqual(1);
    expect(p.col, label).toBeGreaterThanOrEqual(1);
    expect(p.message, label).not.toMatch(/\n|\bat .*\.js:\d+/);
    expect(p.message.length).toBeGreaterThan(0);
  }
}

describe('fuzzing the file readers', () => {
  it('gives a clean result or a positioned one-line problem for 3,000 mutated and generated dashboard files', () => {
    let n = 0;
    for (let i = 0; i < 2400; i++, n++) checkResult(mutate(pick(SEEDS)), `mutation ${i}`);
    for (let i = 0; i < 600; i++, n++) checkResult(generated(i), `generated ${i}`);
    console.log(`fuzz: ${n} dashboard inputs, no crash, no hang`);
    expect(n).toBe(3000);
  });

  it('does the same for 500 mutated config files', () => {
    const dir = tree();
    const base =
      'url: https://x\nscope: user\nprojects:\n  a: b\nenvironments:\n  prod:\n    url: https://y\n    variables: {k: 1}\n';
    for (let i = 0; i < 500; i++) {
      const path = join(dir, `c${i}.yaml`);
      writeFileSync(path, mutate(base));
      try {
        readConfigFile(path, dir);
      } catch (e) {
        expect(e, `config mutation ${i}`).toBeInstanceOf(FileError);
        for (const p of (e as FileError).problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.message).not.toContain('\n');
        }
      }
    }
  });

  it('refuses a 50 MB file at once, without reading it into memory', async () => {
    const dir = tree({ 'dashboards/p/ok.yaml': 'name: A\ndefinition: {}\n' });
    writeFileSync(join(dir, 'dashboards/p/huge.yaml'), Buffer.alloc(50 * 1024 * 1024, 'a'));
    const started = Date.now();
    const r = await run(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'dashboards/p/huge.yaml:1:1: file is 50.0 MB, more than the 5 MB a dashboard file may be',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
