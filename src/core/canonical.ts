import { createHash } from 'node:crypto';
import type { DashboardContent, Json } from './types.js';

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
function sortedCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = sortedCopy(v[i]);
    return a;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = sortedCopy((v as Record<string, unknown>)[k]);
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

/** Hash of what is synced of a dashboard: its name and definition, keys in any order. */
export function contentHash(content: DashboardContent): string {
  const text = canonicalJson({ name: content.name, definition: content.definition });
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * A copy of `value` whose object keys follow the order they have in `model` where both have them
 * (the rest after, in their own order). Used to show a diff in the order the user wrote.
 */
export function alignKeys(value: Json, model: Json | undefined): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const m = Array.isArray(model) ? model : [];
    return value.map((v, i) => alignKeys(v, m[i]));
  }
  const m = model !== null && typeof model === 'object' && !Array.isArray(model) ? model : {};
  const out: Record<string, Json> = {};
  const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  for (const k of Object.keys(m))
    if (has(value, k)) setOwn(out, k, alignKeys(value[k] as Json, has(m, k) ? m[k] : undefined));
  for (const k of Object.keys(value))
    if (!has(out, k)) setOwn(out, k, alignKeys(value[k] as Json, has(m, k) ? m[k] : undefined));
  return out;
}

/** Sets an own property, even one named `__proto__` (which plain assignment would not create). */
export function setOwn(o: Record<string, Json>, key: string, value: Json): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
