import type { Json, JsonObject } from '../types.js';
import { arrayOf, objectOf, stringOf } from './match.js';

/*
 * An app definition as lists of placed elements (pages, sections, widgets, inputs, form fields, run
 * groups, outputs), each with where it is, and the pairing of the elements of two definitions.
 * Read liberally: an element without an id is still placed (by its position), never thrown at.
 */

/** One element of an app and where it is. */
export interface Placed {
  /** Its id, or `#n` (its position in its container) when it has none. */
  id: string;
  item: JsonObject;
  /** Its path in the definition, e.g. `pages[0].sections[1].widgets[2]`. */
  path: string;
  pageIndex: number;
  pageId: string;
  /** The page's label, or its id. */
  page: string;
  sectionId?: string;
  /** The section's title, or its id. */
  section?: string;
  /** The run group of an output, the form of a form's field. */
  parentId?: string;
  parent?: string;
  /** What holds it: elements in one container are ordered among themselves. */
  container: string;
  /** Its position in the page, all containers in reading order. */
  order: number;
}

/** Every element of an app, by kind. */
export interface AppElements {
  pages: Placed[];
  sections: Placed[];
  widgets: Placed[];
  inputs: Placed[];
  fields: Placed[];
  groups: Placed[];
  outputs: Placed[];
}

const idOf = (item: JsonObject, index: number): string => stringOf(item.id) ?? `#${index + 1}`;
const nameOf = (item: JsonObject, key: string, id: string): string => stringOf(item[key]) || id;

/** The elements of a definition (none for a missing one). */
export function appElements(definition: JsonObject | undefined): AppElements {
  const all: AppElements = { pages: [], sections: [], widgets: [], inputs: [], fields: [], groups: [], outputs: [] };
  arrayOf(definition?.pages).forEach((pageValue, pageIndex) => {
    const item = objectOf(pageValue);
    const pageId = idOf(item, pageIndex);
    const page = nameOf(item, 'label', pageId);
    const at = `pages[${pageIndex}]`;
    let order = 0;
    // Paths are written as formatAppPath writes them (`pages[0].sections[1]`), by hand: this runs
    // for every element of every plan.
    const place = (list: Placed[], value: Json, index: number, path: string, more: Partial<Placed> = {}): Placed => {
      const element = objectOf(value);
      const placed: Placed = {
        id: idOf(element, index),
        item: element,
        path,
        pageIndex,
        pageId,
        page,
        container: pageId,
        order: order++,
        ...more,
      };
      list.push(placed);
      return placed;
    };
    all.pages.push({ id: pageId, item, path: at, pageIndex, pageId, page, container: '', order: pageIndex });
    arrayOf(item.inputs).forEach((inputValue, inputIndex) => {
      const inputAt = `${at}.inputs[${inputIndex}]`;
      const input = place(all.inputs, inputValue, inputIndex, inputAt);
      const form = nameOf(input.item, 'label', input.id);
      arrayOf(input.item.sections).forEach((formSection, formSectionIndex) =>
        arrayOf(objectOf(formSection).fields).forEach((field, fieldIndex) =>
          place(all.fields, field, fieldIndex, `${inputAt}.sections[${formSectionIndex}].fields[${fieldIndex}]`, {
            parentId: input.id,
            parent: form,
            container: `${pageId}/${input.id}`,
          }),
        ),
      );
    });
    arrayOf(item.runGroups).forEach((groupValue, groupIndex) => {
      const groupAt = `${at}.runGroups[${groupIndex}]`;
      const group = place(all.groups, groupValue, groupIndex, groupAt);
      const parent = nameOf(group.item, 'label', group.id);
      arrayOf(group.item.outputs).forEach((output, outputIndex) =>
        place(all.outputs, output, outputIndex, `${groupAt}.outputs[${outputIndex}]`, {
          parentId: group.id,
          parent,
          container: `${pageId}/${group.id}`,
        }),
      );
    });
    arrayOf(item.sections).forEach((sectionValue, sectionIndex) => {
      const sectionAt = `${at}.sections[${sectionIndex}]`;
      const section = place(all.sections, sectionValue, sectionIndex, sectionAt);
      const where = { sectionId: section.id, section: nameOf(section.item, 'title', section.id) };
      Object.assign(section, where);
      const container = `${pageId}/${section.id}`;
      arrayOf(section.item.widgets).forEach((widget, widgetIndex) =>
        place(all.widgets, widget, widgetIndex, `${sectionAt}.widgets[${widgetIndex}]`, { ...where, container }),
      );
    });
  });
  return all;
}

/** Elements of two definitions paired up, and those only one side has. */
export interface Pairing {
  pairs: Array<[Placed, Placed]>;
  removed: Placed[];
  added: Placed[];
}

/**
 * Pairs elements by id: first within the same page (ids are unique in a page, not across pages),
 * then, among those left, an id found once on each side: an element moved to another page. Not
 * from a removed page to an added one: a page replaced by another is not a move of all it holds.
 * `scope` narrows the first step further (a form's fields: the same form).
 */
export function pairUp(
  before: Placed[],
  after: Placed[],
  scope: (p: Placed) => string = (p) => p.pageId,
  /** The ids of the pages both sides have. */
  kept: ReadonlySet<string> = new Set(),
): Pairing {
  const key = (p: Placed): string => `${scope(p)}\u0000${p.id}`;
  const byKey = new Map(before.map((p) => [key(p), p]));
  const pairs: Array<[Placed, Placed]> = [];
  const matched = new Set<Placed>();
  const leftAfter: Placed[] = [];
  for (const a of after) {
    const b = byKey.get(key(a));
    if (b && !matched.has(b) && !a.id.startsWith('#')) {
      pairs.push([b, a]);
      matched.add(b);
    } else leftAfter.push(a);
  }
  const leftBefore = before.filter((b) => !matched.has(b));
  const once = (list: Placed[]) => {
    const counts = new Map<string, number>();
    for (const p of list) counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
    return new Map(list.filter((p) => counts.get(p.id) === 1 && !p.id.startsWith('#')).map((p) => [p.id, p]));
  };
  const beforeOnce = once(leftBefore);
  const afterOnce = once(leftAfter);
  const added: Placed[] = [];
  for (const a of leftAfter) {
    const b = afterOnce.has(a.id) ? beforeOnce.get(a.id) : undefined;
    if (b && (kept.has(b.pageId) || kept.has(a.pageId))) {
      pairs.push([b, a]);
      matched.add(b);
    } else added.push(a);
  }
  return { pairs, removed: before.filter((b) => !matched.has(b)), added };
}
