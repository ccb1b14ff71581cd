import { LOOK, tagOf } from './marks.js';
import type { Mark } from './marks.js';
import { group, rect, text } from './svg.js';

/*
 * One box of a wireframe: a widget (of an app or a dashboard) drawn as a framed rectangle with its
 * mark's tag on top, a few lines of words, and a small picture of what it shows (bars, a line, a
 * table...), so a page reads at a glance.
 */

/** What a box says: its kind, its name, and lines under them. */
export interface BoxContent {
  /** The kind, in small grey letters: `bar chart`. */
  kind: string;
  /** The name, in bold: the label or title, else the id. */
  name: string;
  /** Further lines (the output it shows, its axes, a query), as many as fit. */
  lines: Array<{ text: string; mono?: boolean }>;
  /** The small picture drawn in the room left, if any. */
  glyph?: Glyph;
}

/** The small pictures of what a box shows. */
export type Glyph = 'bars' | 'line' | 'area' | 'pie' | 'table' | 'heat' | 'stat' | 'text' | 'button' | 'input' | 'form';

/** The height of a box's tag strip, when it has a mark. */
export const TAG_HEIGHT = 16;

/** The glyph of a widget type, app or free-form: bars for a bar chart, a grid for a table. */
export function glyphOf(type: string | undefined): Glyph | undefined {
  const t = (type ?? '').toLowerCase();
  const rules: Array<[RegExp, Glyph]> = [
    [/bar|column|histogram|funnel/, 'bars'],
    [/area/, 'area'],
    [/line|graph|timeseries|scatter|trend/, 'line'],
    [/pie|donut|doughnut/, 'pie'],
    [/heat/, 'heat'],
    [/table|grid|list|log/, 'table'],
    [/stat|kpi|gauge|single|number|metric/, 'stat'],
    [/text|markdown|note/, 'text'],
    [/button/, 'button'],
    [/form/, 'form'],
    [/input/, 'input'],
  ];
  return rules.find(([pattern]) => pattern.test(t))?.[1];
}

/** A box at (x, y) of this size with this content and mark; `tags` data for tests and readers. */
export function box(
  x: number,
  y: number,
  width: number,
  height: number,
  content: BoxContent,
  mark: Mark | undefined,
  options: { hatch: string; data?: Record<string, string | undefined> },
): string {
  const look = LOOK[mark?.state ?? 'none'];
  const removed = mark?.state === 'removed';
  const parts = [
    rect(x, y, width, height, {
      fill: removed ? `url(#${options.hatch})` : look.fill,
      stroke: look.stroke,
      strokeWidth: mark ? 2 : 1,
      dashed: removed,
    }),
  ];
  const inner = width - 12;
  let line = y + 14;
  if (mark) {
    parts.push(rect(x + 1, y + 1, width - 2, TAG_HEIGHT, { fill: look.tag, stroke: 'none', radius: 3 }));
    parts.push(text(x + 6, y + 13, tagOf(mark), inner, { size: 10, weight: 'bold', fill: look.ink }));
    line += TAG_HEIGHT;
  }
  parts.push(text(x + 6, line, content.kind, inner, { size: 10, fill: '#57606a' }));
  line += 15;
  parts.push(text(x + 6, line, content.name, inner, { size: 12, weight: 'bold', fill: '#1f2328' }));
  for (const item of content.lines) {
    if (line + 14 > y + height - 4) break;
    line += 14;
    parts.push(text(x + 6, line, item.text, inner, { size: 10.5, fill: '#424a53', mono: item.mono === true }));
  }
  const room = y + height - 6 - (line + 6);
  if (content.glyph && room >= 18 && width >= 60)
    parts.push(glyph(content.glyph, x + 8, line + 6, Math.min(width - 16, 160), Math.min(room, 40)));
  return group(parts.join(''), { box: content.name, ...options.data, mark: mark ? tagOf(mark) : undefined });
}

const STROKE = '#afb8c1';

/** A small picture of what a widget shows, in the given area. */
function glyph(kind: Glyph, x: number, y: number, width: number, height: number): string {
  const bottom = y + height;
  switch (kind) {
    case 'bars': {
      const heights = [0.5, 0.8, 0.35, 0.95, 0.65];
      const step = width / heights.length;
      return heights
        .map((h, i) =>
          rect(x + i * step + 2, bottom - h * height, step - 4, h * height, {
            fill: '#d0d7de',
            stroke: 'none',
            radius: 1,
          }),
        )
        .join('');
    }
    case 'line':
    case 'area': {
      const ys = [0.7, 0.45, 0.55, 0.2, 0.35, 0.1];
      const points = ys.map(
        (v, i) => `${(x + (i * width) / (ys.length - 1)).toFixed(1)},${(y + v * height).toFixed(1)}`,
      );
      const area =
        kind === 'area'
          ? `<polygon points="${x},${bottom} ${points.join(' ')} ${x + width},${bottom}" fill="#d0d7de"/>`
          : '';
      return `${area}<polyline points="${points.join(' ')}" fill="none" stroke="#8c959f" stroke-width="2"/>`;
    }
    case 'pie': {
      const r = Math.min(width, height) / 2;
      const cx = x + r;
      const cy = y + r;
      return (
        `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#d0d7de"/>` +
        `<path d="M${cx},${cy} L${cx},${cy - r} A${r},${r} 0 0,1 ${(cx + r * 0.95).toFixed(1)},${(cy + r * 0.3).toFixed(1)} Z" fill="#8c959f"/>`
      );
    }
    case 'table': {
      const rows = Math.max(2, Math.min(4, Math.floor(height / 9)));
      const lines = Array.from({ length: rows + 1 }, (_, i) => {
        const ly = (y + (i * height) / rows).toFixed(1);
        return `<line x1="${x}" y1="${ly}" x2="${x + width}" y2="${ly}" stroke="${STROKE}"/>`;
      });
      return rect(x, y, width, height / rows, { fill: '#eaeef2', stroke: 'none', radius: 0 }) + lines.join('');
    }
    case 'heat': {
      const cols = 6;
      const rows = 3;
      const shades = ['#eaeef2', '#d0d7de', '#afb8c1', '#8c959f'];
      const cells: string[] = [];
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++)
          cells.push(
            rect(x + (c * width) / cols, y + (r * height) / rows, width / cols - 2, height / rows - 2, {
              fill: shades[(r * 5 + c * 3) % shades.length]!,
              stroke: 'none',
              radius: 1,
            }),
          );
      return cells.join('');
    }
    case 'stat':
      return text(x, bottom - 4, '123', width, { size: Math.min(22, height), weight: 'bold', fill: '#8c959f' });
    case 'text':
      return [0, 1, 2]
        .map((i) => rect(x, y + i * 8, width * (i === 2 ? 0.6 : 1), 4, { fill: '#d0d7de', stroke: 'none', radius: 2 }))
        .join('');
    case 'button':
      return rect(x, y, Math.min(width, 70), Math.min(height, 18), { fill: '#0969da', stroke: 'none', radius: 6 });
    case 'input':
    case 'form':
      return rect(x, y, width, Math.min(height, 18), { fill: '#ffffff', stroke: STROKE, radius: 3 });
  }
}
