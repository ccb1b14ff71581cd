import { isAppDefinition } from '../core/changes/index.js';
import type { Change, DefinitionFlavour } from '../core/changes/index.js';
import { dashboardWidgets } from '../core/changes/dashboard-widgets.js';
import { typeNoun } from '../core/changes/words.js';
import type { JsonObject } from '../core/types.js';
import { objects, str } from './wireframe/common.js';
import { sectionLayout } from './wireframe/layout.js';
import { marksFor, tagOf } from './wireframe/marks.js';
import type { Mark } from './wireframe/marks.js';

/*
 * A Mermaid diagram of each changed page, for pull-request comments: GitHub and GitLab both draw a
 * ```mermaid block inline. What both draw, checked: GitHub runs Mermaid 11, GitLab 10.7 or later;
 * `block-beta` (10.8) is unknown to GitLab's, so this is a `flowchart` with subgraphs, classDef
 * styles and `~~~` invisible links, and nothing newer (the tests parse every diagram with the
 * parsers of both versions). Mermaid refuses a diagram over 50,000 characters or 500 links: a
 * diagram here draws at most MERMAID_LIMITS.nodes widgets and stays under MERMAID_LIMITS.text
 * characters, saying how many it left out.
 */

/** How big a diagram may get: well under Mermaid's own limits, and readable in a comment. */
export const MERMAID_LIMITS = { nodes: 60, text: 20_000 } as const;

/** One dashboard or app, before and after, and what changed. */
export interface MermaidInput {
  name: string;
  before?: JsonObject;
  after?: JsonObject;
  changes: readonly Change[];
  flavour?: DefinitionFlavour;
}

/** One diagram: the page it shows (the dashboard's name for a dashboard) and its Mermaid text. */
export interface MermaidDiagram {
  page: string;
  text: string;
}

const ESCAPES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '[': '#91;',
  ']': '#93;',
  '{': '#123;',
  '}': '#125;',
  '|': '#124;',
};

/**
 * Text for inside a quoted Mermaid label: one line, cut to `max` characters, with the characters
 * Mermaid reads (quotes, `#` of its entities, brackets, `<` of HTML, backticks of Markdown strings)
 * written as Mermaid's `#code;` entities.
 */
export function mermaidText(value: string, max = 60): string {
  const flat = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
  return [...cut].map((char) => ESCAPES[char] ?? char).join('');
}

/** A diagram as a fenced Markdown block. */
export function mermaidBlock(diagram: MermaidDiagram): string {
  return `\`\`\`mermaid\n${diagram.text}\n\`\`\``;
}

interface Node {
  lines: string[];
  mark?: Mark | undefined;
}
interface Block {
  title: string;
  mark?: Mark | undefined;
  /** `rows`: lanes are rows of a grid (side by side within); `columns`: lanes are columns (stacked within). */
  kind: 'rows' | 'columns';
  lanes: Node[][];
  /** Columns: what each is called (Mermaid may draw them in another order: their titles say which). */
  laneTitles?: string[];
}

const CLASSES: Record<Mark['state'], string> = {
  added: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:2px,color:#116329',
  removed: 'fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5,color:#a40e26',
  changed: 'fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#7d4e00',
  moved: 'fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#0550ae',
  resized: 'fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#0550ae',
};

const labelOf = (lines: string[], mark: Mark | undefined): string =>
  [...(mark ? [tagOf(mark)] : []), ...lines].map((line) => mermaidText(line)).join('<br/>');

