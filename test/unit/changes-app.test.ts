import { describe, expect, it } from 'vitest';
import { contentChanges, definitionChanges } from '../../src/core/changes/index.js';
import type { Change } from '../../src/core/changes/index.js';
import type { JsonObject } from '../../src/core/types.js';

/* Plain-language changes of apps: what a person would say changed, matched by id. */

type Widget = Record<string, string | number | string[]>;
const page = (id: string, label: string, sections: JsonObject[], more: JsonObject = {}): JsonObject => ({
  id,
  label,
  project: { id: 'sales' },
  inputs: [],
  runGroups: [{ id: 'load', trigger: 'button', execute: ['top'], outputs: [{ id: 'totals', concept: 'totals' }] }],
  sections,
  ...more,
});
const section = (id: string, title: string, widgets: Widget[], more: JsonObject = {}): JsonObject => ({
  id,
  title,
  layout: 'grid',
  widgets,
  ...more,
});
const app = (...pages: JsonObject[]): JsonObject => ({ schemaVersion: 2, header: { title: 'Sales' }, pages });

const chart: Widget = {
  id: 'w_chart',
  type: 'bar_chart',
  label: 'Revenue',
  outputId: 'totals',
  x: 'region',
  y: ['revenue'],
  span: 12,
};
const table: Widget = { id: 'w_table', type: 'rich_table', label: 'Top customers', outputId: 'totals', span: 12 };
const stat: Widget = { id: 'w_count', type: 'stat_card', outputId: 'totals', valueCol: 'n', span: 3 };
const base = () => app(page('p1', 'Overview', [section('main', 'Main', [stat, table, chart])]));
const sentences = (changes: Change[]) => changes.map((c) => c.sentence);
const edit = (
  change: (
    definition: JsonObject & { pages: Array<JsonObject & { sections: Array<JsonObject & { widgets: Widget[] }> }> },
  ) => void,
) => {
  const copy = structuredClone(base()) as Parameters<typeof change>[0];
  change(copy);
  return definitionChanges(base(), copy);
};

describe('app changes: widgets', () => {
  it('says a chart becomes another kind of chart and its x axis changes, as data and as sentences', () => {
    const changes = edit((d) => {
      d.pages[0]!.sections[0]!.widgets[2] = { ...chart, type: 'line_chart', x: 'month' };
    });
    expect(sentences(changes)).toEqual([
      'the chart "Revenue" on page "Overview" becomes a line chart (was a bar chart)',
      'x axis of the line chart "Revenue" on page "Overview": month (was region)',
    ]);
    expect(changes[0]).toEqual({
      kind: 'changed',
      what: 'widget',
      id: 'w_chart',
      label: 'Revenue',
      type: 'line_chart',
      where: { pageId: 'p1', page: 'Overview', sectionId: 'main', section: 'Main' },
      at: { before: 'pages[0].sections[0].widgets[2]', after: 'pages[0].sections[0].widgets[2]' },
      field: 'type',
      before: 'bar_chart',
      after: 'line_chart',
      sentence: changes[0]!.sentence,
    });
  });

  it('tells added and removed widgets with their section and page, and nothing for the widgets that only shifted', () => {
    const changes = edit((d) => {
      d.pages[0]!.sections[0]!.widgets.splice(0, 1);
      d.pages[0]!.sections[0]!.widgets.unshift({ id: 'w_note', type: 'text', content: 'Hello', span: 12 });
    });
    expect(sentences(changes)).toEqual([
      'the text block w_note is added to section "Main" on page "Overview"',
      'the stat card w_count is removed from section "Main" on page "Overview"',
    ]);
    expect(changes.map((c) => [c.kind, c.at])).toEqual([
      ['added', { after: 'pages[0].sections[0].widgets[0]' }],
      ['removed', { before: 'pages[0].sections[0].widgets[0]' }],
    ]);
  });

  it('tells a widget moved to another place, another section or another page, and a resize of its span', () => {
    const reordered = edit((d) => d.pages[0]!.sections[0]!.widgets.reverse());
    // Of three reversed widgets, the fewest that moved: two; each said after which widget it now is.
    expect(sentences(reordered)).toEqual([
      'the table "Top customers" moves after the bar chart "Revenue" in section "Main" on page "Overview"',
      'the stat card w_count moves after the table "Top customers" in section "Main" on page "Overview"',
    ]);
    const toTop = edit((d) => d.pages[0]!.sections[0]!.widgets.unshift(d.pages[0]!.sections[0]!.widgets.pop()!));
    expect(sentences(toTop)).toEqual([
      'the bar chart "Revenue" moves to the first place in section "Main" on page "Overview"',
    ]);
    const other = edit((d) => {
      const [moved] = d.pages[0]!.sections[0]!.widgets.splice(1, 1);
      d.pages[0]!.sections.push(section('side', 'Side', [{ ...moved!, span: 6 }]) as never);
    });
    expect(sentences(other)).toEqual([
      'the section "Side" is added to page "Overview", with 1 widget',
      'the table "Top customers" on page "Overview" is resized to 6 of 12 columns (was 12 of 12 columns)',
      'the table "Top customers" moves to section "Side" on page "Overview" (was section "Main" on page "Overview")',
    ]);
    const toPage = edit((d) => {
      const [moved] = d.pages[0]!.sections[0]!.widgets.splice(2, 1);
      d.pages.push(page('p2', 'Trends', [section('trends', 'Trends', [moved!])]) as never);
    });
    expect(sentences(toPage)).toEqual([
      'the page "Trends" is added, with 1 section and 1 widget',
      'the bar chart "Revenue" moves to section "Trends" on page "Trends" (was section "Main" on page "Overview")',
    ]);
  });

  it('tells a renamed widget, its new output, its columns and formats, and a column of a columns layout', () => {
    const changes = edit((d) => {
      const widgets = d.pages[0]!.sections[0]!.widgets;
      widgets[1] = { ...table, label: 'Best customers', outputId: 'top', columns: ['name', 'revenue'] };
      widgets[0] = { ...stat, column: 2 };
    });
    expect(sentences(changes)).toEqual([
      'the stat card w_count on page "Overview" moves to column 2 (was not set)',
      'the table "Top customers" on page "Overview" is renamed "Best customers"',
      'the table "Best customers" on page "Overview" shows output top (was totals)',
      'columns of the table "Best customers" on page "Overview": name, revenue (was not set)',
    ]);
  });
});

