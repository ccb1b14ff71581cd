import { readFileSync } from 'node:fs';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { loadAjv } from '../util/lazy.js';
import { positionOf } from './yaml.js';
import type { ParsedYaml, Pos } from './yaml.js';

/** The JSON Schemas shipped in the package: one source of truth for validate and for editors. */
export type SchemaName = 'dashboard' | 'config' | 'app';

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The schema file's location in the installed package. */
export function schemaPath(name: SchemaName): URL {
  return new URL(`../../schemas/${name}.schema.json`, import.meta.url);
}

/** The compiled validator of a shipped schema (compiled once, on first use). */
export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    ajv ??= new (loadAjv().Ajv)({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    v = ajv.compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object);
    compiled.set(name, v);
  }
  return v;
}

/** A schema violation, placed in the YAML text. */
export interface SchemaProblem {
  pos: Pos;
  message: string;
}

/** JSON Schema type names as messages say them. */
export const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function describe(e: ErrorObject, path: string[]): string {
  const label = path.length ? `"${path.join('.')}"` : 'the file';
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      return allowed.length
        ? `unknown key "${extra}"${path.length ? ` in ${label}` : ''} (allowed: ${allowed.join(', ')})`
        : `unknown key "${extra}"`;
    }
    case 'required':
      return `missing key "${(e.params as { missingProperty: string }).missingProperty}"${path.length ? ` in ${label}` : ''}`;
    case 'type': {
      const t = (e.params as { type: string | string[] }).type;
      return `${label} must be ${[t]
        .flat()
        .map((x) => TYPE_WORDS[x] ?? x)
        .join(' or ')}`;
    }
    case 'minLength':
      return `${label} must not be empty`;
    case 'maxLength':
      return `${label} is longer than ${(e.params as { limit: number }).limit} characters`;
    case 'enum':
      return `${label} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
    case 'pattern':
      return `${label} is not a valid name`;
    default:
      return `${label} ${e.message ?? 'is not valid'}`;
  }
}

/** True when a plain value satisfies the schema (no positions: the fast path's check). */
export function satisfies(name: SchemaName, value: unknown): boolean {
  return validator(name)(value) === true;
}

/** Checks a parsed YAML document against a schema; returns one problem per violation, in file order. */
export function checkSchema(name: SchemaName, parsed: ParsedYaml): SchemaProblem[] {
  const validate = validator(name);
  if (validate(parsed.value)) return [];
  const out: SchemaProblem[] = [];
  for (const e of validate.errors ?? []) {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const extra =
      e.keyword === 'additionalProperties'
        ? String((e.params as { additionalProperty: string }).additionalProperty)
        : undefined;
    const pos = extra !== undefined ? positionOf(parsed, [...path, extra], { ofKey: true }) : positionOf(parsed, path);
    out.push({ pos, message: describe(e, path) });
  }
  out.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  return out.filter((p, i) => i === 0 || p.message !== out[i - 1]!.message || p.pos.line !== out[i - 1]!.pos.line);
}
