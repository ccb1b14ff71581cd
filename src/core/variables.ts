import { setOwn } from './canonical.js';
import type { Json, JsonObject } from './types.js';

/**
 * Per-environment variables in definitions: `${{ var.NAME }}`. The `${{` opener does not occur in
 * ordinary dashboard text (queries use `${name}` or `{{name}}`), so nothing is replaced by accident;
 * `$${{` writes a literal `${{`.
 */
export const PLACEHOLDER = /(\$?)\$\{\{\s*var\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
// A string that is one placeholder and nothing else: it takes the variable's own type.
const WHOLE = /^\$\{\{\s*var\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** Values for `${{ var.NAME }}` placeholders, by name. */
export type Variables = Record<string, string | number | boolean>;

/** A placeholder whose variable is not defined, with where it stands. */
export interface MissingVariable {
  name: string;
  path: Array<string | number>;
}

/** True when the value holds at least one placeholder (a cheap check before rendering). */
export function hasPlaceholders(value: Json): boolean {
  if (typeof value === 'string') return value.includes('${{');
  if (value === null || typeof value !== 'object') return false;
  return Array.isArray(value) ? value.some(hasPlaceholders) : Object.values(value).some(hasPlaceholders);
}

/**
 * A variable's value, or undefined when it is not defined: only the variables given count, never
 * what every object inherits (`${{ var.constructor }}` is undefined like any unknown name).
 */
export function valueOf(vars: Variables, name: string): string | number | boolean | undefined {
  return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
}

function renderString(text: string, vars: Variables, path: Array<string | number>, missing: MissingVariable[]): Json {
  const whole = WHOLE.exec(text);
  if (whole) {
    const variable = valueOf(vars, whole[1]!);
    if (variable === undefined) missing.push({ name: whole[1]!, path });
    return variable ?? text;
  }
  return text.replace(PLACEHOLDER, (placeholder, escape: string, name: string) => {
    if (escape) return placeholder.slice(1);
    const variable = valueOf(vars, name);
    if (variable === undefined) {
      missing.push({ name, path });
      return placeholder;
    }
    return String(variable);
  });
}

/**
 * The value with every placeholder replaced by its variable. A string that is exactly one
 * placeholder takes the variable's type (a number stays a number). Undefined variables are listed.
 */
export function render(
  value: Json,
  vars: Variables,
  path: Array<string | number> = [],
  missing: MissingVariable[] = [],
): { value: Json; missing: MissingVariable[] } {
  const walk = (node: Json, at: Array<string | number>): Json => {
    if (typeof node === 'string') return node.includes('${{') ? renderString(node, vars, at, missing) : node;
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    const rendered: Record<string, Json> = {};
    for (const [key, item] of Object.entries(node)) setOwn(rendered, key, walk(item, [...at, key]));
    return rendered;
  };
  return { value: walk(value, path), missing };
}

// A placeholder as written, escaped or not: `$` + this is what a literal needs in a file.
const PLACEHOLDER_TEXT = /\$\{\{(\s*var\.[A-Za-z_][A-Za-z0-9_]*\s*\}\})/g;

/**
 * A value from the workspace as a file must hold it: every text that a file would read as a
 * placeholder (`${{ var.x }}`, also `$${{ var.x }}`) gets one more `$`, so that rendering the file
 * gives back exactly the workspace's text. render(escapeLiterals(v), vars) equals v for any vars.
 */
export function escapeLiterals(value: Json): Json {
  if (typeof value === 'string') return value.includes('${{') ? value.replace(PLACEHOLDER_TEXT, '$$$${{$1') : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(escapeLiterals);
  const escaped: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) setOwn(escaped, key, escapeLiterals(item));
  return escaped;
}

/** A workspace dashboard's name and definition as a new file holds them: literal `${{` escaped. */
export function asFileContent(dashboard: { name: string; definition: JsonObject }): {
  name: string;
  definition: JsonObject;
} {
  return {
    name: escapeLiterals(dashboard.name) as string,
    definition: escapeLiterals(dashboard.definition) as JsonObject,
  };
}