// The flowchart text of one page: its blocks as subgraphs, one under another, at most `room`
// widgets, then one node saying how many more there are. Everything flows top to bottom and is
// placed by invisible links (`~~~`), not by subgraph directions, which Mermaid ignores as soon as
// a subgraph is linked: a row's widgets share a rank (side by side), each row hangs under the one
// before, and a column's widgets hang one under another.
function flowchart(title: string, pageMark: Mark | undefined, blocks: Block[], room: number): string {
  const lines = ['flowchart TB'];
  const classes = new Map<Mark['state'], string[]>();
  const classed = (id: string, mark: Mark | undefined) => {
    if (mark) classes.set(mark.state, [...(classes.get(mark.state) ?? []), id]);
  };
  let nodes = 0;
  let left = 0;
  lines.push(`  subgraph page["${labelOf([title], pageMark)}"]`, '    direction TB');
  const blockIds: string[] = [];
  blocks.forEach((block, b) => {
    const blockId = `s${b}`;
    blockIds.push(blockId);
    lines.push(`    subgraph ${blockId}["${labelOf([block.title], block.mark)}"]`, '      direction TB');
    const links: string[] = [];
    let previous: string[] = [];
    block.lanes.forEach((lane, l) => {
      const ids: string[] = [];
      const declared: string[] = [];
      for (const node of lane) {
        if (nodes >= room) {
          left++;
          continue;
        }
        const id = `n${nodes++}`;
        ids.push(id);
        declared.push(`${id}["${labelOf(node.lines, node.mark)}"]`);
        classed(id, node.mark);
      }
      if (ids.length === 0) return;
      if (block.kind === 'rows') {
        lines.push(...declared.map((d) => `      ${d}`));
        if (previous.length > 0) for (const id of ids) links.push(`      ${previous[0]} ~~~ ${id}`);
        previous = ids;
        return;
      }
      // A column: a subgraph of its own, titled, since Mermaid may put the columns in another order.
      const laneId = `${blockId}c${l}`;
      const laneTitle = labelOf([block.laneTitles?.[l] ?? `column ${l + 1}`], undefined);
      lines.push(
        `      subgraph ${laneId}["${laneTitle}"]`,
        '        direction TB',
        ...declared.map((d) => `        ${d}`),
      );
      for (let i = 1; i < ids.length; i++) lines.push(`        ${ids[i - 1]} ~~~ ${ids[i]}`);
      lines.push('      end', `      style ${laneId} fill:none,stroke:#afb8c1,stroke-dasharray:2 2`);
    });
    if (block.lanes.every((lane) => lane.length === 0)) lines.push(`      ${blockId}empty["no widgets"]`);
    lines.push(...links, '    end');
    classed(blockId, block.mark);
  });
  for (let i = 1; i < blockIds.length; i++) lines.push(`    ${blockIds[i - 1]} ~~~ ${blockIds[i]}`);
  if (left > 0) lines.push(`    more["… ${left} more widget${left === 1 ? '' : 's'} not drawn"]`);
  lines.push('  end');
  classed('page', pageMark);
  for (const [state, ids] of classes)
    lines.push(`  classDef ${state} ${CLASSES[state]}`, `  class ${ids.join(',')} ${state}`);
  return lines.join('\n');
}

// The diagram at the most widgets that keeps it under the size limit.
function capped(draw: (room: number) => string): string {
  let room: number = MERMAID_LIMITS.nodes;
  let text = draw(room);
  while (text.length > MERMAID_LIMITS.text && room > 0) {
    room = Math.floor((room * MERMAID_LIMITS.text) / text.length) - 1;
    text = draw(Math.max(0, room));
  }
  return text;
}

function appWidgetLines(widget: JsonObject): string[] {
  const name = `${typeNoun(widget.type)}: ${str(widget.label) ?? str(widget.id) ?? '?'}`;
  const shows = str(widget.outputId) ?? str(widget.inputId) ?? str(widget.groupId);
  return shows === undefined ? [name] : [name, `← ${shows}`];
}

// One app page: its sections as blocks, laid out as the wireframes lay them out, and what was
// removed from it in a block of its own.
function appPageDiagram(
  page: JsonObject,
  at: string,
  marks: Map<string, Mark>,
  removed: Node[],
  pageMark?: Mark,
): string {
  const blocks: Block[] = objects(page.sections).map((section, s) => {
    const path = `${at}.sections[${s}]`;
    const layout = sectionLayout(section);
    const laneCount = layout.kind === 'grid' ? layout.rows : layout.columns;
    const lanes = Array.from({ length: laneCount }, (_, lane) =>
      layout.cells
        .filter((cell) => (layout.kind === 'grid' ? cell.row : cell.column) === lane)
        .map((cell) => ({ lines: appWidgetLines(cell.widget), mark: marks.get(`${path}.widgets[${cell.index}]`) })),
    );
    const shape = layout.kind === 'grid' ? 'grid' : `columns ${layout.weights.join(':')}`;
    const total = layout.weights.reduce((sum, w) => sum + w, 0);
    const laneTitles = layout.weights.map(
      (w, i) => `column ${i + 1} of ${layout.columns} · ${Math.round((100 * w) / total)}% wide`,
    );
    return {
      laneTitles,
      title: `${str(section.title) ?? str(section.id) ?? 'section'} · ${shape}`,
      mark: marks.get(path),
      kind: layout.kind === 'grid' ? 'rows' : 'columns',
      lanes,
    };
  });
  if (removed.length > 0)
    blocks.push({ title: 'removed from this page', kind: 'rows', lanes: removed.map((n) => [n]) });
  const title = `Page: ${str(page.label) ?? str(page.id) ?? '?'}`;
  return capped((room) => flowchart(title, pageMark, blocks, room));
}

