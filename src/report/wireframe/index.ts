import { isAppDefinition } from '../../core/changes/index.js';
import type { Change, DefinitionFlavour } from '../../core/changes/index.js';
import type { Json, JsonObject } from '../../core/types.js';
import { appHeader, appPage } from './app.js';
import type { DrawContext, Drawn } from './common.js';
import { dashboardDrawn } from './dashboard.js';
import { marksFor } from './marks.js';
import type { Side } from './marks.js';
import { group, rect, svgDocument, text } from './svg.js';

/*
 * Wireframes: a definition drawn as the layout of its pages, as SVG text. Pure: a definition (and
 * its changes) in, one SVG document out, with no script, no external file and every text escaped.
 * `sideBySideSvg` draws before and after next to each other, page by page, with what was added,
 * removed or changed marked in colour and in words.
 */

export type { Mark, MarkState, Side } from './marks.js';

/** How one definition is drawn. */
export interface WireframeOptions {
  /** Its name, shown as a dashboard's title (an app shows its header). */
  name?: string;
  /** app or dashboard; told from the definition's shape when absent. */
  flavour?: DefinitionFlavour;
  /** Width in pixels (560 unless told). */
  width?: number;
  /** Marks these changes, as the given side. */
  changes?: readonly Change[];
  side?: Side;
  /** Prefix of the ids inside the SVG, unique per document when several share one page. */
  idPrefix?: string;
}

const MARGIN = 12;
const SIDE_WIDTH = 520;
const BETWEEN = 24;

const pagesOf = (definition: JsonObject | undefined): JsonObject[] =>
  Array.isArray(definition?.pages)
    ? (definition.pages as Json[]).map((p) => (p !== null && typeof p === 'object' && !Array.isArray(p) ? p : {}))
    : [];
const flavourOf = (definition: JsonObject, flavour: DefinitionFlavour | undefined): DefinitionFlavour =>
  flavour ?? (isAppDefinition(definition) ? 'app' : 'dashboard');

/** One definition drawn: an app's header and every page under it, or a dashboard. */
export function wireframeSvg(definition: JsonObject, options: WireframeOptions = {}): string {
  const width = options.width ?? 560;
  const idPrefix = options.idPrefix ?? 'wf';
  const ctx: DrawContext = {
    marks: marksFor(options.changes ?? [], options.side ?? 'after'),
    hatch: `${idPrefix}-hatch`,
  };
  const inner = width - 2 * MARGIN;
  const parts: string[] = [];
  let top = MARGIN;
  if (flavourOf(definition, options.flavour) === 'app') {
    const header = appHeader(definition, MARGIN, top, inner, ctx);
    parts.push(header.svg);
    top += header.height + 10;
    pagesOf(definition).forEach((_, i) => {
      const page = appPage(definition, i, MARGIN, top, inner, ctx);
      parts.push(page.svg);
      top += page.height + 16;
    });
  } else {
    const drawn = dashboardDrawn(definition, options.name ?? 'Dashboard', MARGIN, top, inner, ctx);
    parts.push(drawn.svg);
    top += drawn.height + 10;
  }
  return svgDocument(
    width,
    top + MARGIN - 10,
    parts.join(''),
    idPrefix,
    `Wireframe of ${options.name ?? 'a definition'}`,
  );
}

/** Before and after of one dashboard or app, and what changed between them. */
export interface SideBySideInput {
  name: string;
  before?: JsonObject;
  after?: JsonObject;
  changes: readonly Change[];
  flavour?: DefinitionFlavour;
  idPrefix?: string;
  /** `changed` (the default) draws only the pages something changed on; `all` every page. */
  pages?: 'changed' | 'all';
}

// A dashed grey area standing for what one side does not have.
function absent(x: number, y: number, width: number, words: string): Drawn {
  const svg =
    rect(x, y, width, 56, { fill: '#f6f8fa', stroke: '#8c959f', dashed: true }) +
    text(x + width / 2, y + 33, words, width - 20, { size: 12, italic: true, fill: '#57606a', anchor: 'middle' });
  return { svg: group(svg, { absent: words }), height: 56 };
}

