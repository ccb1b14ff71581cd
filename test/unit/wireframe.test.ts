import { describe, expect, it } from 'vitest';
import { definitionChanges } from '../../src/core/changes/index.js';
import type { JsonObject } from '../../src/core/types.js';
import { sectionLayout } from '../../src/report/wireframe/layout.js';
import { sideBySideSvg, wireframeSvg } from '../../src/report/wireframe/index.js';
import { xml } from '../../src/report/wireframe/svg.js';

/* Wireframes: a definition drawn as its layout, as SVG text; before and after side by side with marks. */

type Widget = Record<string, unknown>;
const app = (widgets: Widget[], section: JsonObject = {}, more: JsonObject = {}): JsonObject =>
  ({
    schemaVersion: 2,
    header: { title: 'Sales', subtitle: 'By region' },
    pages: [
      {
        id: 'p1',
        label: 'Overview',
        project: { id: 'sales' },
        inputs: [{ id: 'pick', type: 'select', label: 'Region' }],
        runGroups: [
          {
            id: 'load',
            label: 'Compute',
            trigger: 'button',
            execute: ['t'],
            outputs: [{ id: 'totals', concept: 't' }],
          },
        ],
        sections: [{ id: 'main', title: 'Main', layout: 'grid', widgets, ...section }],
      },
      { id: 'p2', label: 'Other', project: { id: 'sales' }, inputs: [], runGroups: [], sections: [] },
    ],
    ...more,
  }) as JsonObject;

interface Drawn {
  x: number;
  y: number;
  width: number;
  mark?: string;
  dashed: boolean;
}

/** The boxes drawn for the element at `path` (one per side), each with its rectangle and its mark. */
function boxesAt(svg: string, path: string): Drawn[] {
  const found: Drawn[] = [];
  for (
    let start = svg.indexOf(`data-path="${xml(path)}"`);
    start >= 0;
    start = svg.indexOf(`data-path="${xml(path)}"`, start + 1)
  ) {
    const open = svg.lastIndexOf('<g', start);
    const tag = svg.slice(open, svg.indexOf('>', start));
    const rect = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"([^>]*)\/>/.exec(svg.slice(open))!;
    const mark = /data-mark="([^"]*)"/.exec(tag)?.[1];
    const dashed = rect[4]!.includes('stroke-dasharray');
    found.push({ x: Number(rect[1]), y: Number(rect[2]), width: Number(rect[3]), ...(mark ? { mark } : {}), dashed });
  }
  return found;
}

/** The box for `path`: the only one, or on the given side of a side-by-side drawing (after from x = 540). */
function boxAt(svg: string, path: string, side?: 'before' | 'after'): Drawn {
  const boxes = boxesAt(svg, path).filter((b) => side === undefined || (side === 'after') === b.x > 540);
  expect(boxes.length, `one box for ${path}`).toBe(1);
  return boxes[0]!;
}

