import { describe, expect, it } from 'vitest';
import { contentChanges, definitionChanges, isAppDefinition } from '../../src/core/changes/index.js';
import type { Change } from '../../src/core/changes/index.js';
import type { JsonObject } from '../../src/core/types.js';

/* Plain-language changes of free-form dashboards: widgets found wherever they are kept, matched by id, title or place. */

const sentences = (changes: Change[]) => changes.map((c) => c.sentence);
const revenue = (): JsonObject => ({
  description: 'Bookings by region',
  layout: { columns: 12 },
  widgets: [
    {
      id: 'total',
      type: 'kpi',
      title: 'Total revenue',
      position: { x: 0, y: 0, w: 4, h: 3 },
      query: { language: 'sql', text: 'SELECT sum(amount) AS revenue\nFROM bookings\n' },
    },
    {
      id: 'by-region',
      type: 'bar_chart',
      title: 'Revenue by region',
      position: { x: 4, y: 0, w: 8, h: 6 },
      query: { language: 'sql', text: 'SELECT region, sum(amount)\nFROM bookings\nGROUP BY region\n' },
      encoding: { x: 'region', y: 'revenue' },
    },
  ],
});
type Widgets = { widgets: JsonObject[] };
const edit = (change: (d: JsonObject & Widgets) => void): Change[] => {
  const after = revenue() as JsonObject & Widgets;
  change(after);
  return definitionChanges(revenue(), after);
};

describe('dashboard changes', () => {
  it("tells a widget's new type, title and query line, and its other fields by path", () => {
    const changes = edit((d) => {
      Object.assign(d.widgets[1]!, {
        type: 'line_chart',
        title: 'Revenue by month',
        query: { language: 'sql', text: 'SELECT month, sum(amount)\nFROM bookings\nGROUP BY month\n' },
        encoding: { x: 'month', y: 'revenue' },
      });
    });
    expect(sentences(changes)).toEqual([
      'the chart "Revenue by month" becomes a line chart (was a bar chart)',
      'the bar chart "Revenue by region" is renamed "Revenue by month"',
      'the query of the line chart "Revenue by month" changes at line 1: "SELECT month, sum(amount)" (was "SELECT region, sum(amount)"), and 1 other line',
      'encoding.x of the line chart "Revenue by month": month (was region)',
    ]);
    expect(changes.every((c) => c.what === 'widget' && c.id === 'by-region' && c.at.after === 'widgets[1]')).toBe(true);
  });

  it('tells widgets added, removed, moved on the grid, resized and put in another order', () => {
    const changes = edit((d) => {
      const [kpi, chart] = d.widgets as [JsonObject, JsonObject];
      chart.position = { x: 0, y: 3, w: 12, h: 6 };
      d.widgets = [chart, { id: 'deals', type: 'table', title: 'Deals', query: 'SELECT * FROM deals' }];
      void kpi;
    });
    expect(changes.map((c) => [c.kind, c.sentence])).toEqual([
      ['resized', 'the bar chart "Revenue by region" is resized to 12×6 (was 8×6)'],
      ['moved', 'the bar chart "Revenue by region" moves to x 0, y 3 (was x 4, y 0)'],
      ['added', 'the table "Deals" is added'],
      ['removed', 'the KPI "Total revenue" is removed'],
    ]);
    const swapped = edit((d) => d.widgets.reverse());
    expect(sentences(swapped)).toEqual(['the KPI "Total revenue" moves after the bar chart "Revenue by region"']);
  });

  it("tells the dashboard's own fields by path, and its name", () => {
    const after = { ...revenue(), description: 'Bookings by month', filters: [{ field: 'region', default: 'all' }] };
    expect(
      sentences(contentChanges({ name: 'Revenue', definition: revenue() }, { name: 'Revenue 2', definition: after })),
    ).toEqual([
      'name of the dashboard: "Revenue 2" (was Revenue)',
      'description of the dashboard: "Bookings by month" (was "Bookings by region")',
      'filters of the dashboard: [{"default":"all","field":"region"}] (was not set)',
    ]);
  });

  it('finds widgets under panels, charts and tiles, nested in rows, and matches those without ids by title, then by place', () => {
    const bookings = { title: 'Bookings', type: 'graph' };
    const deals = { title: 'Deals', type: 'table' };
    const rows = (panels: JsonObject[], stat: string): JsonObject => ({
      rows: [
        { title: 'Sales', panels },
        { title: 'Ops', tiles: [{ type: 'stat', title: stat }] },
      ],
    });
    const changes = definitionChanges(rows([bookings, deals], 'Uptime'), rows([deals, bookings], 'Availability'));
    expect(sentences(changes)).toEqual([
      'the graph "Bookings" moves after the table "Deals"',
      'the stat "Uptime" is renamed "Availability"',
    ]);
    expect(changes.map((c) => c.where)).toEqual([{ section: 'Sales' }, { section: 'Ops' }]);
  });

  it('tells a widget moved to another row, and a row panel with the panels inside it as one addition', () => {
    const before = {
      panels: [
        { id: 1, type: 'row', title: 'Top', panels: [{ id: 2, type: 'graph', title: 'Latency' }] },
        { id: 3, type: 'row', title: 'Bottom', panels: [] },
      ],
    };
    const after = {
      panels: [
        { id: 1, type: 'row', title: 'Top', panels: [] },
        { id: 3, type: 'row', title: 'Bottom', panels: [{ id: 2, type: 'graph', title: 'Latency' }] },
        { id: 4, type: 'row', title: 'New', panels: [{ id: 5, type: 'stat', title: 'Errors' }] },
      ],
    };
    expect(sentences(definitionChanges(before as JsonObject, after as JsonObject))).toEqual([
      'the graph "Latency" moves to section "Bottom" (was section "Top")',
      'the row "New" is added, with 1 widget',
    ]);
  });

  it('tells a created dashboard by its widgets, and nothing for equal ones', () => {
    expect(sentences(definitionChanges(undefined, revenue()))).toEqual([
      'the KPI "Total revenue" is added',
      'the bar chart "Revenue by region" is added',
    ]);
    expect(definitionChanges(revenue(), structuredClone(revenue()))).toEqual([]);
  });

  it('gives the same changes in the same order whatever the order of the keys', () => {
    const one = {
      rows: [{ title: 'A', panels: [{ id: 1, type: 'graph', title: 'x' }] }],
      tiles: [{ id: 2, type: 'stat' }],
    };
    const two = {
      tiles: [{ type: 'stat', id: 2, note: 'n' }],
      rows: [{ panels: [{ title: 'y', type: 'table', id: 1 }], title: 'A' }],
    };
    const straight = definitionChanges(one as JsonObject, two as JsonObject);
    expect(sentences(straight)).toEqual([
      'the widget "y" becomes a table (was a graph)',
      'the graph "x" is renamed "y"',
      'note of the stat 2: n (was not set)',
    ]);
    const flipped = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(flipped)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, flipped(v)]),
            )
          : value;
    expect(definitionChanges(flipped(one) as JsonObject, flipped(two) as JsonObject)).toEqual(straight);
  });

  it('tells an app from a dashboard by its shape', () => {
    expect(isAppDefinition({ schemaVersion: 2, pages: [{ id: 'p', sections: [] }] })).toBe(true);
    expect(isAppDefinition(revenue())).toBe(false);
    expect(isAppDefinition({ pages: [{ title: 'a free-form page', widgets: [] }] })).toBe(false);
  });
});
