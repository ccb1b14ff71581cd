import type { Json, JsonObject } from '../../core/types.js';
import type { Mark } from './marks.js';

/* What every drawing shares: its context, what a drawn piece returns, and readers of a definition. */

/** What a drawing needs besides the definition: the marks of its side and the id of its hatching. */
export interface DrawContext {
  marks: Map<string, Mark>;
  hatch: string;
}

/** A drawn piece: its SVG text and the height it takes. */
export interface Drawn {
  svg: string;
  height: number;
}

/** The objects of an array (a definition is drawn as it comes, valid or not). */
export const objects = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value)
    ? value.filter((v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v))
    : [];

/** A value as a word: a non-empty string, or a number written out. */
export const str = (value: Json | undefined): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** A list of words (`revenue, cost`), or one word. */
export const list = (value: Json | undefined): string | undefined =>
  Array.isArray(value) ? value.map((v) => str(v) ?? '').join(', ') : str(value);
