import type { Json } from '../types.js';
import { quote } from '../words.js';
import type { AppElements, Placed } from './app-elements.js';
import { arrayOf, objectOf, same, stringOf } from './match.js';
import type { ChangeKind, ChangeWhat } from './types.js';
import { count, fieldSentence, isChartType, named, shown, typeNoun, withArticle } from './words.js';

/*
 * What each kind of app element is called, where it sits in words, and the fields that have a
 * sentence of their own (a widget's type, span, column and output; a section's layout and
 * weights; a page's project). Every other field reads as `<field> of <element>: new (was old)`.
 */

/** One change of one field, as the rules tell it. */
export interface FieldTold {
  kind: ChangeKind;
  field: string;
  before: Json | undefined;
  after: Json | undefined;
  sentence: string;
}

/** How one kind of element is told. */
export interface ElementRules {
  what: ChangeWhat;
  /** Its place among the kinds of a page, for the order of the changes. */
  category: number;
  list(elements: AppElements): Placed[];
  /** The key of its name (label or title). */
  labelKey: string;
  noun(p: Placed): string;
  /** What holds it, in words (`section "Main" on page "Overview"`); undefined for a page. */
  container?(p: Placed): string;
  /** Pairs are first looked for within this (the page by default). */
  scope?(p: Placed): string;
  /** `, with 2 widgets`: what comes along with an added or removed element. */
  contents?(p: Placed, all: AppElements): string;
  /** Fields compared elsewhere or by `special`. */
  skip: ReadonlySet<string>;
  /** Changes of the fields with a sentence of their own. */
  special?(before: Placed, after: Placed): FieldTold[];
}

const labelOf = (p: Placed, key: string): string | undefined => stringOf(p.item[key]);
const onPage = (p: Placed): string => `page ${quote(p.page, 80)}`;

/** `the bar chart "Revenue" on page "Overview"`: an element as the subject of a sentence. */
export function subject(rules: ElementRules, p: Placed, label = labelOf(p, rules.labelKey)): string {
  const name = `the ${named(rules.noun(p), label, p.id)}`;
  return rules.container ? `${name} on ${onPage(p)}` : name;
}

const inside = (child: Placed, parent: Placed): boolean => child.path.startsWith(`${parent.path}.`);
const within = (list: Placed[], parent: Placed): number => list.filter((c) => inside(c, parent)).length;

// The changes of the fields every kind shares the sentences of: the label (renamed when it had one).
function renamed(rules: ElementRules, b: Placed, a: Placed): FieldTold[] {
  const before = b.item[rules.labelKey];
  const after = a.item[rules.labelKey];
  if (same(before, after)) return [];
  const sentence =
    typeof before === 'string' && typeof after === 'string' && before !== '' && after !== ''
      ? `${subject(rules, b)} is renamed ${quote(after, 80)}`
      : fieldSentence(rules.labelKey, subject(rules, a, undefined), before, after);
  return [{ kind: 'changed', field: rules.labelKey, before, after, sentence }];
}

// A type change: `the chart "Revenue" on page "Overview" becomes a line chart (was a bar chart)`.
function retyped(rules: ElementRules, b: Placed, a: Placed, noun: (p: Placed) => string): FieldTold[] {
  if (same(b.item.type, a.item.type)) return [];
  const generic = isChartType(b.item.type) && isChartType(a.item.type) ? 'chart' : rules.what;
  const who = `the ${named(generic, labelOf(a, rules.labelKey), a.id)}${rules.container ? ` on ${onPage(a)}` : ''}`;
  return [
    {
      kind: 'changed',
      field: 'type',
      before: b.item.type,
      after: a.item.type,
      sentence: `${who} becomes ${withArticle(noun(a))} (was ${withArticle(noun(b))})`,
    },
  ];
}

const span = (value: Json | undefined): string => (value === undefined ? 'not set' : `${shown(value)} of 12 columns`);
const weights = (value: Json | undefined): string =>
  Array.isArray(value) && value.length > 0 ? value.map((w) => shown(w)).join(':') : 'not set';

function resizedSpan(rules: ElementRules, b: Placed, a: Placed): FieldTold[] {
  const before = b.item.span;
  const after = a.item.span;
  if (same(before, after)) return [];
  const sentence = `${subject(rules, a)} is resized to ${span(after)} (was ${span(before)})`;
  return [{ kind: 'resized', field: 'span', before, after, sentence }];
}

// Input and field types read as written (`multi select input`): typeNoun's words are for widgets.
const typeWords = (p: Placed): string | undefined => stringOf(p.item.type)?.replace(/_/g, ' ');
const inputNoun = (p: Placed): string => (p.item.type === 'form' ? 'form' : `${typeWords(p) ?? 'unknown'} input`);
const fieldNoun = (p: Placed): string => `${typeWords(p) ?? 'form'} field`;

