import { canonicalJson } from '../canonical.js';
import type { Json, JsonObject } from '../types.js';
import { quote } from '../words.js';
import { ChangeList, fieldChange } from './collect.js';
import type { FieldChange, SortKey } from './collect.js';
import { dashboardWidgets, pairWidgets, POSITION_KEYS, QUERY_KEYS, withoutWidgets } from './dashboard-widgets.js';
import type { FoundWidget } from './dashboard-widgets.js';
import { fieldDiffs, objectOf, outOfOrder, same } from './match.js';
import type { Change } from './types.js';
import { count, fieldSentence, isChartType, named, shown, typeNoun, withArticle } from './words.js';

/*
 * The changes between two free-form dashboard definitions: widgets (wherever dashboards keep them,
 * see dashboard-widgets.ts) added, removed, moved or resized, their type, title and query changed,
 * any other field by its path; and the dashboard's own fields (description, filters...) by path.
 */

const OWN = new Set<string>(['type', 'title', ...QUERY_KEYS, ...POSITION_KEYS]);

const idOf = (w: FoundWidget): string => w.id ?? w.title ?? `#${w.order + 1}`;
const nameOf = (w: FoundWidget): string => `the ${named(typeNoun(w.type), w.title, w.id ?? `#${w.order + 1}`)}`;
const placeOf = (w: FoundWidget): string =>
  w.section === undefined ? 'the top level' : `section ${quote(w.section, 80)}`;

/** The changes from `before` to `after` (either may be absent: a created or a deleted dashboard). */
export function dashboardChanges(before: JsonObject | undefined, after: JsonObject | undefined): Change[] {
  const changes = new ChangeList();
  if (before && after)
    for (const diff of fieldDiffs(withoutWidgets(before), withoutWidgets(after)))
      changes.add(
        { page: 0, category: 0, element: 0 },
        {
          what: 'field',
          where: {},
          at: { before: '', after: '' },
          ...fieldChange(diff.path, 'the dashboard', diff.before, diff.after),
        },
      );
  const b = dashboardWidgets(before);
  const a = dashboardWidgets(after);
  const { pairs, removed, added } = pairWidgets(b, a);
  const key = (bw: FoundWidget | undefined, aw: FoundWidget | undefined): SortKey => ({
    page: 0,
    category: 1,
    element: aw ? aw.order : 1e6 + bw!.order,
  });
  const told = (bw: FoundWidget | undefined, aw: FoundWidget | undefined) => {
    const w = (aw ?? bw)!;
    return {
      what: 'widget' as const,
      id: idOf(w),
      label: w.title,
      type: w.type,
      where: { section: w.section },
      at: { before: bw?.path, after: aw?.path },
    };
  };
  const inside = (w: FoundWidget, others: FoundWidget[]) => others.some((o) => w.path.startsWith(`${o.path}.`));
  const holding = (w: FoundWidget, all: FoundWidget[]) => {
    const n = all.filter((o) => o.path.startsWith(`${w.path}.`)).length;
    return n === 0 ? '' : `, with ${count(n, 'widget')}`;
  };
  for (const aw of added.filter((w) => !inside(w, added))) {
    const to = aw.section === undefined ? '' : ` to ${placeOf(aw)}`;
    changes.add(key(undefined, aw), {
      kind: 'added',
      ...told(undefined, aw),
      sentence: `${nameOf(aw)} is added${to}${holding(aw, a)}`,
    });
  }
  for (const bw of removed.filter((w) => !inside(w, removed))) {
    const from = bw.section === undefined ? '' : ` from ${placeOf(bw)}`;
    changes.add(key(bw, undefined), {
      kind: 'removed',
      ...told(bw, undefined),
      sentence: `${nameOf(bw)} is removed${from}${holding(bw, b)}`,
    });
  }
  const moved = reordered(pairs);
  for (const [bw, aw] of pairs) {
    const add = (change: FieldChange) => changes.add(key(bw, aw), { ...told(bw, aw), ...change });
    for (const change of widgetFieldChanges(bw, aw)) add(change);
    if (bw.container !== aw.container)
      add({ kind: 'moved', sentence: `${nameOf(aw)} moves to ${placeOf(aw)} (was ${placeOf(bw)})` });
    else if (moved.has(aw)) {
      const siblings = a.filter((o) => o.container === aw.container);
      const previous = siblings[siblings.indexOf(aw) - 1];
      const sentence = previous
        ? `${nameOf(aw)} moves after ${nameOf(previous)}`
        : `${nameOf(aw)} moves to the first place`;
      add({ kind: 'moved', field: 'position', sentence });
    }
  }
  return changes.sorted();
}

// The pairs whose widget changed place among those of its array (all but a longest run kept in order).
function reordered(pairs: Array<[FoundWidget, FoundWidget]>): Set<FoundWidget> {
  const moved = new Set<FoundWidget>();
  const containers = new Set(pairs.filter(([bw, aw]) => bw.container === aw.container).map(([, aw]) => aw.container));
  for (const container of containers) {
    const here = pairs.filter(([bw, aw]) => bw.container === container && aw.container === container);
    const tag = new Map(here.map(([, aw], i) => [aw, String(i)] as const));
    const beforeOrder = [...here].sort((x, y) => x[0].order - y[0].order).map(([, aw]) => tag.get(aw)!);
    const afterOrder = [...here].sort((x, y) => x[1].order - y[1].order).map(([, aw]) => tag.get(aw)!);
    const out = outOfOrder(beforeOrder, afterOrder);
    for (const [, aw] of here) if (out.has(tag.get(aw)!)) moved.add(aw);
  }
  return moved;
}

