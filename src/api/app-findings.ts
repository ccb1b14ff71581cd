/*
 * What validating an app finds, and the words findings are shown in: a path into the app as the
 * server's errors and dashsync's messages show it, the element it is in as the platform names it
 * ("page 'Leads': run group 'detail'"), and the closest known name to an unknown one.
 */

/** One finding about an app definition: where (a path into the app) and what. */
export interface AppProblem {
  path: Array<string | number>;
  message: string;
  /** A key the vocabulary does not have where it is: the keys it has there (see notInVocabulary). */
  allowed?: readonly string[];
}

/** The message of a key the vocabulary does not have where it is, with the keys allowed there. */
export function notInVocabulary(allowed: readonly string[]): string {
  return `is not in the app vocabulary${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`;
}

/**
 * What validating an app finds, as the platform sorts it: errors block a save (the server answers
 * 400 with every one, nothing saved); warnings are shown and never block. What needs the ontology
 * (concepts, columns, `@param` declarations, which concepts `execute` computes) is the server's.
 */
export interface AppFindings {
  errors: AppProblem[];
  warnings: AppProblem[];
}

const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const named = (value: unknown, fallback: number): string =>
  typeof value === 'string' && value !== '' ? value : `#${fallback + 1}`;

// The elements the platform names in its messages, by the list that holds them in a page.
const PAGE_PARTS: Record<string, string> = { runGroups: 'run group', inputs: 'input', sections: 'section' };

/**
 * The element a path is in, as the platform's messages name it: "page 'Leads': run group 'detail'",
 * "page 'Leads': section 'main': widget 'w_table'" (a page by its label, the rest by id); empty for
 * a path outside any page.
 */
export function elementWords(app: unknown, path: ReadonlyArray<string | number>): string {
  const [pages, pageIndex, part, partIndex, inner, innerIndex] = path;
  if (pages !== 'pages' || typeof pageIndex !== 'number') return '';
  const pageValue = obj(Array.isArray(obj(app).pages) ? (obj(app).pages as unknown[])[pageIndex] : undefined);
  const words = [`page '${named(pageValue.label ?? pageValue.id, pageIndex)}'`];
  const what = typeof part === 'string' ? PAGE_PARTS[part] : undefined;
  if (!what || typeof partIndex !== 'number') return words.join(': ');
  const list = pageValue[part as string];
  const element = obj(Array.isArray(list) ? list[partIndex] : undefined);
  words.push(`${element.type === 'form' ? 'form' : what} '${named(element.id, partIndex)}'`);
  if (part === 'sections' && inner === 'widgets' && typeof innerIndex === 'number') {
    const widgets = element.widgets;
    const widget = obj(Array.isArray(widgets) ? widgets[innerIndex] : undefined);
    words.push(`widget '${named(widget.id, innerIndex)}'`);
  }
  return words.join(': ');
}

// Edits (insert, delete, replace) that turn one name into the other.
function distance(left: string, right: string): number {
  let row = Array.from({ length: right.length + 1 }, (_, i) => i);
  for (let i = 1; i <= left.length; i++) {
    const next = [i];
    for (let j = 1; j <= right.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1));
    row = next;
  }
  return row[right.length]!;
}

/**
 * The known name closest to an unknown one, for a "did you mean" (case aside, at most a third of its
 * letters differ); undefined when none is close.
 */
export function closestName(unknown: string, known: Iterable<string>): string | undefined {
  let best: { name: string; cost: number } | undefined;
  for (const name of known) {
    const cost = distance(unknown.toLowerCase(), name.toLowerCase());
    if (cost <= Math.max(1, Math.floor(unknown.length / 3)) && (!best || cost < best.cost)) best = { name, cost };
  }
  return best?.name;
}
