import { dashboardWidgets, QUERY_KEYS } from '../../core/changes/dashboard-widgets.js';
import type { FoundWidget } from '../../core/changes/dashboard-widgets.js';
import { typeNoun } from '../../core/changes/words.js';
import type { Json, JsonObject } from '../../core/types.js';
import { str } from './common.js';
import type { DrawContext, Drawn } from './common.js';
import { box, glyphOf, TAG_HEIGHT } from './box.js';
import type { BoxContent } from './box.js';
import { LOOK, tagOf } from './marks.js';
import { group, rect, text } from './svg.js';

/*
 * A free-form dashboard drawn as its layout: its name and description, its filters, then its
 * widgets in order (on their grid where every widget of an array has a position: x, y, w, h),
 * each a box with its type, title and the first lines of its query. Widgets nested in rows are
 * drawn under the row's title.
 */

const GAP = 8;
const ROW_UNIT = 22;
const MIN_HEIGHT = 70;

const num = (value: Json | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

// The first lines of a widget's query, as written.
function queryLines(widget: JsonObject): string[] {
  for (const key of QUERY_KEYS) {
    const value = widget[key];
    const textOf = (v: Json | undefined): string | undefined =>
      typeof v === 'string'
        ? v
        : v !== null && typeof v === 'object' && !Array.isArray(v)
          ? (str(v.text) ?? str(v.sql) ?? str(v.expr) ?? str(v.query) ?? str(v.rawSql))
          : Array.isArray(v)
            ? v.map(textOf).filter(Boolean).join('\n')
            : undefined;
    const found = textOf(value);
    if (found !== undefined)
      return found
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
  }
  return [];
}

/** What a dashboard widget's box says: its type, title and query. */
export function dashboardWidgetContent(widget: FoundWidget): BoxContent {
  const glyph = glyphOf(widget.type);
  return {
    kind: typeNoun(widget.type),
    name: widget.title ?? widget.id ?? `widget ${widget.order + 1}`,
    lines: queryLines(widget.item)
      .slice(0, 3)
      .map((line) => ({ text: line, mono: true })),
    ...(glyph === undefined ? {} : { glyph }),
  };
}

// The grid place of a widget, when it has one.
function placeOf(widget: JsonObject): { x: number; y: number; w: number; h: number } | undefined {
  for (const key of ['position', 'gridPos', 'pos']) {
    const p = widget[key];
    if (p === null || typeof p !== 'object' || Array.isArray(p)) continue;
    const [x, y, w, h] = [num(p.x), num(p.y), num(p.w), num(p.h)];
    if (x !== undefined && y !== undefined && w !== undefined && w > 0 && h !== undefined && h > 0)
      return { x, y, w, h };
  }
  return undefined;
}

// One array of widgets: on its grid when all have a place, else one under another.
function widgetsDrawn(
  widgets: FoundWidget[],
  columns: number,
  x: number,
  y: number,
  width: number,
  ctx: DrawContext,
): Drawn {
  const places = widgets.map((w) => placeOf(w.item));
  const parts: string[] = [];
  const draw = (widget: FoundWidget, bx: number, by: number, bw: number, bh: number) =>
    box(bx, by, bw, bh, dashboardWidgetContent(widget), ctx.marks.get(widget.path), {
      hatch: ctx.hatch,
      data: { path: widget.path },
    });
  if (places.every((p) => p !== undefined) && widgets.length > 0) {
    const grid = Math.max(columns, ...places.map((p) => p!.x + p!.w));
    const top = Math.min(...places.map((p) => p!.y));
    const unit = (width + GAP) / grid;
    // Rows tall enough for the lowest widget's words: grid rows scale together, so nothing overlaps.
    const lowest = Math.min(...places.map((p) => p!.h));
    const row = Math.max(ROW_UNIT, Math.ceil((MIN_HEIGHT + TAG_HEIGHT + GAP) / lowest));
    let bottom = y;
    widgets.forEach((widget, i) => {
      const p = places[i]!;
      const height = p.h * row - GAP;
      const by = y + (p.y - top) * row;
      parts.push(draw(widget, x + p.x * unit, by, p.w * unit - GAP, height));
      bottom = Math.max(bottom, by + height);
    });
    return { svg: parts.join(''), height: bottom - y };
  }
  let top = y;
  for (const widget of widgets) {
    const content = dashboardWidgetContent(widget);
    const height = 44 + Math.min(3, content.lines.length) * 14 + (ctx.marks.has(widget.path) ? TAG_HEIGHT : 0) + 10;
    parts.push(draw(widget, x, top, width, height));
    top += height + GAP;
  }
  return { svg: parts.join(''), height: Math.max(0, top - y - GAP) };
}

/** A whole dashboard: header, filters, and its widgets by array (a row's under its title). */
export function dashboardDrawn(
  definition: JsonObject,
  name: string,
  x: number,
  y: number,
  width: number,
  ctx: DrawContext,
): Drawn {
  const parts: string[] = [];
  const own = ctx.marks.get('');
  const look = LOOK[own?.state ?? 'none'];
  parts.push(
    rect(x, y, width, 40, {
      fill: own ? look.fill : '#24292f',
      stroke: own ? look.stroke : '#24292f',
      strokeWidth: own ? 2 : 1,
    }),
    text(x + 10, y + 17, `${name}${own ? `  ${tagOf(own)}` : ''}`, width - 20, {
      size: 13,
      weight: 'bold',
      fill: own ? look.ink : '#ffffff',
    }),
    text(x + 10, y + 32, str(definition.description) ?? '', width - 20, {
      size: 10.5,
      fill: own ? look.ink : '#d0d7de',
    }),
  );
  let top = y + 40 + GAP;
  const filters = ['filters', 'variables', 'parameters']
    .flatMap((key) => (Array.isArray(definition[key]) ? (definition[key] as Json[]) : []))
    .filter((f): f is JsonObject => f !== null && typeof f === 'object' && !Array.isArray(f));
  if (filters.length > 0) {
    let left = x;
    for (const filter of filters) {
      const label = `${str(filter.label) ?? str(filter.name) ?? str(filter.field) ?? 'filter'} ▾`;
      const chip = Math.min(180, label.length * 6.6 + 18);
      if (left + chip > x + width) break;
      parts.push(
        rect(left, top, chip, 24, { fill: '#ffffff', stroke: '#8c959f', radius: 12 }),
        text(left + 9, top + 16, label, chip - 16, { size: 11 }),
      );
      left += chip + 6;
    }
    top += 24 + GAP;
  }
  const found = dashboardWidgets(definition);
  const holders = new Set(found.filter((w) => found.some((o) => o.path.startsWith(`${w.path}.`))).map((w) => w.path));
  const layout = definition.layout;
  const columns =
    num(layout !== null && typeof layout === 'object' && !Array.isArray(layout) ? layout.columns : undefined) ?? 12;
  const containers = [...new Set(found.map((w) => w.container))];
  for (const container of containers) {
    const widgets = found.filter((w) => w.container === container && !holders.has(w.path));
    const section = found.find((w) => w.container === container)?.section;
    if (section !== undefined) {
      const holder = found.find((w) => container.startsWith(`${w.path}.`) && holders.has(w.path));
      const mark = holder ? ctx.marks.get(holder.path) : undefined;
      const shown = `${section}${mark ? `  ${tagOf(mark)}` : ''}`;
      parts.push(
        group(
          text(x, top + 14, shown, width, { size: 12, weight: 'bold', fill: mark ? LOOK[mark.state].ink : '#1f2328' }),
          { section },
        ),
      );
      top += 22;
    }
    if (widgets.length === 0) continue;
    const drawn = widgetsDrawn(widgets, columns, x, top, width, ctx);
    parts.push(drawn.svg);
    top += drawn.height + GAP;
  }
  if (found.length === 0)
    parts.push(text(x, top + 14, 'no widgets found', width, { size: 11, italic: true, fill: '#57606a' }));
  return { svg: parts.join(''), height: top - y + (found.length === 0 ? 24 : 0) };
}
