import { list, name, oneOf, span, text, texts } from './app-fields.js';
import type { Field, Shape } from './app-fields.js';

/*
 * The widget types of the app vocabulary: a new one is one line of WIDGETS (plus its test); the
 * widget object of the schema and the widget checks of the references are made from this table.
 */

/** What a widget binds through: a field naming a part of the page. */
export type Binding = 'inputId' | 'groupId' | 'outputId' | 'action' | 'content';

/** One widget type: the field(s) it binds through (one of them when several), its own fields. */
export interface WidgetType {
  binds: Binding | readonly Binding[];
  /** For `inputId`: which inputs it shows (a form, or a scalar input). */
  shows?: 'form' | 'scalar';
  fields?: readonly WidgetField[];
}

/** The fields a widget binds through, in the order the schema lists them. */
const BINDING_FIELDS = {
  inputId: name,
  groupId: name,
  outputId: name,
  content: text,
  action: { kind: 'shape', shape: 'buttonAction' },
} satisfies Record<Binding, Field>;

/** The fields only some widget types use (every widget may carry them; see WIDGETS). */
const WIDGET_FIELDS = {
  buttonStyle: oneOf('primary', 'outline', 'ghost'),
  variant: oneOf('full', 'compact', 'plain'),
  columns: texts,
  formatRules: list('formatRule'),
  columnFormats: { kind: 'map', values: oneOf('number', 'percent', 'signed_percent') },
  onRowSelect: { kind: 'shape', shape: 'onRowSelect' },
  valueCol: name,
  labelCol: name,
  statSub: text,
  x: name,
  y: { kind: 'either', of: [name, texts], words: 'a column name or a list of them' },
  seriesCol: name,
  rowCol: name,
  colCol: name,
} satisfies Record<string, Field>;

/** A field some widget types use. */
export type WidgetField = keyof typeof WIDGET_FIELDS;

const CHART: readonly WidgetField[] = ['x', 'y', 'seriesCol'];

/** The widget types, one line each: what each binds through, and the fields it uses. */
export const WIDGETS = {
  input_ref: { binds: 'inputId', shows: 'scalar' },
  form_ref: { binds: 'inputId', shows: 'form' },
  run_button: { binds: 'groupId' },
  button: { binds: 'action', fields: ['buttonStyle'] },
  rich_table: { binds: 'outputId', fields: ['variant', 'columns', 'formatRules', 'columnFormats', 'onRowSelect'] },
  text: { binds: ['outputId', 'content'] },
  stat_card: { binds: 'outputId', fields: ['valueCol', 'labelCol', 'statSub'] },
  line_chart: { binds: 'outputId', fields: CHART },
  area_chart: { binds: 'outputId', fields: CHART },
  bar_chart: { binds: 'outputId', fields: CHART },
  pie_chart: { binds: 'outputId', fields: CHART },
  heatmap: { binds: 'outputId', fields: ['rowCol', 'colCol', 'valueCol'] },
} satisfies Record<string, WidgetType>;

/** The button actions, each with the field it requires. */
export const BUTTON_ACTIONS = { open_url: 'url', set_context: 'key', run_group: 'groupId' } as const;

const widgetTypes = Object.keys(WIDGETS);
const bound = new Set(Object.values(WIDGETS).flatMap((widget: WidgetType) => [widget.binds].flat()));
const bindings = (Object.keys(BINDING_FIELDS) as Binding[]).filter((binding) => bound.has(binding));
const widgetFields = [...new Set(Object.values(WIDGETS).flatMap((widget: WidgetType) => widget.fields ?? []))];

/** The widget object: common fields, every binding and field of a type, and what each type requires. */
export const WIDGET_SHAPE: Shape = {
  about: `One of the ${widgetTypes.length} widget types; each binds through the field its type needs.`,
  fields: {
    id: name,
    type: oneOf(...widgetTypes),
    label: text,
    span,
    column: { kind: 'integer', min: 1 },
    ...Object.fromEntries(bindings.map((binding) => [binding, BINDING_FIELDS[binding]])),
    ...Object.fromEntries(widgetFields.map((field) => [field, WIDGET_FIELDS[field]])),
  },
  required: ['id', 'type'],
  when: {
    field: 'type',
    requires: Object.fromEntries(
      Object.entries(WIDGETS).map(([type, widget]: [string, WidgetType]) => [
        type,
        typeof widget.binds === 'string' ? [widget.binds] : [widget.binds],
      ]),
    ),
  },
};
