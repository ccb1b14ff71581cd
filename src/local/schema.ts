import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { loadAjv } from '../util/lazy.js';
import { packageRoot } from '../util/package-root.js';
import { PRECOMPILED } from '../util/precompiled.js';
import { TYPE_WORDS } from '../util/type-words.js';
import { positionOf } from './yaml.js';
import type { ParsedYaml, Pos } from './yaml.js';

/**
 * The JSON Schemas shipped in the package that validate reads: one source of truth for validate and
 * for editors. (The app schema is made from the app vocabulary: src/api/app-validation.ts.)
 */
export type SchemaName = 'dashboard' | 'config';

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The schema file's location in the installed package. */
export function schemaPath(name: SchemaName): string {
  return join(packageRoot(), 'schemas', `${name}.schema.json`);
}

// The one ajv instance, made on first use (ajv is loaded only then).
function ajvInstance(): Ajv {
  ajv ??= new (loadAjv().Ajv)({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  return ajv;
}

/** The compiled validator of a shipped schema (compiled once, on first use). */
export function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajvInstance().compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object);
    compiled.set(name, validate);
  }
  return validate;
}

/** Keys a file may hold beside id, name and definition, with their schemas (a flavour's: local/file-reading.ts). */
export type FileKeys = Readonly<Record<string, object>>;

const fileValidators = new WeakMap<FileKeys, ValidateFunction>();

/**
 * The schema of a dashboard file that may also hold `keys`: dashboard.schema.json with those keys
 * beside id, name and definition. (The CLI's bundle compiles it ahead of time: scripts/bundle.mjs.)
 */
export function fileSchema(keys: FileKeys): object {
  const { $id: _id, ...base } = JSON.parse(readFileSync(schemaPath('dashboard'), 'utf8')) as {
    $id?: string;
    properties: object;
  };
  void _id; // one schema per $id in an ajv instance: the variant goes without it
  return { ...base, properties: { ...base.properties, ...keys } };
}

/** The name of the ahead-of-time validator of a file that may also hold `keys` (util/precompiled.ts). */
export function fileSchemaName(keys: FileKeys): string {
  return Object.keys(keys).length === 0 ? 'dashboard' : `file:${JSON.stringify(keys)}`;
}

// The validator of a dashboard file that may also hold `keys` (compiled once per set of keys).
function fileValidator(keys: FileKeys): ValidateFunction {
  if (Object.keys(keys).length === 0) return validator('dashboard');
  let validate = fileValidators.get(keys);
  if (!validate) {
    validate = ajvInstance().compile(fileSchema(keys));
    fileValidators.set(keys, validate);
  }
  return validate;
}

// The yes/no check of a file that may also hold `keys`: compiled ahead of time where it was.
const fileChecks = new WeakMap<FileKeys, (value: unknown) => boolean>();
function fileCheck(keys: FileKeys): (value: unknown) => boolean {
  let check = fileChecks.get(keys);
  if (!check) {
    check = PRECOMPILED[fileSchemaName(keys)] ?? ((value) => fileValidator(keys)(value) === true);
    fileChecks.set(keys, check);
  }
  return check;
}

/** A schema violation, placed in the YAML text. */
export interface SchemaProblem {
  pos: Pos;
  message: string;
}

// An ajv error in the words of a dashboard file: keys, mappings and lists. A top-level key the
// file's flavour refuses is said with why (`refused`).
function describe(error: ErrorObject, path: string[], refused: Readonly<Record<string, string>>): string {
  const label = path.length ? `"${path.join('.')}"` : 'the file';
  const inLabel = path.length ? ` in ${label}` : '';
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      if (path.length === 0 && Object.prototype.hasOwnProperty.call(refused, extra))
        return `"${extra}" ${refused[extra]}`;
      return allowed.length
        ? `unknown key "${extra}"${inLabel} (allowed: ${allowed.join(', ')})`
        : `unknown key "${extra}"`;
    }
    case 'required':
      return `missing key "${(error.params as { missingProperty: string }).missingProperty}"${inLabel}`;
    case 'type': {
      const types = [(error.params as { type: string | string[] }).type].flat();
      return `${label} must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(' or ')}`;
    }
    case 'minLength':
      return `${label} must not be empty`;
    case 'maxLength':
      return `${label} is longer than ${(error.params as { limit: number }).limit} characters`;
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((value) =>
        JSON.stringify(value),
      );
      return `${label} must be one of ${allowed.join(', ')}`;
    }
    case 'pattern': {
      // A key refused by propertyNames: said of the key, with the rule's words where the schema has them.
      const key = error.propertyName;
      const rule = (error.parentSchema as { description?: string } | undefined)?.description;
      const words = rule ? `: ${rule}` : '';
      return key !== undefined
        ? `key "${key}"${inLabel} is not a valid name${words}`
        : `${label} is not a valid name${words}`;
    }
    default:
      return `${label} ${error.message ?? 'is not valid'}`;
  }
}

/** True when a plain value satisfies the schema (no positions: the fast path's check). */
export function satisfies(name: SchemaName, value: unknown): boolean {
  const check = PRECOMPILED[name];
  return check ? check(value) : validator(name)(value) === true;
}

/** True when a plain value is a valid dashboard file that may also hold `keys` (the fast path's check). */
export function satisfiesFile(value: unknown, keys: FileKeys): boolean {
  return fileCheck(keys)(value);
}

/** Checks a parsed YAML document against a schema; returns one problem per violation, in file order. */
export function checkSchema(name: SchemaName, parsed: ParsedYaml): SchemaProblem[] {
  return problemsOf(validator(name), parsed, {});
}

/**
 * Checks a dashboard file that may also hold `keys`; a top-level key in `refused` is said with why.
 * One problem per violation, in file order.
 */
export function checkFileSchema(
  parsed: ParsedYaml,
  keys: FileKeys,
  refused: Readonly<Record<string, string>>,
): SchemaProblem[] {
  return problemsOf(fileValidator(keys), parsed, refused);
}

// The violations of a document, placed in its text.
function problemsOf(
  validate: ValidateFunction,
  parsed: ParsedYaml,
  refused: Readonly<Record<string, string>>,
): SchemaProblem[] {
  if (validate(parsed.value)) return [];
  const problems: SchemaProblem[] = [];
  for (const error of validate.errors ?? []) {
    // propertyNames' own error repeats the one its pattern made about the key.
    if (error.keyword === 'propertyNames') continue;
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const extra =
      error.keyword === 'additionalProperties'
        ? String((error.params as { additionalProperty: string }).additionalProperty)
        : error.propertyName;
    // An unknown key, or one whose name is refused, is shown at the key itself, not at its parent.
    const pos = extra !== undefined ? positionOf(parsed, [...path, extra], { ofKey: true }) : positionOf(parsed, path);
    problems.push({ pos, message: describe(error, path, refused) });
  }
  problems.sort((left, right) => left.pos.line - right.pos.line || left.pos.col - right.pos.col);
  // ajv may report one fault twice (through two schema branches): the same message on a line once.
  return problems.filter((problem, i) => {
    const previous = problems[i - 1];
    return !previous || problem.message !== previous.message || problem.pos.line !== previous.pos.line;
  });
}
