/*
 * The words the app vocabulary (app-vocabulary.ts, app-widgets.ts) is written in: what a field holds,
 * what an object of the definition is, and the fields used everywhere.
 */

/** What a field of the vocabulary holds; `shape` names another entry of SHAPES. */
export type Field =
  | { kind: 'string'; nonEmpty?: boolean; about?: string }
  | { kind: 'boolean' }
  | { kind: 'number'; moreThan?: number }
  | { kind: 'integer'; min?: number; max?: number; about?: string }
  | { kind: 'const'; value: number; about?: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'any' }
  | { kind: 'list'; of: Field; nonEmpty?: boolean }
  /** An object of free keys, each value a `values` (any value when absent). */
  | { kind: 'map'; values?: Field }
  | { kind: 'shape'; shape: ShapeName }
  /** One of several forms, named in `words` in the message when none fits. */
  | { kind: 'either'; of: readonly Field[]; words: string };

/**
 * An object of the vocabulary: its fields (nothing else is allowed), the required ones, and those a
 * value of one field (`when.field`) requires: `{form: ['sections']}` or, for either of several,
 * `{text: [['outputId', 'content']]}`.
 */
export interface Shape {
  about?: string;
  fields: Record<string, Field>;
  required: readonly string[];
  when?: { field: string; requires: Record<string, ReadonlyArray<string | readonly string[]>> };
}

/** Any text. */
export const text: Field = { kind: 'string' };
/** A name: text that is not empty. */
export const name: Field = { kind: 'string', nonEmpty: true };
/** True or false. */
export const flag: Field = { kind: 'boolean' };
/** A list of texts. */
export const texts: Field = { kind: 'list', of: text };
/** One of the given words. */
export const oneOf = (...values: string[]): Field => ({ kind: 'enum', values });
/** A list of objects of one shape. */
export const list = (shape: ShapeName): Field => ({ kind: 'list', of: { kind: 'shape', shape } });
/** A width on the 12-column grid. */
export const span: Field = { kind: 'integer', min: 1, max: 12, about: 'Width on the 12-column grid.' };

/** The name of an object of the vocabulary. */
export type ShapeName =
  | 'app'
  | 'header'
  | 'page'
  | 'project'
  | 'optionsSource'
  | 'visibleWhen'
  | 'input'
  | 'formSection'
  | 'scalarField'
  | 'formField'
  | 'seedFrom'
  | 'runGroup'
  | 'outputTap'
  | 'section'
  | 'formatRule'
  | 'buttonAction'
  | 'onRowSelect'
  | 'widget';
