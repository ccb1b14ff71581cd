import { typeNoun } from '../../core/changes/words.js';
import type { JsonObject } from '../../core/types.js';
import { box, glyphOf, TAG_HEIGHT } from './box.js';
import type { BoxContent } from './box.js';
import { list, objects, str } from './common.js';
import type { DrawContext, Drawn } from './common.js';
import { sectionLayout } from './layout.js';
import { LOOK, tagOf } from './marks.js';
import { group, rect, text } from './svg.js';

/*
 * An app section drawn as the platform lays it out (layout.ts): its title bar, then its widgets on
 * the 12-column grid or in weighted columns, each a box with its type, its label, the output it
 * shows and what it plots.
 */

const GAP = 8;
const PAD = 8;

/**
 * What a widget's box says: its type, its label, the output it shows and what it plots; for a
 * widget showing an input, that input (a form's fields) from the page's `inputs`.
 */
export function appWidgetContent(widget: JsonObject, inputs: JsonObject[] = []): BoxContent {
  const lines: BoxContent['lines'] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push({ text: label === '' ? value : `${label}: ${value}` });
  };
  add('output', str(widget.outputId));
  add('input', str(widget.inputId));
  const input = inputs.find((i) => widget.inputId !== undefined && i.id === widget.inputId);
  if (input) {
    const fields = objects(input.sections).flatMap((s) => objects(s.fields));
    if (input.type === 'form') add('fields', fields.map((f) => str(f.label) ?? str(f.id) ?? '?').join(', '));
    else add(str(input.type) ?? 'input', str(input.label));
  }
  add('runs', str(widget.groupId));
  const action = widget.action;
  if (action !== null && typeof action === 'object' && !Array.isArray(action))
    add(
      'on click',
      [str(action.type), str(action.url) ?? str(action.key) ?? str(action.groupId)].filter(Boolean).join(' '),
    );
  if (widget.x !== undefined || widget.y !== undefined)
    add('', `x: ${list(widget.x) ?? '-'} · y: ${list(widget.y) ?? '-'}`);
  add('series', str(widget.seriesCol));
  if (widget.rowCol !== undefined || widget.colCol !== undefined)
    add('', `${str(widget.rowCol) ?? '-'} × ${str(widget.colCol) ?? '-'}`);
  add('value', str(widget.valueCol));
  add('columns', list(widget.columns));
  add('', str(widget.content));
  const type = str(widget.type);
  return { kind: typeNoun(type), name: str(widget.label) ?? str(widget.id) ?? '(no id)', lines, ...glyphField(type) };
}

const glyphField = (type: string | undefined) => {
  const glyph = glyphOf(type);
  return glyph === undefined ? {} : { glyph };
};

/** How tall a box is drawn: charts and tables have room for their picture. */
export function boxHeight(content: BoxContent, marked: boolean): number {
  const tall = ['bars', 'line', 'area', 'pie', 'table', 'heat'].includes(content.glyph ?? '');
  return (tall ? 122 : 86) + (marked ? TAG_HEIGHT : 0);
}

/** One section at (x, y); `inputs` are its page's, for the widgets that show one. */
export function sectionDrawn(
  section: JsonObject,
  at: string,
  x: number,
  y: number,
  width: number,
  ctx: DrawContext & { inputs: JsonObject[] },
): Drawn {
  const layout = sectionLayout(section);
  const mark = ctx.marks.get(at);
  const look = LOOK[mark?.state ?? 'none'];
  const inner = width - 2 * PAD;
  const top = y + 26;
  const placed: Array<{ svg: string; bottom: number }> = [];
  const widgetBox = (cell: (typeof layout.cells)[number], bx: number, by: number, bw: number, bh?: number) => {
    const path = `${at}.widgets[${cell.index}]`;
    const content = appWidgetContent(cell.widget, ctx.inputs);
    const widgetMark = ctx.marks.get(path);
    const height = bh ?? boxHeight(content, widgetMark !== undefined);
    const svg = box(bx, by, bw, height, content, widgetMark, { hatch: ctx.hatch, data: { path } });
    return { svg, bottom: by + height };
  };
  if (layout.kind === 'grid') {
    const column = (inner - 11 * GAP) / 12;
    let rowTop = top;
    for (let row = 0; row < layout.rows; row++) {
      const cells = layout.cells.filter((c) => c.row === row);
      const height = Math.max(
        ...cells.map((c) =>
          boxHeight(appWidgetContent(c.widget, ctx.inputs), ctx.marks.has(`${at}.widgets[${c.index}]`)),
        ),
      );
      for (const cell of cells)
        placed.push(
          widgetBox(
            cell,
            x + PAD + cell.column * (column + GAP),
            rowTop,
            cell.span * column + (cell.span - 1) * GAP,
            height,
          ),
        );
      rowTop += height + GAP;
    }
  } else {
    const total = layout.weights.reduce((sum, w) => sum + w, 0);
    const room = inner - (layout.columns - 1) * GAP;
    let left = x + PAD;
    layout.weights.forEach((weight, columnIndex) => {
      const columnWidth = (room * weight) / total;
      let stackTop = top;
      for (const cell of layout.cells.filter((c) => c.column === columnIndex)) {
        const drawn = widgetBox(cell, left, stackTop, columnWidth);
        placed.push(drawn);
        stackTop = drawn.bottom + GAP;
      }
      left += columnWidth + GAP;
    });
  }
  const bottom = Math.max(top + 24, ...placed.map((p) => p.bottom)) + PAD;
  const title = str(section.title) ?? str(section.id) ?? 'section';
  const shape =
    layout.kind === 'grid'
      ? (str(section.layout) ?? 'grid')
      : `${str(section.layout) ?? 'columns'} ${layout.weights.join(':')}`;
  const parts = [
    rect(x, y, width, bottom - y, {
      fill: mark?.state === 'removed' ? `url(#${ctx.hatch})` : mark ? look.fill : '#f6f8fa',
      stroke: mark ? look.stroke : '#d0d7de',
      strokeWidth: mark ? 2 : 1,
      dashed: mark?.state === 'removed',
    }),
    text(x + PAD, y + 17, `${title}${mark ? `  ${tagOf(mark)}` : ''}`, width - 2 * PAD - 80, {
      size: 12,
      weight: 'bold',
      fill: mark ? look.ink : '#1f2328',
    }),
    text(x + width - PAD, y + 17, shape, 76, { size: 10, fill: '#57606a', anchor: 'end' }),
    ...placed.map((p) => p.svg),
  ];
  if (layout.cells.length === 0)
    parts.push(text(x + PAD, top + 14, 'no widgets', inner, { size: 10.5, italic: true, fill: '#57606a' }));
  return { svg: group(parts.join(''), { section: title, path: at }), height: bottom - y };
}
