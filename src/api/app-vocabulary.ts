import { flag, list, name, oneOf, span, text, texts } from './app-fields.js';
import type { Field, Shape, ShapeName } from './app-fields.js';
import { BUTTON_ACTIONS, WIDGET_SHAPE } from './app-widgets.js';

/*
 * The app definition's vocabulary (schema version 2), as Prometheux's definition reference lists it:
 * the one table both schemas/app.schema.json (generated from it by app-schema.ts, `npm run schemas`)
 * and the reference checks (app-references.ts) are derived from. The widget types are their own
 * table (app-widgets.ts); a new value of an enumeration is one word in its list.
 */

/** The scalar input types: a standalone input, or a field of a form. */
export const SCALAR_TYPES = [
  'text',
  'number',
  'select',
  'combobox',
  'date',
  'multi_select',
  'checkbox',
  'radio',
  'password',
  'textarea',
] as const;

/** The input type of a form, and the form field type that holds rows (fed to `facts`). */
export const FORM_TYPE = 'form';
export const RECORD_GROUP_TYPE = 'record_group';

/** The section layout whose stacks `weights` sizes; on any other layout `weights` is a warning. */
export const WEIGHTED_LAYOUT = 'columns';

// The fields of a standalone scalar input, and those a field of a form adds to them.
const scalarInput = {
  label: text,
  required: flag,
  default: { kind: 'any' },
  placeholder: text,
  options: texts,
  optionsSource: { kind: 'shape', shape: 'optionsSource' },
} satisfies Record<string, Field>;
const scalarField = {
  id: name,
  type: oneOf(...SCALAR_TYPES),
  span,
  label: text,
  required: flag,
  placeholder: text,
  default: { kind: 'any' },
  min: { kind: 'number' },
  max: { kind: 'number' },
  pattern: text,
  options: texts,
  optionsSource: { kind: 'shape', shape: 'optionsSource' },
  visibleWhen: { kind: 'shape', shape: 'visibleWhen' },
} satisfies Record<string, Field>;
const rowCount: Field = { kind: 'integer', min: 0 };

/** Every object of the app definition, by name; `app` is the whole definition. */
export const SHAPES = {
  app: {
    fields: {
      schemaVersion: { kind: 'const', value: 2, about: '2 for everything described here.' },
      id: { kind: 'string', nonEmpty: true, about: 'Generated on first save; absent in an app not yet created.' },
      name: { kind: 'string', nonEmpty: true, about: 'Shown on the catalog card.' },
      header: { kind: 'shape', shape: 'header' },
      pages: { kind: 'list', of: { kind: 'shape', shape: 'page' }, nonEmpty: true },
    },
    required: ['schemaVersion', 'name', 'header', 'pages'],
  },
  header: { fields: { title: text, subtitle: text, logoUrl: text }, required: ['title'] },
  page: {
    fields: {
      id: name,
      label: name,
      project: { kind: 'shape', shape: 'project' },
      inputs: list('input'),
      runGroups: list('runGroup'),
      sections: list('section'),
    },
    required: ['id', 'label', 'project', 'inputs', 'runGroups', 'sections'],
  },
  project: {
    fields: {
      id: {
        kind: 'string',
        nonEmpty: true,
        about:
          'The one project (ontology) the page binds to. dashsync retargets it when the app moves to another project.',
      },
    },
    required: ['id'],
  },
  optionsSource: { fields: { concept: name, valueCol: name, labelCol: name }, required: ['concept', 'valueCol'] },
  visibleWhen: { fields: { field: name, equals: { kind: 'any' } }, required: ['field', 'equals'] },
  input: {
    about: 'A standalone scalar input, or a form (type: form).',
    fields: {
      id: name,
      type: oneOf(...SCALAR_TYPES, FORM_TYPE),
      ...scalarInput,
      sections: list('formSection'),
      submitLabel: text,
      layout: oneOf('flow', 'grid'),
      labelPosition: oneOf('top', 'left'),
    },
    required: ['id', 'type'],
    when: { field: 'type', requires: { [FORM_TYPE]: ['sections'] } },
  },
  formSection: { fields: { title: text, fields: list('formField') }, required: ['fields'] },
  scalarField: { fields: scalarField, required: ['id', 'type'] },
  formField: {
    fields: {
      ...scalarField,
      type: oneOf(...SCALAR_TYPES, RECORD_GROUP_TYPE),
      fields: list('scalarField'),
      minRows: rowCount,
      maxRows: rowCount,
      seedFrom: { kind: 'shape', shape: 'seedFrom' },
    },
    required: ['id', 'type'],
    when: { field: 'type', requires: { [RECORD_GROUP_TYPE]: ['fields'] } },
  },
  seedFrom: { fields: { concept: name, columnToField: { kind: 'map', values: text } }, required: ['concept'] },
  runGroup: {
    fields: {
      id: name,
      label: text,
      trigger: oneOf('button', 'form', 'auto', 'load'),
      formId: name,
      params: { kind: 'map' },
      facts: { kind: 'map', values: text },
      execute: { kind: 'list', of: name, nonEmpty: true },
      outputs: list('outputTap'),
    },
    required: ['id', 'trigger', 'execute', 'outputs'],
    when: { field: 'trigger', requires: { form: ['formId'] } },
  },
  outputTap: { fields: { id: name, concept: name }, required: ['id', 'concept'] },
  section: {
    fields: {
      id: name,
      title: text,
      layout: oneOf('grid', WEIGHTED_LAYOUT, 'single', 'two_col', 'four_col'),
      weights: { kind: 'list', of: { kind: 'number', moreThan: 0 } },
      widgets: list('widget'),
    },
    required: ['id', 'widgets'],
  },
  formatRule: {
    fields: {
      column: name,
      operator: oneOf('less_than', 'greater_than', 'equals', 'not_equals'),
      value: { kind: 'any' },
      color: oneOf('red', 'green', 'amber', 'blue', 'neutral'),
      display: oneOf('text', 'badge'),
    },
    required: ['column', 'operator', 'value', 'color'],
  },
  buttonAction: {
    fields: {
      type: oneOf(...Object.keys(BUTTON_ACTIONS)),
      url: name,
      key: name,
      value: { kind: 'any' },
      groupId: name,
    },
    required: ['type'],
    when: {
      field: 'type',
      requires: Object.fromEntries(Object.entries(BUTTON_ACTIONS).map(([type, field]) => [type, [field]])),
    },
  },
  onRowSelect: { fields: { set: name }, required: ['set'] },
  widget: WIDGET_SHAPE,
} satisfies Record<ShapeName, Shape>;
