import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/local/yaml.js';
import { dashboardText } from '../../src/local/writeback.js';
import type { Json } from '../../src/core/types.js';

/*
 * What pull writes into a file that exists (and what a plan's diff compares the file with): the
 * file's text with only the lines whose content changed rewritten, in the file's key order, reading
 * back to exactly the new content; a plainly written file by the fast writer, one with comments by
 * the yaml library's document.
 */

const value = (title: string, refresh = '60s'): { id: string; name: string; definition: Json } => ({
  id: 'abc-1',
  name: 'Revenue',
  definition: {
    refresh,
    widgets: [
      { id: 'kpi', type: 'kpi', title: 'Total', query: 'SELECT sum(amount)\nFROM orders\n' },
      { id: 'chart', type: 'bar_chart', title },
    ],
  },
});

// Written by hand: quoted where YAML needs no quotes, keys in the person's order, a flow list.
const HAND = `name: 'Revenue'
id: abc-1
definition:
  refresh: "60s"
  widgets:
    - id: kpi
      type: kpi
      title: "Total"
      query: |
        SELECT sum(amount)
        FROM orders
    - { id: chart, type: bar_chart, title: By region }
`;

describe('the text pull writes into an existing file', () => {
  it('rewrites only the lines whose content changed, keeping the others byte for byte', () => {
    const plain = HAND.replace(
      '    - { id: chart, type: bar_chart, title: By region }\n',
      '    - id: chart\n      type: bar_chart\n      title: By region\n',
    );
    const text = dashboardText(value('By month'), plain);
    expect(text.split('\n')).toEqual(plain.replace('title: By region', 'title: By month').split('\n'));
    expect(parseYaml(text).value).toEqual(value('By month'));
  });

  it("writes a changed value in the file's key order, and reads back exactly, flow style and all", () => {
    const text = dashboardText(value('By month', '5m'), HAND);
    expect(parseYaml(text).value).toEqual(value('By month', '5m'));
    expect(text.split('\n').slice(0, 3)).toEqual(["name: 'Revenue'", 'id: abc-1', 'definition:']);
    expect(text).toContain('      title: "Total"\n');
  });

  it('keeps the comments of a file that has them', () => {
    const commented = `# owned by sales\n${HAND.replace('  widgets:\n', '  # the tiles\n  widgets:\n')}`;
    const text = dashboardText(value('By month'), commented);
    expect(text.startsWith('# owned by sales\n')).toBe(true);
    expect(text).toContain('  # the tiles\n');
    expect(parseYaml(text).value).toEqual(value('By month'));
  });

  it('leaves the id out for a file without one', () => {
    const { id: _id, ...content } = value('By region');
    void _id;
    const text = dashboardText(content, HAND.replace('id: abc-1\n', ''));
    expect(parseYaml(text).value).toEqual(content);
  });
});
