import type { DashboardContent, Json, JsonObject, PathValues, ThreeWay } from './types.js';

/*
 * The three-way comparison of one dashboard: what the file (yours) and the workspace (theirs) each
 * changed since the last sync (base), place by place: `name`, `definition.widgets[0].query`. Lists
 * are compared item by item, by position. Two changes meet where one place holds the other (a
 * widget removed on one side, its query edited on the other): there they conflict unless both
 * sides hold the same value. Pure; the sync state keeps the base (local/base-store.ts).
 */

/** One step of a path: a key of a mapping or a position in a list. */
type Step = string | number;

/** A change one side made: where, and what that place holds now (undefined: removed). */
interface Change {
  at: Step[];
  key: string;
  value: Json | undefined;
}

const isMapping = (value: Json | undefined): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Deep equality of two JSON values, key order ignored. */
export function sameJson(left: Json | undefined, right: Json | undefined): boolean {
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, index) => sameJson(item, right[index]));
  }
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}

/** A path as messages write it: `definition.widgets[0].query`, odd keys as `["a key"]`. */
export function pathText(at: readonly Step[]): string {
  return at
    .map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(step)) return index === 0 ? step : `.${step}`;
      return `[${JSON.stringify(step)}]`;
    })
    .join('');
}

// Every place where `side` differs from `base`, as deep as both are mappings or lists.
function changesOf(base: Json | undefined, side: Json | undefined, at: Step[], out: Change[]): void {
  if (sameJson(base, side)) return;
  if (isMapping(base) && isMapping(side)) {
    for (const key of new Set([...Object.keys(base), ...Object.keys(side)]))
      changesOf(base[key], side[key], [...at, key], out);
    return;
  }
  if (Array.isArray(base) && Array.isArray(side)) {
    for (let index = 0; index < Math.max(base.length, side.length); index++)
      changesOf(base[index], side[index], [...at, index], out);
    return;
  }
  out.push({ at, key: JSON.stringify(at), value: side });
}

/** What a value holds at a path; undefined where the path leads nowhere. */
function valueAt(value: Json | undefined, at: readonly Step[]): Json | undefined {
  let here = value;
  for (const step of at) {
    if (typeof step === 'number') here = Array.isArray(here) ? here[step] : undefined;
    else here = isMapping(here) && Object.hasOwn(here, step) ? here[step] : undefined;
    if (here === undefined) return undefined;
  }
  return here;
}

const asJson = (content: DashboardContent): JsonObject => ({ name: content.name, definition: content.definition });

// True when `outer` is `inner` or holds it.
const holds = (outer: readonly Step[], inner: readonly Step[]): boolean =>
  outer.length <= inner.length && outer.every((step, index) => inner[index] === step);

/**
 * Compares base, yours and theirs place by place: what only the file changed, what only the
 * workspace changed, what both changed alike, and where they changed one place two ways.
 */
export function compareThreeWay(base: DashboardContent, yours: DashboardContent, theirs: DashboardContent): ThreeWay {
  const [b, y, t] = [asJson(base), asJson(yours), asJson(theirs)];
  const ours: Change[] = [];
  const other: Change[] = [];
  changesOf(b, y, [], ours);
  changesOf(b, t, [], other);
  const met = new Set<string>();
  const both = new Map<string, string>();
  const conflicts = new Map<string, PathValues>();
  for (const mine of ours) {
    for (const their of other) {
      if (!holds(mine.at, their.at) && !holds(their.at, mine.at)) continue;
      met.add(mine.key).add(their.key);
      // Where two changes meet, the outer place decides: the same value there is one change.
      const place = mine.at.length <= their.at.length ? mine.at : their.at;
      const key = JSON.stringify(place);
      const [baseValue, yourValue, theirValue] = [valueAt(b, place), valueAt(y, place), valueAt(t, place)];
      if (sameJson(yourValue, theirValue)) both.set(key, pathText(place));
      else
        conflicts.set(key, {
          path: pathText(place),
          ...definedValues({ base: baseValue, yours: yourValue, theirs: theirValue }),
        });
    }
  }
  for (const key of conflicts.keys()) both.delete(key);
  const only = (changes: Change[]): string[] =>
    changes.filter((change) => !met.has(change.key)).map((change) => pathText(change.at));
  return { yours: only(ours), theirs: only(other), both: [...both.values()], conflicts: [...conflicts.values()] };
}

// The three values, each only where that side holds something at the place.
function definedValues(values: { base?: Json | undefined; yours?: Json | undefined; theirs?: Json | undefined }) {
  const out: { base?: Json; yours?: Json; theirs?: Json } = {};
  for (const side of ['base', 'yours', 'theirs'] as const) if (values[side] !== undefined) out[side] = values[side];
  return out;
}

/** What a three-way comparison says of a dashboard both sides changed. */
export type ThreeWayVerdict =
  /** The file already holds every change the workspace made: a local edit. */
  | 'local-edit'
  /** Both changed, in different places: the workspace's changes can be merged into the file. */
  | 'merge'
  /** One place changed two ways. */
  | 'conflict';

/** The verdict of a three-way comparison. */
export function verdictOf(threeWay: ThreeWay): ThreeWayVerdict {
  if (threeWay.conflicts.length > 0) return 'conflict';
  return threeWay.theirs.length === 0 ? 'local-edit' : 'merge';
}

/**
 * The file's content with the workspace's changes merged in: every place only the workspace
 * changed takes the workspace's value. Meant for a comparison without conflicts (a place both
 * changed keeps the file's value).
 */
export function mergeTheirs(
  base: DashboardContent,
  yours: DashboardContent,
  theirs: DashboardContent,
): DashboardContent {
  const [b, y, t] = [asJson(base), asJson(yours), asJson(theirs)];
  const ours: Change[] = [];
  const other: Change[] = [];
  changesOf(b, y, [], ours);
  changesOf(b, t, [], other);
  const merged = structuredClone(y);
  const theirsOnly = other.filter(
    (their) => !ours.some((mine) => holds(mine.at, their.at) || holds(their.at, mine.at)),
  );
  // Removals from lists go last and from the end, so that positions still mean what they meant.
  const removals = theirsOnly.filter((change) => change.value === undefined && typeof change.at.at(-1) === 'number');
  for (const change of theirsOnly) if (!removals.includes(change)) setAt(merged, change.at, change.value);
  removals.sort((left, right) => (right.at.at(-1) as number) - (left.at.at(-1) as number));
  for (const change of removals) {
    const list = valueAt(merged, change.at.slice(0, -1));
    if (Array.isArray(list)) list.splice(change.at.at(-1) as number, 1);
  }
  return { name: merged.name as string, definition: merged.definition as JsonObject };
}

// Sets (or, for undefined, removes) the value at a path, making the mappings and lists on the way.
function setAt(root: JsonObject, at: readonly Step[], value: Json | undefined): void {
  let here: Json = root;
  for (let index = 0; index < at.length - 1; index++) {
    const step = at[index]!;
    const next: Json | undefined = (here as Record<string | number, Json | undefined>)[step];
    const container: Json =
      next !== null && typeof next === 'object' ? next : typeof at[index + 1] === 'number' ? [] : {};
    (here as Record<string | number, Json>)[step] = container;
    here = container;
  }
  const last = at.at(-1)!;
  if (value === undefined) {
    if (!Array.isArray(here)) delete (here as Record<string, Json>)[last as string];
  } else (here as Record<string | number, Json>)[last] = value;
}
