import { SHAPES } from './app-vocabulary.js';
import type { Field, Shape, ShapeName } from './app-fields.js';

/*
 * The JSON Schema of an app definition, made from the vocabulary table: what validate and the
 * emulator check a definition with, and what `npm run schemas` writes to schemas/app.schema.json
 * for editors (a test fails when the committed file differs from this).
 */

/** A JSON Schema, as plain data. */
export type JsonSchema = { [key: string]: unknown };

// Shapes written in place where they are used; the others are shared definitions.
const IN_PLACE: ReadonlySet<ShapeName> = new Set(['app', 'header', 'project', 'seedFrom', 'outputTap', 'onRowSelect']);

const described = (schema: JsonSchema, about: string | undefined): JsonSchema =>
  about === undefined ? schema : { ...schema, description: about };

function fieldSchema(field: Field): JsonSchema {
  switch (field.kind) {
    case 'string':
      return described({ type: 'string', ...(field.nonEmpty ? { minLength: 1 } : {}) }, field.about);
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: 'number', ...(field.moreThan !== undefined ? { exclusiveMinimum: field.moreThan } : {}) };
    case 'integer': {
      const bounds = { ...(field.min !== undefined ? { minimum: field.min } : {}) };
      return described(
        { type: 'integer', ...bounds, ...(field.max !== undefined ? { maximum: field.max } : {}) },
        field.about,
      );
    }
    case 'const':
      return described({ const: field.value }, field.about);
    case 'enum':
      return { enum: [...field.values] };
    case 'any':
      return {};
    case 'list':
      return { type: 'array', ...(field.nonEmpty ? { minItems: 1 } : {}), items: fieldSchema(field.of) };
    case 'map':
      return { type: 'object', ...(field.values ? { additionalProperties: fieldSchema(field.values) } : {}) };
    case 'shape':
      return IN_PLACE.has(field.shape) ? shapeSchema(SHAPES[field.shape]) : { $ref: `#/definitions/${field.shape}` };
    case 'either':
      return { anyOf: field.of.map(fieldSchema) };
  }
}

// "This field is present": a requirement strict mode accepts (it wants required names declared).
const present = (names: readonly string[]): JsonSchema => ({
  required: [...names],
  properties: Object.fromEntries(names.map((name) => [name, true])),
});

// When `field` has the value `value`, what it requires: each name, or one name of each group.
function requirement(field: string, value: string, requires: ReadonlyArray<string | readonly string[]>): JsonSchema {
  const single = requires.filter((name): name is string => typeof name === 'string');
  const either = requires.filter((names): names is readonly string[] => typeof names !== 'string');
  return {
    if: { type: 'object', properties: { [field]: { const: value } }, required: [field] },
    then: {
      ...(single.length ? present(single) : {}),
      ...(either.length ? { anyOf: either.flatMap((names) => names.map((name) => present([name]))) } : {}),
    },
  };
}

function shapeSchema(shape: Shape): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(shape.fields).map(([name, field]) => [name, fieldSchema(field)]),
  );
  const schema = described({}, shape.about);
  Object.assign(schema, { type: 'object', additionalProperties: false, required: [...shape.required], properties });
  if (!shape.when) return schema;
  const { field, requires } = shape.when;
  const conditions = Object.entries(requires).map(([value, names]) => requirement(field, value, names));
  return conditions.length === 1 ? { ...schema, ...conditions[0] } : { ...schema, allOf: conditions };
}

/** The JSON Schema of an app definition (draft-07), as schemas/app.schema.json holds it. */
export function appSchema(): JsonSchema {
  const definitions = Object.fromEntries(
    (Object.keys(SHAPES) as ShapeName[])
      .filter((name) => !IN_PLACE.has(name))
      .map((name) => [name, shapeSchema(SHAPES[name])]),
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://dashsync.dev/schemas/app.schema.json',
    title: 'Prometheux app definition (schema version 2)',
    description:
      "An app definition as the /apps API stores it, written from Prometheux's app definition reference. In a " +
      "dashsync file (api: apps) the top-level id and name are the file's own; the rest is under definition. " +
      'Concept and column names are checked by the server against the ontology only. Generated from ' +
      'src/api/app-vocabulary.ts by `npm run schemas`: edit the table, not this file.',
    ...shapeSchema(SHAPES.app),
    definitions,
  };
}

/** The schema file's text, as `npm run schemas` writes it and the test compares it. */
export function appSchemaText(): string {
  return `${JSON.stringify(appSchema(), null, 2)}\n`;
}
