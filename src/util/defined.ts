/** The object without the keys whose value is undefined. */
export type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * The object with its undefined values left out, keys kept in order: optional fields are written
 * `...definedOnly({ fileId, updatedAt })` instead of one conditional spread each. Absent keys matter
 * (exactOptionalPropertyTypes, and the JSON dashsync writes), which is why they are dropped, not kept
 * as undefined.
 */
export function definedOnly<T extends object>(fields: T): Defined<T> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) kept[key] = value;
  return kept as Defined<T>;
}
