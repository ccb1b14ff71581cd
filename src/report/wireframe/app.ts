import type { JsonObject } from '../../core/types.js';
import { objects, str } from './common.js';
import type { DrawContext, Drawn } from './common.js';
import { LOOK, tagOf } from './marks.js';
import type { Mark } from './marks.js';
import { sectionDrawn } from './section.js';
import { fit, group, rect, text } from './svg.js';

/*
 * An app page drawn as its layout: the page tabs, the page's inputs and run groups as controls,
 * then each section (section.ts). The app's header is drawn once, above its pages.
 */

const GAP = 8;
const PAD = 8;

/** The mark of an element, or, when only what it holds changed, a `changed` mark naming that. */
export function markWithin(marks: Map<string, Mark>, path: string, inner: string): Mark | undefined {
  const own = marks.get(path);
  if (own) return own;
  for (const key of marks.keys()) if (key.startsWith(`${path}.`)) return { state: 'changed', words: [inner] };
  return undefined;
}

/** The app's header: its title and subtitle, marked when they changed. */
export function appHeader(definition: JsonObject, x: number, y: number, width: number, ctx: DrawContext): Drawn {
  const header = objects([definition.header ?? null])[0] ?? {};
  const mark = ctx.marks.get('header');
  const look = LOOK[mark?.state ?? 'none'];
  const tag = mark ? `  ${tagOf(mark)}` : '';
  const parts = [
    rect(x, y, width, 40, {
      fill: mark ? look.fill : '#24292f',
      stroke: mark ? look.stroke : '#24292f',
      strokeWidth: mark ? 2 : 1,
    }),
    text(x + 10, y + 17, `${str(header.title) ?? '(no title)'}${tag}`, width - 20, {
      size: 13,
      weight: 'bold',
      fill: mark ? look.ink : '#ffffff',
    }),
    text(x + 10, y + 32, str(header.subtitle) ?? '', width - 20, { size: 10.5, fill: mark ? look.ink : '#d0d7de' }),
  ];
  return { svg: group(parts.join(''), { part: 'header' }), height: 40 };
}

/** The page tabs, the page `pageIndex` shown as the current one. */
function tabs(pages: JsonObject[], pageIndex: number, x: number, y: number, width: number, ctx: DrawContext): string {
  const parts: string[] = [rect(x, y, width, 28, { fill: '#f6f8fa', stroke: '#d0d7de', radius: 0 })];
  let left = x + 4;
  pages.forEach((page, i) => {
    const mark = ctx.marks.get(`pages[${i}]`);
    const label = `${mark ? `${tagOf(mark).split(' ')[0]} ` : ''}${str(page.label) ?? str(page.id) ?? `page ${i + 1}`}`;
    const tabWidth = Math.min(200, Math.max(56, fit(label, 180, { size: 11.5, weight: 'bold' }).length * 7.6 + 18));
    if (left + tabWidth > x + width - 4) return;
    const current = i === pageIndex;
    const look = LOOK[mark?.state ?? 'none'];
    parts.push(
      rect(left, y + 3, tabWidth, 25, {
        fill: mark ? look.fill : current ? '#ffffff' : '#f6f8fa',
        stroke: mark ? look.stroke : current ? '#d0d7de' : 'none',
        dashed: mark?.state === 'removed',
        radius: 3,
      }),
      text(left + 8, y + 20, label, tabWidth - 12, {
        size: 11.5,
        weight: current ? 'bold' : 'regular',
        fill: mark ? look.ink : current ? '#1f2328' : '#57606a',
      }),
    );
    if (current) parts.push(rect(left, y + 26, tabWidth, 2, { fill: '#fd8c73', stroke: 'none', radius: 0 }));
    left += tabWidth + 4;
  });
  // The current page's mark in words, at the right end of the tabs (its tab only has the symbol).
  const mark = ctx.marks.get(`pages[${pageIndex}]`);
  if (mark) {
    const words = `${tagOf(mark)}${mark.state === 'added' || mark.state === 'removed' ? ' page' : ''}`;
    parts.push(
      text(x + width - 8, y + 19, words, Math.max(0, x + width - left - 12), {
        size: 11,
        weight: 'bold',
        fill: LOOK[mark.state].ink,
        anchor: 'end',
      }),
    );
  }
  return group(parts.join(''), { part: 'tabs' });
}

