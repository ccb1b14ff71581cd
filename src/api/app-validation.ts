import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadAjv } from '../util/lazy.js';
import { TYPE_WORDS } from '../util/type-words.js';
import { formatAppPath } from '../core/app.js';
import { notInVocabulary } from './app-findings.js';
import type { AppFindings, AppProblem } from './app-findings.js';
import { APP_CHECK } from './app-check.js';
import { appReferenceFindings } from './app-references.js';
import { appSchema } from './app-schema.js';
import { SHAPES } from './app-vocabulary.js';
import type { Field } from './app-fields.js';

/*
 * The one validation of an app definition: the vocabulary (its JSON Schema) plus the references
 * between its parts. `validate` runs it offline on files and the emulator on every save, so the two
 * never disagree.
 */

// The apps vocabulary speaks of objects where dashboard files speak of mappings.
const APP_TYPE_WORDS: Record<string, string> = { ...TYPE_WORDS, object: 'an object' };

// The words of each field that may take one of several forms, by its name (`y`: a column or a list).
const EITHER_WORDS = new Map(
  Object.values(SHAPES).flatMap((shape) =>
    Object.entries(shape.fields as Record<string, Field>).flatMap(([name, field]) =>
      field.kind === 'either' ? [[name, field.words] as const] : [],
    ),
  ),
);

let compiled: ValidateFunction | undefined;

// The schema made from the vocabulary, compiled on first use (ajv is loaded only then).
function schemaValidator(): ValidateFunction {
  compiled ??= new (loadAjv().Ajv)({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(
    appSchema(),
  );
  return compiled;
}

// The path into the app of an ajv error: its JSON pointer decoded, indexes as numbers.
function pathOf(error: ErrorObject): Array<string | number> {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}

// An anyOf that failed: several fields of which one is required, or a field of several forms.
function anyOfMessage(error: ErrorObject, path: Array<string | number>): string {
  const branches = (Array.isArray(error.schema) ? error.schema : []) as Array<{ required?: string[] }>;
  const required = branches.flatMap((branch) => branch.required ?? []);
  if (required.length === branches.length && required.length > 0) return `needs ${required.join(' or ')}`;
  return `must be ${EITHER_WORDS.get(String(path[path.length - 1])) ?? 'one of its allowed forms'}`;
}

// An ajv error in the app vocabulary's words; undefined for errors that others already explain.
function problemOf(error: ErrorObject): AppProblem | undefined {
  const path = pathOf(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // its `then` errors say what is wrong
    case 'required':
      return { path: [...path, String(params.missingProperty)], message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { path: [...path, String(params.additionalProperty)], message: notInVocabulary(allowed), allowed };
    }
    case 'type': {
      const types = [params.type as string | string[]].flat();
      return { path, message: `must be ${types.map((type) => APP_TYPE_WORDS[type] ?? type).join(' or ')}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      return { path, message: `must be one of ${allowed.join(', ')}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum': {
      const bound = error.keyword === 'maximum' ? 'at most' : error.keyword === 'minimum' ? 'at least' : 'more than';
      return { path, message: `must be ${bound} ${String(params.limit)}` };
    }
    case 'minItems':
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'anyOf':
      return { path, message: anyOfMessage(error, path) };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}

/** The vocabulary's errors of an app: one per fault, in the app vocabulary's words. */
function vocabularyErrors(app: unknown): AppProblem[] {
  // A valid app (the usual case) is known by the check compiled ahead of time, where there is one.
  if (APP_CHECK?.(app)) return [];
  const validate = schemaValidator();
  if (validate(app)) return [];
  const errors = validate.errors ?? [];
  // The alternatives of an anyOf that failed are noise once the anyOf itself is reported.
  const anyOfs = errors.filter((error) => error.keyword === 'anyOf').map((error) => `${error.schemaPath}/`);
  const problems: AppProblem[] = [];
  for (const error of errors) {
    if (anyOfs.some((anyOf) => error.schemaPath.startsWith(anyOf))) continue;
    const problem = problemOf(error);
    const reported = (earlier: AppProblem): boolean =>
      earlier.message === problem!.message && formatAppPath(earlier.path) === formatAppPath(problem!.path);
    if (problem && !problems.some(reported)) problems.push(problem);
  }
  return problems;
}

/**
 * Every finding of an app definition (the object the /apps API saves: `id` and `name` inside):
 * errors (the vocabulary's first, then the references'), and warnings; none when the app is valid.
 * Checks that need the ontology (concept and column names, `@param` declarations, what `execute`
 * computes) are the server's alone.
 */
export function validateApp(app: unknown): AppFindings {
  const references = appReferenceFindings(app);
  return { errors: [...vocabularyErrors(app), ...references.errors], warnings: references.warnings };
}