const PAGE: ElementRules = {
  what: 'page',
  category: 0,
  list: (e) => e.pages,
  labelKey: 'label',
  noun: () => 'page',
  contents: (p, all) =>
    `, with ${count(within(all.sections, p), 'section')} and ${count(within(all.widgets, p), 'widget')}`,
  skip: new Set(['id', 'label', 'project', 'inputs', 'runGroups', 'sections']),
  special(b, a) {
    const told = renamed(PAGE, b, a);
    const before = objectOf(b.item.project).id;
    const after = objectOf(a.item.project).id;
    if (!same(b.item.project, a.item.project))
      told.push({
        kind: 'changed',
        field: 'project',
        before: b.item.project,
        after: a.item.project,
        sentence: `${subject(PAGE, a)} binds to project ${shown(after)} (was ${shown(before)})`,
      });
    return told;
  },
};

const INPUT: ElementRules = {
  what: 'input',
  category: 1,
  list: (e) => e.inputs,
  labelKey: 'label',
  noun: inputNoun,
  container: onPage,
  contents: (p, all) => (p.item.type === 'form' ? `, with ${count(within(all.fields, p), 'field')}` : ''),
  skip: new Set(['id', 'type', 'label', 'sections']),
  special(b, a) {
    const told = [...retyped(INPUT, b, a, inputNoun), ...renamed(INPUT, b, a)];
    const titles = (p: Placed): Json => arrayOf(p.item.sections).map((s) => objectOf(s).title ?? null);
    if (!same(titles(b), titles(a)))
      told.push({
        kind: 'changed',
        field: 'sections',
        before: titles(b),
        after: titles(a),
        sentence: fieldSentence('form sections', subject(INPUT, a), titles(b), titles(a)),
      });
    return told;
  },
};

const FIELD: ElementRules = {
  what: 'field',
  category: 2,
  list: (e) => e.fields,
  labelKey: 'label',
  noun: fieldNoun,
  container: (p) => `form ${quote(p.parent ?? '', 80)} on ${onPage(p)}`,
  scope: (p) => p.container,
  skip: new Set(['id', 'type', 'label', 'span']),
  special: (b, a) => [...retyped(FIELD, b, a, fieldNoun), ...renamed(FIELD, b, a), ...resizedSpan(FIELD, b, a)],
};

const GROUP: ElementRules = {
  what: 'run group',
  category: 3,
  list: (e) => e.groups,
  labelKey: 'label',
  noun: () => 'run group',
  container: onPage,
  contents: (p, all) => `, with ${count(within(all.outputs, p), 'output')}`,
  skip: new Set(['id', 'label', 'outputs']),
  special: (b, a) => renamed(GROUP, b, a),
};

const OUTPUT: ElementRules = {
  what: 'output',
  category: 4,
  list: (e) => e.outputs,
  labelKey: 'label',
  noun: () => 'output',
  container: (p) => `run group ${quote(p.parent ?? '', 80)} on ${onPage(p)}`,
  skip: new Set(['id']),
};

const SECTION: ElementRules = {
  what: 'section',
  category: 5,
  list: (e) => e.sections,
  labelKey: 'title',
  noun: () => 'section',
  container: onPage,
  contents: (p, all) => `, with ${count(within(all.widgets, p), 'widget')}`,
  skip: new Set(['id', 'title', 'layout', 'weights', 'widgets']),
  special(b, a) {
    const told = renamed(SECTION, b, a);
    if (!same(b.item.layout, a.item.layout))
      told.push({
        kind: 'resized',
        field: 'layout',
        before: b.item.layout,
        after: a.item.layout,
        sentence: `${subject(SECTION, a)} is laid out as ${shown(a.item.layout)} (was ${shown(b.item.layout)})`,
      });
    if (!same(b.item.weights, a.item.weights))
      told.push({
        kind: 'resized',
        field: 'weights',
        before: b.item.weights,
        after: a.item.weights,
        sentence: `column widths of ${subject(SECTION, a)}: ${weights(a.item.weights)} (was ${weights(b.item.weights)})`,
      });
    return told;
  },
};

const widgetNoun = (p: Placed): string => typeNoun(p.item.type);

const WIDGET: ElementRules = {
  what: 'widget',
  category: 6,
  list: (e) => e.widgets,
  labelKey: 'label',
  noun: widgetNoun,
  container: (p) => `section ${quote(p.section ?? '', 80)} on ${onPage(p)}`,
  skip: new Set(['id', 'type', 'label', 'span', 'column', 'outputId']),
  special(b, a) {
    const told = [...retyped(WIDGET, b, a, widgetNoun), ...renamed(WIDGET, b, a), ...resizedSpan(WIDGET, b, a)];
    if (!same(b.item.column, a.item.column))
      told.push({
        kind: 'moved',
        field: 'column',
        before: b.item.column,
        after: a.item.column,
        sentence: `${subject(WIDGET, a)} moves to column ${shown(a.item.column)} (was ${shown(b.item.column)})`,
      });
    if (!same(b.item.outputId, a.item.outputId))
      told.push({
        kind: 'changed',
        field: 'outputId',
        before: b.item.outputId,
        after: a.item.outputId,
        sentence: `${subject(WIDGET, a)} shows output ${shown(a.item.outputId)} (was ${shown(b.item.outputId)})`,
      });
    return told;
  },
};

/** The kinds of element of an app, in the order their changes are told within a page. */
export const APP_RULES: readonly ElementRules[] = [PAGE, INPUT, FIELD, GROUP, OUTPUT, SECTION, WIDGET];