// A page's inputs and run groups, as chips that wrap: what a person fills in and clicks.
function controls(page: JsonObject, at: string, x: number, y: number, width: number, ctx: DrawContext): Drawn {
  const chips: Array<{ label: string; path: string; button: boolean; inner: string }> = [];
  objects(page.inputs).forEach((input, i) => {
    const name = str(input.label) ?? str(input.id) ?? 'input';
    const fields = objects(input.sections).flatMap((s) => objects(s.fields)).length;
    const label =
      input.type === 'form'
        ? `form ${name} · ${fields} field${fields === 1 ? '' : 's'}`
        : `${name} · ${str(input.type) ?? '?'}`;
    chips.push({ label, path: `${at}.inputs[${i}]`, button: false, inner: 'fields' });
  });
  objects(page.runGroups).forEach((runGroup, i) => {
    const name = str(runGroup.label) ?? str(runGroup.id) ?? 'run group';
    const trigger = str(runGroup.trigger);
    const label =
      trigger === 'button' ? `▶ ${name}` : `${name} · runs on ${trigger === 'form' ? 'submit' : (trigger ?? '?')}`;
    chips.push({ label, path: `${at}.runGroups[${i}]`, button: trigger === 'button', inner: 'outputs' });
  });
  if (chips.length === 0) return { svg: '', height: 0 };
  const parts: string[] = [];
  let left = x;
  let top = y;
  for (const chip of chips) {
    const mark = markWithin(ctx.marks, chip.path, chip.inner);
    const shown = mark ? `${chip.label}  ${tagOf(mark)}` : chip.label;
    const chipWidth = Math.min(width, Math.max(70, fit(shown, width - 16, { size: 11 }).length * 6.6 + 18));
    if (left + chipWidth > x + width && left > x) {
      left = x;
      top += 30;
    }
    const look = LOOK[mark?.state ?? 'none'];
    const fill =
      mark?.state === 'removed' ? `url(#${ctx.hatch})` : mark ? look.fill : chip.button ? '#ddf4ff' : '#ffffff';
    const ink = mark ? look.ink : chip.button ? '#0550ae' : '#1f2328';
    parts.push(
      group(
        rect(left, top, chipWidth, 24, {
          fill,
          stroke: mark ? look.stroke : '#8c959f',
          strokeWidth: mark ? 2 : 1,
          dashed: mark?.state === 'removed',
          radius: 12,
        }) + text(left + 9, top + 16, shown, chipWidth - 16, { size: 11, fill: ink }),
        { box: chip.label, mark: mark ? tagOf(mark) : undefined },
      ),
    );
    left += chipWidth + 6;
  }
  return { svg: parts.join(''), height: top - y + 24 };
}

/** One page of an app: tabs, controls and sections, in a frame marked as the page is. */
export function appPage(
  definition: JsonObject,
  pageIndex: number,
  x: number,
  y: number,
  width: number,
  ctx: DrawContext,
): Drawn {
  const pages = objects(definition.pages);
  const page = pages[pageIndex] ?? {};
  const at = `pages[${pageIndex}]`;
  const inputs = objects(page.inputs);
  const parts = [tabs(pages, pageIndex, x, y, width, ctx)];
  let top = y + 28 + GAP;
  const drawnControls = controls(page, at, x + PAD, top, width - 2 * PAD, ctx);
  if (drawnControls.height > 0) {
    parts.push(drawnControls.svg);
    top += drawnControls.height + GAP;
  }
  objects(page.sections).forEach((section, i) => {
    const drawn = sectionDrawn(section, `${at}.sections[${i}]`, x + PAD, top, width - 2 * PAD, { ...ctx, inputs });
    parts.push(drawn.svg);
    top += drawn.height + GAP;
  });
  const mark = ctx.marks.get(at);
  const frame = rect(x, y, width, top - y, {
    fill: '#ffffff',
    stroke: mark ? LOOK[mark.state].stroke : '#d0d7de',
    strokeWidth: mark ? 2 : 1,
    dashed: mark?.state === 'removed',
  });
  return { svg: group(frame + parts.join(''), { page: str(page.label) ?? str(page.id), path: at }), height: top - y };
}
