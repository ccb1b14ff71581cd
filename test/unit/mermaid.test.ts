import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { definitionChanges } from '../../src/core/changes/index.js';
import type { JsonObject } from '../../src/core/types.js';
import { MERMAID_LIMITS, mermaidBlock, mermaidDiagrams, mermaidText } from '../../src/report/mermaid.js';

/*
 * The pull-request diagrams, parsed by Mermaid itself: version 11 (GitHub's) and 10.7 (GitLab's),
 * so that what is drawn on one is drawn on the other. Mermaid sanitizes labels with DOMPurify,
 * which needs a DOM: happy-dom's, set up for the import and removed after.
 */

interface Parser {
  parse(text: string): Promise<unknown>;
}
const parsers: Array<[string, Parser]> = [];
let window: Window | undefined;

beforeAll(async () => {
  window = new Window();
  const global = globalThis as { window?: unknown };
  global.window = window;
  try {
    parsers.push(['mermaid 11', (await import('mermaid')).default as Parser]);
    parsers.push(['mermaid 10.7', (await import('mermaid-10')).default as Parser]);
  } finally {
    delete global.window;
  }
});

afterAll(async () => {
  await window?.happyDOM.close();
});

async function parsesEverywhere(text: string): Promise<void> {
  expect(parsers.length).toBe(2);
  for (const [name, parser] of parsers) await expect(parser.parse(text), name).resolves.toBeTruthy();
}

type Widget = Record<string, string | number>;
const app = (pages: Array<{ id: string; label: string; sections: JsonObject[] }>): JsonObject =>
  ({
    schemaVersion: 2,
    header: { title: 'T' },
    pages: pages.map((p) => ({ ...p, project: { id: 'x' }, inputs: [], runGroups: [] })),
  }) as JsonObject;
const grid = (id: string, widgets: Widget[], more: JsonObject = {}): JsonObject => ({
  id,
  title: id,
  layout: 'grid',
  widgets: widgets as JsonObject[],
  ...more,
});
const hostile = 'Leads "all" <b>#1</b> [x] {y} (z) | `code` & end; %% not a comment\nsecond line ```';

describe('mermaid diagrams', () => {
  it('parses with both Mermaid versions, even with labels full of what Mermaid reads', async () => {
    const before = app([
      {
        id: 'p1',
        label: 'Overview',
        sections: [
          grid('main', [
            { id: 'a', type: 'bar_chart', label: 'A', span: 6 },
            { id: 'b', type: 'table', span: 6 },
          ]),
        ],
      },
      { id: 'p2', label: 'Gone', sections: [grid('g', [{ id: 'c', type: 'text' }])] },
    ]);
    const after = app([
      {
        id: 'p1',
        label: hostile,
        sections: [
          grid('main', [
            { id: 'a', type: 'line_chart', label: hostile, outputId: 'o', span: 6 },
            { id: 'n', type: 'stat_card', span: 6 },
          ]),
          grid(
            'cols',
            [
              { id: 'x', type: 'text', column: 1 },
              { id: 'y', type: 'text', column: 2 },
              { id: 'z', type: 'text', column: 2 },
            ],
            { layout: 'columns', weights: [8, 4] },
          ),
        ],
      },
    ]);
    const diagrams = mermaidDiagrams({ name: hostile, before, after, changes: definitionChanges(before, after) });
    expect(diagrams.map((d) => d.page)).toEqual([hostile, 'Gone']);
    for (const diagram of diagrams) await parsesEverywhere(diagram.text);
    const [overview, gone] = diagrams.map((d) => d.text);
    expect(overview).toContain('~ type, label, output<br/>line chart: Leads #quot;all#quot; #lt;b#gt;#35;1#lt;/b#gt;');
    expect(overview).not.toMatch(/<b>|```|"all"/);
    expect(overview).toContain('+ added<br/>stat card: n');
    expect(overview).toContain('− removed<br/>table: b');
    expect(overview).toContain('column 1 of 2 · 67% wide');
    expect(gone).toContain('Page: Gone');
    expect(gone).toContain('classDef removed');
    const block = mermaidBlock(diagrams[0]!);
    expect(block.startsWith('```mermaid\nflowchart TB\n')).toBe(true);
    expect(block.endsWith('\n```')).toBe(true);
    expect(block.split('```').length).toBe(3);
  });

  it('draws only the pages that changed, and a dashboard as one diagram with its removed widgets', async () => {
    const before = app([
      { id: 'p1', label: 'One', sections: [grid('s', [{ id: 'a', type: 'text' }])] },
      { id: 'p2', label: 'Two', sections: [grid('s', [{ id: 'a', type: 'text' }])] },
    ]);
    const after = structuredClone(before) as JsonObject & { pages: Array<{ sections: Array<{ widgets: Widget[] }> }> };
    after.pages[1]!.sections[0]!.widgets[0]!.label = 'Renamed';
    expect(
      mermaidDiagrams({ name: 'A', before, after, changes: definitionChanges(before, after) }).map((d) => d.page),
    ).toEqual(['Two']);
    const dashboard = (widgets: JsonObject[]): JsonObject => ({ widgets });
    const b = dashboard([
      { id: 'k', type: 'kpi', title: 'Total', position: { x: 0, y: 0, w: 4, h: 3 } },
      { id: 'c', type: 'bar_chart', title: 'Chart', position: { x: 4, y: 0, w: 8, h: 3 } },
    ]);
    const a = dashboard([{ id: 'c', type: 'line_chart', title: 'Chart', position: { x: 4, y: 0, w: 8, h: 3 } }]);
    const [diagram, ...rest] = mermaidDiagrams({
      name: 'Revenue',
      before: b,
      after: a,
      changes: definitionChanges(b, a),
    });
    expect(rest).toEqual([]);
    expect(diagram!.text).toContain('Dashboard: Revenue');
    expect(diagram!.text).toContain('~ type<br/>line chart: Chart');
    expect(diagram!.text).toContain('− removed<br/>KPI: Total');
    await parsesEverywhere(diagram!.text);
  });

  it('keeps a big page within its limits, saying how many widgets it left out', async () => {
    const widgets = Array.from({ length: 200 }, (_, i) => ({
      id: `w${i}`,
      type: 'bar_chart',
      label: `Chart ${i} ${'x'.repeat(50)}`,
      outputId: 'o',
      span: 3,
    }));
    const after = app([{ id: 'p', label: 'Big', sections: [grid('s', widgets)] }]);
    const [diagram] = mermaidDiagrams({ name: 'Big', after, changes: definitionChanges(undefined, after) });
    const text = diagram!.text;
    expect(text.length).toBeLessThanOrEqual(MERMAID_LIMITS.text);
    const nodes = text.match(/^\s+n\d+\["/gm) ?? [];
    expect(nodes.length).toBeGreaterThan(10);
    expect(nodes.length).toBeLessThanOrEqual(MERMAID_LIMITS.nodes);
    expect(text).toContain(`… ${200 - nodes.length} more widgets not drawn`);
    expect((text.match(/~~~/g) ?? []).length).toBeLessThan(500);
    await parsesEverywhere(text);
  });

  it('writes a label as one line, cut, with every character Mermaid reads as an entity', () => {
    expect(mermaidText('a "b" #1 <c> & [d] {e} |f| `g`\nh')).toBe(
      'a #quot;b#quot; #35;1 #lt;c#gt; #amp; #91;d#93; #123;e#125; #124;f#124; #96;g#96; h',
    );
    expect(mermaidText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