/** Before on the left, after on the right, page by page for an app. */
export function sideBySideSvg(input: SideBySideInput): string {
  const idPrefix = input.idPrefix ?? 'wf';
  const hatch = `${idPrefix}-hatch`;
  const sides = {
    before: { marks: marksFor(input.changes, 'before'), hatch },
    after: { marks: marksFor(input.changes, 'after'), hatch },
  };
  const left = MARGIN;
  const right = MARGIN + SIDE_WIDTH + BETWEEN;
  const parts: string[] = [];
  const heading = (x: number, words: string) =>
    text(x, MARGIN + 14, words, SIDE_WIDTH, { size: 14, weight: 'bold', fill: '#1f2328' });
  parts.push(
    group(heading(left, input.before ? 'Before' : 'Before: not there yet'), { side: 'before' }),
    group(heading(right, input.after ? 'After' : 'After: deleted'), { side: 'after' }),
  );
  let top = MARGIN + 26;
  const row = (draw: (side: Side, x: number) => Drawn) => {
    const drawn = [draw('before', left), draw('after', right)];
    parts.push(...drawn.map((d) => d.svg));
    top += Math.max(...drawn.map((d) => d.height)) + 16;
  };
  const shapeOf = input.after ?? input.before;
  const flavour = shapeOf ? flavourOf(shapeOf, input.flavour) : 'dashboard';
  const definitionOf = (side: Side) => (side === 'before' ? input.before : input.after);
  if (flavour === 'dashboard') {
    row((side, x) => {
      const definition = definitionOf(side);
      return definition
        ? dashboardDrawn(definition, input.name, x, top, SIDE_WIDTH, sides[side])
        : absent(x, top, SIDE_WIDTH, side === 'before' ? 'new: nothing before' : 'deleted: nothing after');
    });
  } else {
    row((side, x) => {
      const definition = definitionOf(side);
      return definition
        ? appHeader(definition, x, top, SIDE_WIDTH, sides[side])
        : absent(x, top, SIDE_WIDTH, side === 'before' ? 'new app: nothing before' : 'deleted: nothing after');
    });
    const beforePages = pagesOf(input.before);
    const afterPages = pagesOf(input.after);
    const idOf = (page: JsonObject, i: number) => (typeof page.id === 'string' ? page.id : `#${i}`);
    const rows: Array<{ before?: number; after?: number; id: string }> = afterPages.map((page, i) => {
      const id = idOf(page, i);
      const before = beforePages.findIndex((p, j) => idOf(p, j) === id);
      return { id, after: i, ...(before >= 0 ? { before } : {}) };
    });
    beforePages.forEach((page, j) => {
      if (!rows.some((r) => r.before === j)) rows.push({ id: idOf(page, j), before: j });
    });
    const touched = new Set(input.changes.map((c) => c.where.pageId).filter((id) => id !== undefined));
    const unchanged: string[] = [];
    for (const pageRow of rows) {
      if (input.pages !== 'all' && !touched.has(pageRow.id)) {
        const page = afterPages[pageRow.after ?? -1] ?? beforePages[pageRow.before ?? -1] ?? {};
        unchanged.push(typeof page.label === 'string' ? page.label : pageRow.id);
        continue;
      }
      row((side, x) => {
        const index = pageRow[side];
        const definition = definitionOf(side);
        if (index === undefined || !definition)
          return absent(x, top, SIDE_WIDTH, side === 'before' ? 'new page: not there before' : 'page removed');
        return appPage(definition, index, x, top, SIDE_WIDTH, sides[side]);
      });
    }
    if (unchanged.length > 0) {
      parts.push(
        text(left, top + 12, `Not drawn, unchanged: ${unchanged.join(', ')}`, 2 * SIDE_WIDTH + BETWEEN, {
          size: 11,
          italic: true,
          fill: '#57606a',
        }),
      );
      top += 24;
    }
  }
  const width = 2 * SIDE_WIDTH + BETWEEN + 2 * MARGIN;
  return svgDocument(width, top + MARGIN - 16, parts.join(''), idPrefix, `${input.name}: before and after`);
}
