import type { Json } from '../types.js';
import type { Change, ChangeAt, ChangeWhere } from './types.js';
import { fieldSentence } from './words.js';

/*
 * Changes gathered in any order and handed back in one: page by page in the after side's order
 * (a page only the before side has, after them), and within a page by kind of element, then by
 * the element's place (removed elements after the others), then in the order they were told.
 */

/** Where a change sorts: its page's rank, its kind of element, its element's rank. */
export interface SortKey {
  page: number;
  category: number;
  element: number;
}

// Optional fields may be handed over as undefined: they are left out of the change.
type Loose<T> = { [K in keyof T]: undefined extends T[K] ? T[K] | undefined : T[K] };

/** A change as the builders hand it over: optional fields may be undefined. */
export type ChangeData = Omit<Loose<Change>, 'where' | 'at'> & { where: Loose<ChangeWhere>; at: Loose<ChangeAt> };

/** What changed in an element, without which element: each builder adds that (its what, id, where...). */
export type FieldChange = Omit<ChangeData, 'what' | 'id' | 'label' | 'type' | 'where' | 'at'>;

/** A field of `subject` changed from `before` to `after` (either absent: added or removed), with its sentence. */
export function fieldChange(
  path: string,
  subject: string,
  before: Json | undefined,
  after: Json | undefined,
): FieldChange {
  return { kind: 'changed', field: path, before, after, sentence: fieldSentence(path, subject, before, after) };
}

/** Gathers changes and returns them in their deterministic order. */
export class ChangeList {
  private readonly items: Array<{ change: Change; key: SortKey; told: number }> = [];

  /** Records one change. */
  add(key: SortKey, change: ChangeData): void {
    this.items.push({ change: withoutUndefined(change), key, told: this.items.length });
  }

  /** The changes, sorted. */
  sorted(): Change[] {
    return [...this.items]
      .sort(
        (x, y) =>
          x.key.page - y.key.page ||
          x.key.category - y.key.category ||
          x.key.element - y.key.element ||
          x.told - y.told,
      )
      .map((item) => item.change);
  }
}

// The order of a change's keys, whichever builder made it (--json prints them in this order).
const KEYS: ReadonlyArray<keyof Change> = [
  'kind',
  'what',
  'id',
  'label',
  'type',
  'where',
  'at',
  'field',
  'before',
  'after',
  'sentence',
];

// Optional fields are left out rather than set to undefined (exactOptionalPropertyTypes, and JSON).
function withoutUndefined(change: ChangeData): Change {
  const copy: Record<string, unknown> = {};
  for (const key of KEYS) if (change[key] !== undefined) copy[key] = change[key];
  copy.where = Object.fromEntries(Object.entries(change.where).filter(([, value]) => value !== undefined));
  copy.at = Object.fromEntries(Object.entries(change.at).filter(([, value]) => value !== undefined));
  return copy as unknown as Change;
}