describe('app changes: pages, sections, inputs, run groups, outputs, header', () => {
  it('tells pages added, removed, renamed, moved and bound to another project, with what comes along counted', () => {
    const before = app(
      page('p1', 'Overview', [section('main', 'Main', [stat, chart])]),
      page('p2', 'Details', [section('d', 'Detail', [table])]),
      page('p3', 'Old', [section('o', 'Old', [table, chart])]),
    );
    const after = app(
      page('p2', 'Customer details', [section('d', 'Detail', [table])], { project: { id: 'crm' } }),
      page('p1', 'Overview', [section('main', 'Main', [stat, chart])]),
      page('p4', 'New', [section('n', 'New', [chart])]),
    );
    expect(sentences(definitionChanges(before, after))).toEqual([
      'the page "Details" is renamed "Customer details"',
      'the page "Customer details" binds to project crm (was sales)',
      'the page "Overview" moves after the page "Customer details"',
      'the page "New" is added, with 1 section and 1 widget',
      'the page "Old" is removed, with 1 section and 2 widgets',
    ]);
  });

  it("tells a section's new title, layout and column widths as a resize", () => {
    const changes = edit((d) => {
      Object.assign(d.pages[0]!.sections[0]!, { title: 'Top', layout: 'columns', weights: [8, 4] });
    });
    expect(changes.map((c) => [c.kind, c.sentence])).toEqual([
      ['changed', 'the section "Main" on page "Overview" is renamed "Top"'],
      ['resized', 'the section "Top" on page "Overview" is laid out as columns (was grid)'],
      ['resized', 'column widths of the section "Top" on page "Overview": 8:4 (was not set)'],
    ]);
  });

  it("tells inputs, a form's fields, run groups and their outputs", () => {
    const form = {
      id: 'search',
      type: 'form',
      label: 'Search',
      sections: [{ title: 'Criteria', fields: [{ id: 'region', type: 'combobox', label: 'Region', span: 6 }] }],
    };
    const withInputs = (inputs: JsonObject[], group: JsonObject) =>
      app(page('p1', 'Overview', [section('main', 'Main', [chart])], { inputs, runGroups: [group] }));
    const before = withInputs([{ id: 'pick', type: 'select', label: 'Status', options: ['MQL', 'SQL'] }, form], {
      id: 'load',
      trigger: 'button',
      execute: ['top'],
      outputs: [{ id: 'totals', concept: 'totals' }],
    });
    const after = withInputs(
      [
        { id: 'pick', type: 'radio', label: 'Status', options: ['MQL', 'SQL', 'Lost'] },
        {
          ...form,
          sections: [
            {
              title: 'Criteria',
              fields: [
                { id: 'region', type: 'combobox', label: 'Region', span: 12 },
                { id: 'min', type: 'number', label: 'Minimum' },
              ],
            },
          ],
        },
      ],
      {
        id: 'load',
        trigger: 'form',
        formId: 'search',
        execute: ['top', 'totals'],
        outputs: [
          { id: 'totals', concept: 'customer_totals' },
          { id: 'top', concept: 'top' },
        ],
      },
    );
    expect(sentences(definitionChanges(before, after))).toEqual([
      'the input "Status" on page "Overview" becomes a radio input (was a select input)',
      'options of the radio input "Status" on page "Overview": MQL, SQL, Lost (was MQL, SQL)',
      'the combobox field "Region" on page "Overview" is resized to 12 of 12 columns (was 6 of 12 columns)',
      'the number field "Minimum" is added to form "Search" on page "Overview"',
      'execute of the run group load on page "Overview": top, totals (was top)',
      'form of the run group load on page "Overview": search (was not set)',
      'trigger of the run group load on page "Overview": form (was button)',
      'concept of the output totals on page "Overview": customer_totals (was totals)',
      'the output top is added to run group "load" on page "Overview"',
    ]);
  });

  it("tells the header's fields and the app's name", () => {
    const before = base();
    const after = { ...base(), header: { title: 'Sales overview', subtitle: 'By region' } };
    expect(
      sentences(contentChanges({ name: 'Sales', definition: before }, { name: 'Sales 2', definition: after })),
    ).toEqual([
      'name of the app: "Sales 2" (was Sales)',
      'subtitle of the header: "By region" (was not set)',
      'title of the header: "Sales overview" (was Sales)',
    ]);
  });
});