/** The diagrams of a dashboard's or an app's change: one per changed page (one for a dashboard). */
export function mermaidDiagrams(input: MermaidInput): MermaidDiagram[] {
  const shape = input.after ?? input.before;
  if (!shape) return [];
  const flavour = input.flavour ?? (isAppDefinition(shape) ? 'app' : 'dashboard');
  return flavour === 'app' ? appDiagrams(input) : [dashboardDiagram(input)];
}

function appDiagrams(input: MermaidInput): MermaidDiagram[] {
  const after = marksFor(input.changes, 'after');
  const before = marksFor(input.changes, 'before');
  const touched = new Set(input.changes.map((c) => c.where.pageId).filter((id) => id !== undefined));
  const diagrams: MermaidDiagram[] = [];
  const afterPages = objects(input.after?.pages);
  const beforePages = objects(input.before?.pages);
  afterPages.forEach((page, p) => {
    const id = str(page.id) ?? `#${p}`;
    if (!touched.has(id)) return;
    // Widgets removed from this page: drawn as they were, in a block of their own.
    const removed = input.changes
      .filter((c) => c.kind === 'removed' && (c.what === 'widget' || c.what === 'section') && c.where.pageId === id)
      .map((c) => ({
        lines: [`${c.what === 'section' ? 'section' : typeNoun(c.type)}: ${c.label ?? c.id ?? '?'}`],
        mark: before.get(c.at.before ?? ''),
      }));
    const text = appPageDiagram(page, `pages[${p}]`, after, removed, after.get(`pages[${p}]`));
    diagrams.push({ page: str(page.label) ?? id, text });
  });
  beforePages.forEach((page, p) => {
    const mark = before.get(`pages[${p}]`);
    if (mark?.state !== 'removed') return;
    diagrams.push({
      page: str(page.label) ?? str(page.id) ?? `#${p}`,
      text: appPageDiagram(page, `pages[${p}]`, before, [], mark),
    });
  });
  return diagrams;
}

function dashboardDiagram(input: MermaidInput): MermaidDiagram {
  const side = input.after ? 'after' : 'before';
  const definition = (input.after ?? input.before)!;
  const marks = marksFor(input.changes, side);
  const found = dashboardWidgets(definition);
  const holders = new Set(found.filter((w) => found.some((o) => o.path.startsWith(`${w.path}.`))).map((w) => w.path));
  const containers = [...new Set(found.map((w) => w.container))];
  const rowOf = (item: JsonObject): number | undefined => {
    const p = item.position ?? item.gridPos ?? item.pos;
    return p !== null && typeof p === 'object' && !Array.isArray(p) && typeof p.y === 'number' ? p.y : undefined;
  };
  const blocks: Block[] = containers.map((container) => {
    const widgets = found.filter((w) => w.container === container && !holders.has(w.path));
    const nodes = widgets.map((w) => ({
      lines: [`${typeNoun(w.type)}: ${w.title ?? w.id ?? `#${w.order + 1}`}`],
      mark: marks.get(w.path),
      row: rowOf(w.item),
    }));
    // Widgets on one grid row side by side, when every widget has a row; else one under another.
    const byRow = nodes.every((n) => n.row !== undefined);
    const rows = byRow ? [...new Set(nodes.map((n) => n.row!))].sort((a, b) => a - b) : nodes.map((_, i) => i);
    const lanes = rows.map((row, i) => (byRow ? nodes.filter((n) => n.row === row) : [nodes[i]!]));
    return {
      title: widgets[0]?.section ?? found.find((w) => w.container === container)?.section ?? 'widgets',
      kind: 'rows',
      lanes,
    };
  });
  if (side === 'after') {
    const removed = input.changes.filter((c) => c.kind === 'removed' && c.what === 'widget');
    if (removed.length > 0)
      blocks.push({
        title: 'removed',
        kind: 'rows',
        lanes: removed.map((c) => [
          { lines: [`${typeNoun(c.type)}: ${c.label ?? c.id ?? '?'}`], mark: { state: 'removed', words: [] } },
        ]),
      });
  }
  const own = marks.get('');
  return { page: input.name, text: capped((room) => flowchart(`Dashboard: ${input.name}`, own, blocks, room)) };
}
