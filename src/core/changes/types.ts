import type { Json } from '../types.js';

/*
 * What a person would say changed between two definitions, as data. Plan text, Markdown, the HTML
 * page and the wireframes all read these: the sentence is for reading, the rest for drawing
 * (which box to mark) and for machines (`--json`).
 */

/** How an element changed. */
export type ChangeKind = 'added' | 'removed' | 'moved' | 'resized' | 'changed';

/** Which kind of element changed. `field` is a form's field, or any other field of a definition. */
export type ChangeWhat = 'page' | 'section' | 'widget' | 'input' | 'run group' | 'output' | 'header' | 'field';

/**
 * Where an element is, in words: the page and section it is on (ids and what a person reads), and
 * for an output or a form's field the run group or form that holds it.
 */
export interface ChangeWhere {
  pageId?: string;
  /** The page's label. */
  page?: string;
  sectionId?: string;
  /** The section's title, or its id when it has none. */
  section?: string;
  parentId?: string;
  /** The run group (of an output) or the form (of a field), by label or id. */
  parent?: string;
}

/**
 * The element's place in each definition, as a path (`pages[0].sections[1].widgets[2]`): how a
 * drawing of either side finds the box to mark. `before` is absent for an added element, `after`
 * for a removed one.
 */
export interface ChangeAt {
  before?: string;
  after?: string;
}

/** One change, as data and as a sentence. */
export interface Change {
  kind: ChangeKind;
  what: ChangeWhat;
  /** The element's id (a dashboard widget without one: its title, or `#n` for its position). */
  id?: string;
  /** The element's label or title, when it has one. */
  label?: string;
  /** A widget's or an input's type, as written (after the change when both sides have one). */
  type?: string;
  where: ChangeWhere;
  at: ChangeAt;
  /** The field that changed, as a path inside the element (`x`, `query.text`, `weights`). */
  field?: string;
  before?: Json;
  after?: Json;
  /** What a person would say, e.g. `the "Revenue" chart on page "Overview" becomes a line chart (was a bar chart)`. */
  sentence: string;
}