describe('section layout', () => {
  it('places widgets on the 12-column grid by span, starting a new row when the next does not fit', () => {
    const layout = sectionLayout({ widgets: [{ span: 6 }, { span: 6 }, { span: 4 }, {}, { span: 20 }] } as JsonObject);
    expect(layout.cells.map((c) => [c.row, c.column, c.span])).toEqual([
      [0, 0, 6],
      [0, 6, 6],
      [1, 0, 4],
      [2, 0, 12],
      [3, 0, 12],
    ]);
  });

  it('stacks widgets in weighted columns by their column, and fills two_col columns in turn', () => {
    const columns = sectionLayout({
      layout: 'columns',
      weights: [8, 4],
      widgets: [{ column: 1 }, { column: 2 }, { column: 2 }, {}],
    } as JsonObject);
    expect(columns.weights).toEqual([8, 4]);
    expect(columns.cells.map((c) => [c.column, c.row])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
    const two = sectionLayout({ layout: 'two_col', widgets: [{}, {}, {}, { column: 1 }] } as JsonObject);
    expect(two.cells.map((c) => c.column)).toEqual([0, 1, 0, 0]);
    expect(two.weights).toEqual([1, 1]);
  });
});

describe('wireframes of apps', () => {
  const chart = {
    id: 'w_chart',
    type: 'bar_chart',
    label: 'Revenue',
    outputId: 'totals',
    x: 'region',
    y: ['revenue'],
    span: 6,
  };
  const stat = { id: 'w_stat', type: 'stat_card', label: 'Customers', outputId: 'totals', span: 6 };
  const table = { id: 'w_table', type: 'rich_table', label: 'Top', outputId: 'totals', span: 12 };

  it('draws each widget as a box with its type, label and output, laid out on the grid as the platform would', () => {
    const svg = wireframeSvg(app([chart, stat, table]));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const words of [
      'bar chart',
      'Revenue',
      'output: totals',
      'x: region · y: revenue',
      'stat card',
      'Customers',
      'Main',
      'Overview',
      'Other',
      'Region · select',
      '▶ Compute',
    ])
      expect(svg).toContain(`>${xml(words)}<`);
    const [a, b, c] = [0, 1, 2].map((i) => boxAt(svg, `pages[0].sections[0].widgets[${i}]`));
    expect(a!.y).toBe(b!.y);
    expect(a!.width).toBeCloseTo(b!.width, 5);
    expect(b!.x).toBeGreaterThan(a!.x + a!.width);
    expect(c!.y).toBeGreaterThan(a!.y);
    expect(c!.width).toBeCloseTo(a!.width * 2 + 8, 5);
  });

  it('gives weighted columns their relative widths', () => {
    const svg = wireframeSvg(
      app(
        [
          { ...chart, column: 1 },
          { ...stat, column: 2 },
        ],
        { layout: 'columns', weights: [8, 4] },
      ),
    );
    const [left, right] = [0, 1].map((i) => boxAt(svg, `pages[0].sections[0].widgets[${i}]`));
    expect(left!.y).toBe(right!.y);
    expect(left!.width / right!.width).toBeCloseTo(2, 2);
  });

  it('escapes every text it draws', () => {
    const hostile = `<script>alert("x")</script> & 'y' \u0007`;
    const svg = wireframeSvg(app([{ ...chart, label: hostile }], {}, { header: { title: hostile } }), {
      name: hostile,
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('\u0007');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)');
  });

  it('marks before and after side by side: added, removed and changed in colour and in words, removed dashed', () => {
    const before = app([chart, stat, table]);
    const after = app([
      { ...chart, type: 'line_chart', x: 'month' },
      table,
      { id: 'w_new', type: 'text', content: 'Hi', span: 6 },
    ]);
    const svg = sideBySideSvg({ name: 'Sales', before, after, changes: definitionChanges(before, after) });
    expect(svg).toContain('>Before<');
    expect(svg).toContain('>After<');
    const at = (i: number) => `pages[0].sections[0].widgets[${i}]`;
    expect(boxAt(svg, at(1), 'before')).toMatchObject({ mark: '− removed', dashed: true });
    expect(boxAt(svg, at(0), 'before').mark).toBe('~ type, x axis');
    expect(boxAt(svg, at(0), 'after').mark).toBe('~ type, x axis');
    expect(boxAt(svg, at(2), 'after')).toMatchObject({ mark: '+ added', dashed: false });
    expect(boxAt(svg, at(1), 'after').mark).toBeUndefined();
    expect(boxAt(svg, at(2), 'before').mark).toBeUndefined();
    expect(svg).toContain('>+ added<');
    expect(svg).toContain('>− removed<');
    expect(svg).toContain(`>${xml('Not drawn, unchanged: Other')}<`);
  });

  it('draws a new app against nothing before, and the pages it holds', () => {
    const svg = sideBySideSvg({
      name: 'Sales',
      after: app([chart]),
      changes: definitionChanges(undefined, app([chart])),
    });
    expect(svg).toContain('>Before: not there yet<');
    expect(svg).toContain('>new app: nothing before<');
    expect(svg).toContain('>new page: not there before<');
    expect(svg).toContain('data-path="pages[1]"');
  });
});

describe('wireframes of odd definitions', () => {
  it('draws what it can of a definition that is not valid, without throwing', () => {
    const odd = {
      pages: [
        { sections: [{ layout: 'columns', weights: 'wide', widgets: [null, 3, { span: 'x', column: -4 }] }] },
        'page',
      ],
    };
    expect(wireframeSvg(odd as unknown as JsonObject, { flavour: 'app' })).toContain('>widget<');
    const free = { widgets: [{ position: { x: -1 } }, 'text', { type: 5, title: { nested: true } }], rows: 'none' };
    expect(wireframeSvg(free as unknown as JsonObject, { name: 'Odd' })).toContain('>Odd<');
    expect(wireframeSvg({}, { name: 'Empty' })).toContain('>no widgets found<');
  });
});

describe('wireframes of dashboards', () => {
  const dashboard = (widgets: JsonObject[]): JsonObject => ({
    description: 'Bookings',
    layout: { columns: 12 },
    widgets,
  });
  const kpi = {
    id: 'total',
    type: 'kpi',
    title: 'Total',
    position: { x: 0, y: 0, w: 4, h: 3 },
    query: { text: 'SELECT sum(a)\nFROM b' },
  };
  const bars = {
    id: 'bars',
    type: 'bar_chart',
    title: 'By region',
    position: { x: 4, y: 0, w: 8, h: 6 },
    query: 'SELECT region',
  };

  it('draws widgets on their grid positions with type, title and the first lines of the query', () => {
    const svg = wireframeSvg(dashboard([kpi, bars]), { name: 'Revenue', width: 560 });
    for (const words of ['Revenue', 'Bookings', 'KPI', 'Total', 'SELECT sum(a)', 'FROM b', 'bar chart', 'By region'])
      expect(svg).toContain(`>${xml(words)}<`);
    const [left, right] = [boxAt(svg, 'widgets[0]'), boxAt(svg, 'widgets[1]')];
    expect(left.y).toBe(right.y);
    expect(right.width / left.width).toBeGreaterThan(1.9);
    expect(right.x).toBeGreaterThan(left.x + left.width);
  });

  it('draws widgets without positions one under another, and marks changes by the same paths', () => {
    const plain = [
      { title: 'One', type: 'table', query: 'SELECT 1' },
      { title: 'Two', type: 'line', query: 'SELECT 2' },
    ];
    const after = dashboard([plain[0]!, { ...plain[1]!, query: 'SELECT 3' }]);
    const svg = sideBySideSvg({
      name: 'D',
      before: dashboard(plain),
      after,
      changes: definitionChanges(dashboard(plain), after),
    });
    const [one, two] = [boxAt(svg, 'widgets[0]', 'after'), boxAt(svg, 'widgets[1]', 'after')];
    expect(two.y).toBeGreaterThan(one.y);
    expect(two.mark).toBe('~ query');
  });
});
