import { describe, expect, it } from 'vitest';
import { escapeLiterals, render } from '../../src/core/variables.js';
import { unrender } from '../../src/core/unrender.js';
import type { Json } from '../../src/core/types.js';

describe('escaping literal placeholders for files', () => {
  it('renders back to exactly the workspace text, whatever the variables, for generated strings', () => {
    const parts = ['${{', ' var.x ', '}}', '$', 'var.', 'y', ' ', '{{', '}', '${{ var.x }}', '$${{ var.y }}', 'abc'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = next() % 8; k > 0; k--) s += parts[next() % parts.length];
      for (const vars of [{}, { x: 'X', y: 2 }]) {
        const r = render(escapeLiterals(s), vars);
        expect(r.value, JSON.stringify(s)).toBe(s);
        expect(r.missing).toEqual([]);
      }
    }
  });

  it("keeps a file's own placeholder that still renders to the workspace value, and escapes what the workspace added", () => {
    const template: Json = { a: '${{ var.env }}', b: 'plain' };
    const remote: Json = { a: 'prod', b: 'now ${{ var.env }}', c: '${{ var.x }}' };
    expect(unrender(template, remote, { env: 'prod' }).value).toEqual({
      a: '${{ var.env }}',
      b: 'now $${{ var.env }}',
      c: '$${{ var.x }}',
    });
  });
});

describe('which variables are defined', () => {
  it('only those given: a name every object inherits is as undefined as any other', () => {
    const vars = { region: 'eu' };
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(
        render({ a: `\${{ var.${name} }}`, b: `x \${{ var.${name} }} y` }, vars).missing.map((m) => m.name),
      ).toEqual([name, name]);
    expect(render({ a: '${{ var.region }}' }, vars)).toEqual({ value: { a: 'eu' }, missing: [] });
  });
});
