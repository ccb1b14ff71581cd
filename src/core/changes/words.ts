import { canonicalJson } from '../canonical.js';
import type { Json } from '../types.js';
import { quote } from '../words.js';

/*
 * The words of the change sentences: what a widget type is called, what a field is called, and how
 * a value reads. Values are written from canonical JSON (keys sorted), so a sentence never depends
 * on the order of an object's keys.
 */

// What a person calls each app widget type; other types (a dashboard's free-form ones) read as
// written, with `_` and `-` as spaces.
const TYPE_NOUNS: Record<string, string> = {
  rich_table: 'table',
  stat_card: 'stat card',
  input_ref: 'input',
  form_ref: 'form',
  run_button: 'run button',
  text: 'text block',
  kpi: 'KPI',
};

/** What a person calls an element of this type: `bar chart`, `table`; `widget` when it has none. */
export function typeNoun(type: Json | undefined): string {
  if (typeof type !== 'string' || type.trim() === '') return 'widget';
  return TYPE_NOUNS[type] ?? type.replace(/[_-]+/g, ' ').trim();
}

/** `a` or `an`, for a noun read aloud. */
export function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) && !/^(uni|use|one)/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** True for types drawn as a chart: `the "Revenue" chart becomes a line chart` reads better than widget. */
export function isChartType(type: Json | undefined): boolean {
  return typeof type === 'string' && /chart|heatmap|scatter|funnel|pie|gauge|histogram|graph/i.test(type);
}

// Words for the fields of app widgets, inputs, run groups and sections; others read as their path.
const FIELD_WORDS: Record<string, string> = {
  x: 'x axis',
  y: 'y axis',
  seriesCol: 'series',
  outputId: 'output',
  inputId: 'input',
  groupId: 'run group',
  columns: 'columns',
  columnFormats: 'column formats',
  formatRules: 'format rules',
  variant: 'table style',
  valueCol: 'value column',
  labelCol: 'label column',
  statSub: 'subtitle',
  rowCol: 'row axis',
  colCol: 'column axis',
  content: 'text',
  action: 'action',
  buttonStyle: 'button style',
  onRowSelect: 'row selection',
  optionsSource: 'options source',
  visibleWhen: 'visible when',
  submitLabel: 'submit label',
  labelPosition: 'label position',
  formId: 'form',
  logoUrl: 'logo',
  'query.text': 'query',
};

/** What a field is called in a sentence: `x axis` for `x`; a path reads as written. */
export function fieldWord(path: string): string {
  return FIELD_WORDS[path] ?? path;
}

const PLAIN = /^[\p{L}\p{N}_.:/@+-]+$/u;

/** An id or a value as it reads: bare when it is one plain word, else in double quotes. */
export function plainOrQuoted(text: string): string {
  return PLAIN.test(text) ? text : quote(text, 80);
}

/**
 * A value as it reads in a sentence: `month`, `"All leads"`, `revenue, cost` for a list of words,
 * `employees: number` for a map, `not set` for nothing. Long values are cut.
 */
export function shown(value: Json | undefined): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? '""' : plainOrQuoted(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((item) => item === null || typeof item !== 'object')) return cut(value.map(shown).join(', '));
    return cut(canonicalJson(value));
  }
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return 'none';
  if (keys.every((key) => value[key] === null || typeof value[key] !== 'object'))
    return cut(keys.map((key) => `${key}: ${shown(value[key])}`).join(', '));
  return cut(canonicalJson(value));
}

function cut(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** An element by its name (label, else id): `bar chart "Revenue"`, `table w_table`. */
export function named(noun: string, label: string | undefined, id: string | undefined): string {
  if (label !== undefined && label.trim() !== '') return `${noun} ${quote(label, 80)}`;
  if (id !== undefined) return `${noun} ${plainOrQuoted(id)}`;
  return noun;
}

/** `<field> of <element>: <after> (was <before>)`, the one shape of a field's change. */
export function fieldSentence(
  field: string,
  element: string,
  before: Json | undefined,
  after: Json | undefined,
): string {
  return `${fieldWord(field)} of ${element}: ${shown(after)} (was ${shown(before)})`;
}

/** `1 widget`, `3 widgets`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
