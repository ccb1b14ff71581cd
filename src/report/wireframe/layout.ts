import type { Json, JsonObject } from '../../core/types.js';

/*
 * How the platform lays out an app section, as geometry: the one reading of `layout`, `span`,
 * `weights` and `column` that the wireframes and the Mermaid diagrams share.
 * - `grid` (and a section without a layout): a 12-column grid; each widget takes `span` columns
 *   (12 when unset), left to right, starting a new row when the next does not fit.
 * - `columns`: one column per weight (`weights` are relative widths; equal when unset), each widget
 *   stacked in its `column` (1-based; the first when unset or out of range).
 * - `two_col`, `four_col`: two or four equal columns; a widget with a `column` goes there, the others
 *   fill the columns in turn.
 * - `single`: one widget under another, full width.
 */

/** One widget placed in its section. */
export interface Cell {
  /** Its index in the section's widgets. */
  index: number;
  widget: JsonObject;
  /** Its column (0-based) and how many it spans, out of the section's `columns`. */
  column: number;
  span: number;
  /** Its row in a grid, or its place in its column's stack. */
  row: number;
}

/** A section's widgets placed: on a grid of `columns` equal columns, or in weighted columns. */
export interface SectionLayout {
  /** `grid`: cells span grid columns; `stacks`: each cell is in one column of `weights`. */
  kind: 'grid' | 'stacks';
  /** Grid: 12. Stacks: the number of columns. */
  columns: number;
  /** Stacks: relative widths of the columns, one per column. */
  weights: number[];
  cells: Cell[];
  /** How many rows (grid) or the longest stack. */
  rows: number;
}

const objects = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value)
    ? value.filter((v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v))
    : [];
const whole = (value: Json | undefined, min: number, max: number): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : undefined;

/** The widgets of a section, placed as the platform places them. */
export function sectionLayout(section: JsonObject): SectionLayout {
  const widgets = objects(section.widgets);
  const layout = typeof section.layout === 'string' ? section.layout : 'grid';
  if (layout === 'columns' || layout === 'two_col' || layout === 'four_col') {
    const given = Array.isArray(section.weights)
      ? section.weights.filter((w): w is number => typeof w === 'number' && w > 0)
      : [];
    const widest = Math.max(1, ...widgets.map((w) => whole(w.column, 1, 12) ?? 1));
    const count = layout === 'two_col' ? 2 : layout === 'four_col' ? 4 : given.length > 0 ? given.length : widest;
    const weights = layout === 'columns' && given.length === count ? given : new Array<number>(count).fill(1);
    const heights = new Array<number>(count).fill(0);
    let turn = 0;
    const cells = widgets.map((widget, index) => {
      const asked = whole(widget.column, 1, 12);
      const column = asked !== undefined && asked <= count ? asked - 1 : layout === 'columns' ? 0 : turn++ % count;
      return { index, widget, column, span: 1, row: heights[column]!++ };
    });
    return { kind: 'stacks', columns: count, weights, cells, rows: Math.max(0, ...heights) };
  }
  const cells: Cell[] = [];
  let row = 0;
  let used = 0;
  widgets.forEach((widget, index) => {
    const span = layout === 'single' ? 12 : (whole(widget.span, 1, 12) ?? 12);
    if (used + span > 12 && used > 0) {
      row++;
      used = 0;
    }
    cells.push({ index, widget, column: used, span, row });
    used += span;
  });
  return { kind: 'grid', columns: 12, weights: [], cells, rows: widgets.length === 0 ? 0 : row + 1 };
}
