import { formatAppPath } from '../app.js';
import { setOwn } from '../canonical.js';
import type { Json, JsonObject } from '../types.js';

/*
 * The widgets of a free-form dashboard definition, found where dashboards keep them: an array of
 * objects under a key such as `widgets`, `panels`, `charts` or `tiles`, at the top or nested in rows,
 * sections or other widgets (a row panel holding panels). Keys are visited in sorted order, so what
 * is found, and in which order, never depends on how the definition's keys were written.
 */

/** The keys whose arrays of objects are widgets. */
export const WIDGET_KEYS: ReadonlySet<string> = new Set([
  'widgets',
  'panels',
  'charts',
  'tiles',
  'cards',
  'visualizations',
  'visuals',
]);

/** Where a widget's query is kept, and where its place on the grid. */
export const QUERY_KEYS = ['query', 'queries', 'sql', 'targets'] as const;
export const POSITION_KEYS = ['position', 'gridPos', 'pos'] as const;

/** One widget of a dashboard and where it is. */
export interface FoundWidget {
  item: JsonObject;
  /** `widgets[2]`, `rows[0].panels[1]`. */
  path: string;
  /** The path of the array holding it: widgets in one array are ordered among themselves. */
  container: string;
  /** The title of the row or section (or widget) holding it, when it is not at the top. */
  section?: string;
  /** Its place in reading order. */
  order: number;
  id?: string;
  title?: string;
  type?: string;
}

const isObject = (value: Json | undefined): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** True for an array that holds widgets (or none yet) under `key`. */
export function isWidgetArray(key: string, value: Json | undefined): value is Json[] {
  return WIDGET_KEYS.has(key) && Array.isArray(value) && (value.length === 0 || value.some(isObject));
}

const text = (value: Json | undefined): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** A widget's title, as a person reads it: `title`, else `name`, else `label`. */
export function titleOf(item: JsonObject): string | undefined {
  return text(item.title) ?? text(item.name) ?? text(item.label);
}

/** A widget's id: `id`, else `uid`, else `key`. */
export function idOf(item: JsonObject): string | undefined {
  return text(item.id) ?? text(item.uid) ?? text(item.key);
}

/** Every widget of a definition, in reading order. */
export function dashboardWidgets(definition: JsonObject | undefined): FoundWidget[] {
  const found: FoundWidget[] = [];
  const walk = (value: Json | undefined, path: Array<string | number>, section: string | undefined): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i], section));
      return;
    }
    if (!isObject(value)) return;
    const here = path.length > 0 ? (titleOf(value) ?? section) : undefined;
    for (const key of Object.keys(value).sort()) {
      const child = value[key];
      if (!isWidgetArray(key, child)) {
        walk(child, [...path, key], here);
        continue;
      }
      child.forEach((item, i) => {
        if (!isObject(item)) return;
        const at = [...path, key, i];
        found.push({
          item,
          path: formatAppPath(at),
          container: formatAppPath([...path, key]),
          ...(here === undefined ? {} : { section: here }),
          order: found.length,
          ...definedText({ id: idOf(item), title: titleOf(item), type: text(item.type) ?? text(item.kind) }),
        });
        // A widget may hold widgets of its own (a row panel): those are found too, inside it.
        for (const inner of Object.keys(item).sort())
          if (isWidgetArray(inner, item[inner])) walk({ [inner]: item[inner]! }, at, titleOf(item) ?? here);
      });
    }
  };
  walk(definition, [], undefined);
  return found;
}

function definedText(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** A copy of a definition without its widget arrays: what is left is compared field by field. */
export function withoutWidgets(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutWidgets);
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value))
    if (!isWidgetArray(key, value[key])) setOwn(copy, key, withoutWidgets(value[key]!));
  return copy;
}

/** Widgets of two definitions paired up, and those only one side has. */
export interface WidgetPairing {
  pairs: Array<[FoundWidget, FoundWidget]>;
  removed: FoundWidget[];
  added: FoundWidget[];
}

/**
 * Pairs widgets: by id; then, among those left, by a title each side has once; then, among those
 * left without an id, by the same place (the same array, the same index): a widget whose title
 * changed.
 */
export function pairWidgets(before: FoundWidget[], after: FoundWidget[]): WidgetPairing {
  const pairs: Array<[FoundWidget, FoundWidget]> = [];
  let leftBefore = before;
  let leftAfter = after;
  const step = (keyOf: (w: FoundWidget) => string | undefined, uniqueOnly: boolean): void => {
    const counts = (list: FoundWidget[]) => {
      const n = new Map<string, number>();
      for (const w of list) {
        const k = keyOf(w);
        if (k !== undefined) n.set(k, (n.get(k) ?? 0) + 1);
      }
      return n;
    };
    const beforeCounts = counts(leftBefore);
    const afterCounts = counts(leftAfter);
    const usable = (k: string | undefined): k is string =>
      k !== undefined && (!uniqueOnly || (beforeCounts.get(k) === 1 && afterCounts.get(k) === 1));
    const byKey = new Map<string, FoundWidget>();
    for (const w of leftBefore) {
      const k = keyOf(w);
      if (usable(k) && !byKey.has(k)) byKey.set(k, w);
    }
    const taken = new Set<FoundWidget>();
    const stillAfter: FoundWidget[] = [];
    for (const w of leftAfter) {
      const k = keyOf(w);
      const match = usable(k) ? byKey.get(k) : undefined;
      if (match && !taken.has(match)) {
        pairs.push([match, w]);
        taken.add(match);
      } else stillAfter.push(w);
    }
    leftBefore = leftBefore.filter((w) => !taken.has(w));
    leftAfter = stillAfter;
  };
  step((w) => w.id, false);
  step((w) => w.title, true);
  step((w) => (w.id === undefined ? w.path : undefined), false);
  return { pairs, removed: leftBefore, added: leftAfter };
}