describe('app changes: whole apps and odd input', () => {
  it('tells a created app by its pages and a deleted one likewise, and nothing for equal apps', () => {
    expect(sentences(definitionChanges(undefined, base()))).toEqual([
      'the page "Overview" is added, with 1 section and 3 widgets',
    ]);
    expect(sentences(definitionChanges(base(), undefined))).toEqual([
      'the page "Overview" is removed, with 1 section and 3 widgets',
    ]);
    expect(definitionChanges(base(), base())).toEqual([]);
  });

  it('gives the same changes in the same order whatever the order of the keys in either definition', () => {
    const reversedKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversedKeys)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversedKeys(v)]),
            )
          : value;
    const after = structuredClone(base()) as JsonObject & { pages: Array<{ sections: Array<{ widgets: Widget[] }> }> };
    after.pages[0]!.sections[0]!.widgets[2] = {
      ...chart,
      type: 'line_chart',
      x: 'month',
      y: ['a', 'b'],
      seriesCol: 's',
    };
    after.pages[0]!.sections[0]!.widgets[1] = { ...table, columnFormats: { b: 'number', a: 'percent' } } as never;
    const straight = definitionChanges(base(), after);
    expect(straight.length).toBe(5);
    expect(definitionChanges(reversedKeys(base()) as JsonObject, reversedKeys(after) as JsonObject)).toEqual(straight);
    expect(sentences(straight)).toContain(
      'column formats of the table "Top customers" on page "Overview": a: percent, b: number (was not set)',
    );
  });

  it('reads an app that is not valid (no ids, no arrays) without throwing, matching what it can by place', () => {
    const odd = { pages: [{ label: 'P', sections: [{ widgets: [{ type: 'text' }, 'not an object'] }] }, null] };
    const other = { pages: [{ label: 'P', sections: 'nope' }] };
    const changes = definitionChanges(odd as unknown as JsonObject, other as unknown as JsonObject, 'app');
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) expect(change.sentence).toMatch(/\S/);
  });
});
