import { createHash } from 'node:crypto';
import type { DashboardContent, Json } from './types.js';

/**
 * How deeply a dashboard may nest, in a file or in a server's answer: deeper values are refused
 * before anything walks them (the walks are recursive, and a hostile value would overflow the stack).
 */
export const MAX_NESTING = 200;

/** True when `value` nests deeper than MAX_NESTING: a walk that stops there (so never deeper than that). */
export function nestsTooDeep(value: unknown, depth = 1): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_NESTING) return true;
  // Recursion is safe: it stops at MAX_NESTING levels. Only objects and arrays are descended into.
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && nestsTooDeep(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && nestsTooDeep(item, depth + 1)) return true;
  }
  return false;
}

/**
 * JSON text with object keys sorted at every depth, so two values equal in meaning give equal text.
 * Array order is kept: in a dashboard it is meaningful (widget order, series order).
 */
export function canonicalJson(value: Json): string {
  return JSON.stringify(sortedCopy(value)) ?? 'null';
}

// A copy whose objects have their keys inserted in sorted order, for the native JSON.stringify to
// write without a replacer (a replacer is a call back into JavaScript for every value: it doubled
// the time). Exactly what a sorting replacer gives, integer-like keys included: those come first
// in numeric order either way, as in any object.
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = sortedCopy(value[i]);
    return items;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const copy = sortedCopy((value as Record<string, unknown>)[key]);
    if (key === '__proto__')
      Object.defineProperty(sorted, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else sorted[key] = copy;
  }
  return sorted;
}

/** Hash of what is synced of a dashboard: its name and definition, keys in any order. */
export function contentHash(content: DashboardContent): string {
  return hashedContent(content).hash;
}

/** contentHash, and the canonical JSON it hashed (which a store of contents may keep as it is). */
export function hashedContent(content: DashboardContent): { hash: string; json: string } {
  const json = canonicalJson({ name: content.name, definition: content.definition });
  return { hash: createHash('sha256').update(json).digest('hex').slice(0, 32), json };
}

/**
 * A copy of `value` whose object keys follow the order they have in `model` where both have them
 * (the rest after, in their own order). Used to show a diff in the order the user wrote.
 */
export function alignKeys(value: Json, model: Json | undefined): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const modelItems = Array.isArray(model) ? model : [];
    return value.map((item, i) => alignKeys(item, modelItems[i]));
  }
  const modelObject = model !== null && typeof model === 'object' && !Array.isArray(model) ? model : {};
  const aligned: Record<string, Json> = {};
  const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
  const alignedValue = (key: string): Json =>
    alignKeys(value[key] as Json, has(modelObject, key) ? modelObject[key] : undefined);
  for (const key of Object.keys(modelObject)) if (has(value, key)) setOwn(aligned, key, alignedValue(key));
  for (const key of Object.keys(value)) if (!has(aligned, key)) setOwn(aligned, key, alignedValue(key));
  return aligned;
}

/** Sets an own property, even one named `__proto__` (which plain assignment would not create). */
export function setOwn(object: Record<string, Json>, key: string, value: Json): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
