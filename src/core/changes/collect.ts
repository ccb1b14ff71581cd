import type { Change, ChangeAt, ChangeWhere } from './types.js';

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

// Optional fields are left out rather than set to undefined (exactOptionalPropertyTypes, and JSON).
function withoutUndefined(change: ChangeData): Change {
  const copy = { ...change } as Record<string, unknown>;
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  copy.where = Object.fromEntries(Object.entries(change.where).filter(([, value]) => value !== undefined));
  copy.at = Object.fromEntries(Object.entries(change.at).filter(([, value]) => value !== undefined));
  return copy as unknown as Change;
}
