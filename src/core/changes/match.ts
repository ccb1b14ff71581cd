import type { Json, JsonObject } from '../types.js';

/* The comparisons every kind of definition shares: equal values, changed fields, moved elements. */

/**
 * Equal in meaning: keys in any order, arrays in order. What canonicalJson would say of the two,
 * compared in place (this runs for every field of every update of a plan).
 */
export function same(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.prototype.hasOwnProperty.call(b, key) || !same(a[key], b[key])) return false;
  return true;
}

/** `value` when it is a JSON object, else an empty one: definitions are read as they come. */
export function objectOf(value: Json | undefined): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** `value` when it is an array, else an empty one. */
export function arrayOf(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a string, else undefined. */
export function stringOf(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** One field that differs: its path inside the element and both values (absent where unset). */
export interface FieldDiff {
  path: string;
  before?: Json;
  after?: Json;
}

/** How deep fieldDiffs looks, and which top-level keys it leaves to the caller. */
export interface FieldDiffOptions {
  /** Top-level keys compared elsewhere (an id, a type with its own sentence). */
  skip?: ReadonlySet<string>;
  /** Objects nested deeper than this are compared whole (1: one diff per top-level key). */
  depth?: number;
}

const pathOf = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

/**
 * The fields that differ between two objects, keys sorted at every level so the order never depends
 * on how either was written. Arrays are compared whole, but for arrays of objects of equal length,
 * which are compared item by item (`thresholds[1].color`).
 */
export function fieldDiffs(
  before: Json | undefined,
  after: Json | undefined,
  options: FieldDiffOptions = {},
): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const depth = options.depth ?? Infinity;
  const walk = (b: Json | undefined, a: Json | undefined, path: string, level: number): void => {
    // The top level is walked key by key: its skipped keys (a page's sections) are not compared.
    if (level > 0 && same(b, a)) return;
    const bothObjects = isPlainObject(b) && isPlainObject(a);
    const bothItemLists =
      Array.isArray(b) &&
      Array.isArray(a) &&
      b.length === a.length &&
      b.length > 0 &&
      [...b, ...a].every(isPlainObject);
    if (level < depth && bothObjects) {
      const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
      for (const key of keys) {
        if (level === 0 && options.skip?.has(key)) continue;
        walk(own(b, key), own(a, key), pathOf(path, key), level + 1);
      }
    } else if (level < depth && bothItemLists) {
      b.forEach((item, i) => walk(item, a[i], `${path}[${i}]`, level + 1));
    } else {
      diffs.push({ path, ...(b === undefined ? {} : { before: b }), ...(a === undefined ? {} : { after: a }) });
    }
  };
  walk(before ?? {}, after ?? {}, '', 0);
  return diffs;
}

function isPlainObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function own(object: JsonObject, key: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/**
 * The keys, among those in both orders, that changed place: all but a longest common subsequence.
 * Removing or adding an element shifts the others without moving them; only these moved.
 */
export function outOfOrder(before: readonly string[], after: readonly string[]): Set<string> {
  const inAfter = new Set(after);
  const inBefore = new Set(before);
  const b = before.filter((key) => inAfter.has(key));
  const a = after.filter((key) => inBefore.has(key));
  // lengths[i][j]: the longest common subsequence of b[i..] and a[j..].
  const lengths = Array.from({ length: b.length + 1 }, () => new Array<number>(a.length + 1).fill(0));
  for (let i = b.length - 1; i >= 0; i--)
    for (let j = a.length - 1; j >= 0; j--)
      lengths[i]![j] = b[i] === a[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < b.length && j < a.length;) {
    if (b[i] === a[j]) {
      kept.add(b[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return new Set(a.filter((key) => !kept.has(key)));
}
