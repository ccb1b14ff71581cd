import type { JsonObject } from '../types.js';
import { appElements, pairUp } from './app-elements.js';
import type { Placed } from './app-elements.js';
import { APP_RULES, subject } from './app-rules.js';
import type { ElementRules } from './app-rules.js';
import { ChangeList, fieldChange } from './collect.js';
import type { SortKey } from './collect.js';
import { fieldDiffs, objectOf, outOfOrder } from './match.js';
import type { Change } from './types.js';
import { named } from './words.js';

/*
 * The changes between two app definitions, matched by id: pages, inputs and their fields, run
 * groups and their outputs, sections and widgets added, removed, moved (to another container or
 * place) or resized, and their fields changed; the header's fields. What comes along with an added
 * or removed container (a page's sections, a section's widgets) is counted in its sentence, not
 * told one by one.
 */

const inside = (child: Placed, parent: Placed): boolean => child.path.startsWith(`${parent.path}.`);

function byContainer(list: Placed[]): Map<string, Placed[]> {
  const groups = new Map<string, Placed[]>();
  for (const p of list) {
    const group = groups.get(p.container);
    if (group) group.push(p);
    else groups.set(p.container, [p]);
  }
  return groups;
}

/** The changes from `before` to `after` (either may be absent: a created or a deleted app). */
export function appChanges(before: JsonObject | undefined, after: JsonObject | undefined): Change[] {
  const b = appElements(before);
  const a = appElements(after);
  const changes = new ChangeList();
  topLevelChanges(before, after, changes);
  const pages = pairUp(b.pages, a.pages);
  const afterRankOf = new Map(pages.pairs.map(([bp, ap]) => [bp.pageIndex, ap.pageIndex]));
  const kept = new Set(pages.pairs.filter(([bp, ap]) => bp.pageId === ap.pageId).map(([bp]) => bp.pageId));
  const key = (rules: ElementRules, bp: Placed | undefined, ap: Placed | undefined): SortKey =>
    ap
      ? { page: ap.pageIndex, category: rules.category, element: ap.order }
      : {
          page: afterRankOf.get(bp!.pageIndex) ?? 1000 + bp!.pageIndex,
          category: rules.category,
          element: 1e6 + bp!.order,
        };
  const gone: Placed[] = [];
  const come: Placed[] = [];
  for (const rules of APP_RULES) {
    const beforeList = rules.list(b);
    const afterList = rules.list(a);
    const pairing = rules.what === 'page' ? pages : pairUp(beforeList, afterList, rules.scope, kept);
    const told = (bp: Placed | undefined, ap: Placed | undefined) => {
      const p = (ap ?? bp)!;
      return {
        what: rules.what,
        id: p.id,
        label: typeof p.item[rules.labelKey] === 'string' ? (p.item[rules.labelKey] as string) : undefined,
        type: typeof p.item.type === 'string' ? p.item.type : undefined,
        where: {
          pageId: p.pageId,
          page: p.page,
          sectionId: p.sectionId,
          section: p.section,
          parentId: p.parentId,
          parent: p.parent,
        },
        at: { before: bp?.path, after: ap?.path },
      };
    };
    const name = (p: Placed): string => `the ${named(rules.noun(p), told(p, p).label, p.id)}`;
    for (const ap of pairing.added) {
      if (come.some((c) => inside(ap, c))) continue;
      const to = rules.container ? ` to ${rules.container(ap)}` : '';
      const sentence = `${name(ap)} is added${to}${rules.contents?.(ap, a) ?? ''}`;
      changes.add(key(rules, undefined, ap), { kind: 'added', ...told(undefined, ap), sentence });
    }
    for (const bp of pairing.removed) {
      if (gone.some((c) => inside(bp, c))) continue;
      const from = rules.container ? ` from ${rules.container(bp)}` : '';
      const sentence = `${name(bp)} is removed${from}${rules.contents?.(bp, b) ?? ''}`;
      changes.add(key(rules, bp, undefined), { kind: 'removed', ...told(bp, undefined), sentence });
    }
    gone.push(...pairing.removed);
    come.push(...pairing.added);
    const afterGroups = byContainer(afterList);
    const staying = pairing.pairs.filter(([bp, ap]) => bp.container === ap.container && bp.pageId === ap.pageId);
    const moved = new Set<string>();
    for (const container of afterGroups.keys()) {
      const pairsHere = staying.filter(([, ap]) => ap.container === container);
      const ids = (side: 0 | 1) =>
        pairsHere
          .map((pair) => pair[side])
          .sort((x, y) => x.order - y.order)
          .map((p) => p.id);
      for (const id of outOfOrder(ids(0), ids(1))) moved.add(`${container}\u0000${id}`);
    }
    for (const [bp, ap] of pairing.pairs) {
      const k = key(rules, bp, ap);
      for (const field of rules.special?.(bp, ap) ?? []) changes.add(k, { ...told(bp, ap), ...field });
      if (bp.container !== ap.container || bp.pageId !== ap.pageId) {
        const sentence = `${name(ap)} moves to ${rules.container!(ap)} (was ${rules.container!(bp)})`;
        changes.add(k, { kind: 'moved', ...told(bp, ap), sentence });
      } else if (moved.has(`${ap.container}\u0000${ap.id}`)) {
        const siblings = afterGroups.get(ap.container) ?? [];
        const previous = siblings[siblings.indexOf(ap) - 1];
        const where = rules.container ? ` in ${rules.container(ap)}` : '';
        const sentence = previous
          ? `${name(ap)} moves after ${name(previous)}${where}`
          : `${name(ap)} moves to the first place${where}`;
        changes.add(k, { kind: 'moved', ...told(bp, ap), field: 'position', sentence });
      }
      for (const diff of fieldDiffs(bp.item, ap.item, { skip: rules.skip, depth: 1 }))
        changes.add(k, { ...told(bp, ap), ...fieldChange(diff.path, subject(rules, ap), diff.before, diff.after) });
    }
  }
  return changes.sorted();
}

// The header's fields, and any other top-level field but pages (an app's id and name are its file's).
// A created or deleted app has none: its pages tell what it holds.
function topLevelChanges(before: JsonObject | undefined, after: JsonObject | undefined, changes: ChangeList): void {
  if (!before || !after) return;
  const top = { page: -1, category: 0, element: 0 };
  const header = fieldDiffs(objectOf(before?.header), objectOf(after?.header), { depth: 1 });
  for (const diff of header)
    changes.add(top, {
      what: 'header',
      where: {},
      at: { before: 'header', after: 'header' },
      ...fieldChange(diff.path, 'the header', diff.before, diff.after),
    });
  const skip = new Set(['pages', 'header', 'id', 'name']);
  for (const diff of fieldDiffs(before, after, { skip, depth: 1 }))
    changes.add(top, {
      what: 'field',
      where: {},
      at: { before: '', after: '' },
      ...fieldChange(diff.path, 'the app', diff.before, diff.after),
    });
}