// A widget's type, title, query and place on the grid, each with its sentence; then other fields.
function widgetFieldChanges(bw: FoundWidget, aw: FoundWidget): FieldChange[] {
  const told: FieldChange[] = [];
  const subject = nameOf(aw);
  if (!same(bw.item.type, aw.item.type)) {
    const generic = isChartType(bw.type) && isChartType(aw.type) ? 'chart' : 'widget';
    const who = `the ${named(generic, aw.title, aw.id ?? `#${aw.order + 1}`)}`;
    const sentence = `${who} becomes ${withArticle(typeNoun(aw.type))} (was ${withArticle(typeNoun(bw.type))})`;
    told.push({ kind: 'changed', field: 'type', before: bw.item.type, after: aw.item.type, sentence });
  }
  if (!same(bw.item.title, aw.item.title)) {
    const sentence =
      bw.title !== undefined && typeof aw.item.title === 'string'
        ? `${nameOf(bw)} is renamed ${quote(aw.item.title, 80)}`
        : fieldSentence('title', subject, bw.item.title, aw.item.title);
    told.push({ kind: 'changed', field: 'title', before: bw.item.title, after: aw.item.title, sentence });
  }
  for (const queryKey of QUERY_KEYS)
    told.push(...queryChanges(queryKey, bw.item[queryKey], aw.item[queryKey], subject));
  for (const positionKey of POSITION_KEYS) {
    const bp = objectOf(bw.item[positionKey]);
    const ap = objectOf(aw.item[positionKey]);
    if (same(bw.item[positionKey], aw.item[positionKey])) continue;
    const pick = (p: JsonObject, keys: string[]): JsonObject =>
      Object.fromEntries(keys.filter((k) => k in p).map((k) => [k, p[k]!]));
    const size = (p: JsonObject) => `${shown(p.w)}×${shown(p.h)}`;
    const spot = (p: JsonObject) => `x ${shown(p.x)}, y ${shown(p.y)}`;
    if (!same(pick(bp, ['w', 'h']), pick(ap, ['w', 'h'])))
      told.push({
        kind: 'resized',
        field: positionKey,
        before: pick(bp, ['w', 'h']),
        after: pick(ap, ['w', 'h']),
        sentence: `${subject} is resized to ${size(ap)} (was ${size(bp)})`,
      });
    if (!same(pick(bp, ['x', 'y']), pick(ap, ['x', 'y'])))
      told.push({
        kind: 'moved',
        field: positionKey,
        before: pick(bp, ['x', 'y']),
        after: pick(ap, ['x', 'y']),
        sentence: `${subject} moves to ${spot(ap)} (was ${spot(bp)})`,
      });
    for (const diff of fieldDiffs(bp, ap, { skip: new Set(['x', 'y', 'w', 'h']) }))
      told.push(fieldChange(`${positionKey}.${diff.path}`, subject, diff.before, diff.after));
  }
  const rest = fieldDiffs(withoutWidgets(bw.item), withoutWidgets(aw.item), { skip: OWN });
  for (const diff of rest) told.push(fieldChange(diff.path, subject, diff.before, diff.after));
  return told;
}

const TEXT_KEYS = ['text', 'sql', 'expr', 'query', 'rawSql'];

// The text of a query: itself, the text (sql, expression) of a query object, or those of its targets.
function queryText(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(queryText).join('\n');
  const object = objectOf(value);
  const key = TEXT_KEYS.find((k) => typeof object[k] === 'string');
  return key === undefined ? canonicalJson(value) : (object[key] as string);
}

/**
 * A query's change: where its text first differs, `the query of the bar chart "Revenue" changes at
 * line 4: GROUP BY month (was GROUP BY region)`, and a query object's other fields (its language)
 * by path.
 */
function queryChanges(key: string, before: Json | undefined, after: Json | undefined, subject: string): FieldChange[] {
  if (same(before, after)) return [];
  if (before === undefined || after === undefined) return [fieldChange(key, subject, before, after)];
  const bothObjects = [before, after].every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
  const told: FieldChange[] = [];
  // Two query objects without a text of their own differ only field by field.
  const textual = !bothObjects || TEXT_KEYS.some((k) => k in objectOf(before) || k in objectOf(after));
  if (textual && queryText(before) !== queryText(after)) told.push(lineChange(key, before, after, subject));
  if (bothObjects)
    for (const diff of fieldDiffs(before, after, { skip: new Set(TEXT_KEYS) }))
      told.push(fieldChange(`${key}.${diff.path}`, subject, diff.before, diff.after));
  return told;
}

function lineChange(key: string, before: Json, after: Json, subject: string): FieldChange {
  const lines = (value: Json) =>
    queryText(value)
      .replace(/\s+$/, '')
      .split('\n')
      .map((line) => line.trim());
  const bl = lines(before);
  const al = lines(after);
  const differing = Array.from({ length: Math.max(bl.length, al.length) }, (_, i) => i).filter((i) => bl[i] !== al[i]);
  const first = differing[0] ?? 0;
  const more = differing.length > 1 ? `, and ${count(differing.length - 1, 'other line')}` : '';
  const sentence = `the ${key} of ${subject} changes at line ${first + 1}: ${shown(al[first])} (was ${shown(bl[first])})${more}`;
  return { kind: 'changed', field: key, before, after, sentence };
}
