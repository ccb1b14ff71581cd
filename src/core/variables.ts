import { setOwn } from './canonical.js';
import type { Json, JsonObject } from './types.js';

/**
 * Per-environment variables in definitions: `${{ var.NAME }}`. The `${{` opener does not occur in
 * ordinary dashboard text (queries use `${name}` or `{{name}}`), so nothing is replaced by accident;
 * `$${{` writes a literal `${{`.
 */
export const PLACEHOLDER = /(\$?)\$\{\{\s*var\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\$\{\{\s*var\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

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

function renderString(s: string, vars: Variables, path: Array<string | number>, missing: MissingVariable[]): Json {
  const whole = WHOLE.exec(s);
  if (whole) {
    const v = vars[whole[1]!];
    if (v === undefined) missing.push({ name: whole[1]!, path });
    return v ?? s;
  }
  return s.replace(PLACEHOLDER, (all, escape: string, name: string) => {
    if (escape) return all.slice(1);
    const v = vars[name];
    if (v === undefined) {
      missing.push({ name, path });
      return all;
    }
    return String(v);
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
  const walk = (v: Json, p: Array<string | number>): Json => {
    if (typeof v === 'string') return v.includes('${{') ? renderString(v, vars, p, missing) : v;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...p, i]));
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, walk(x, [...p, k]));
    return out;
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
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(value)) setOwn(out, k, escapeLiterals(x));
  return out;
}

/**
 * What to write back to a file that uses placeholders when the server holds `remote`: every part
 * whose rendering already equals the server's value keeps the file's text (placeholder included);
 * only what really changed takes the server's value, escaped (see escapeLiterals).
 */
export function unrender(template: Json, remote: Json, vars: Variables): Json {
  if (typeof template === 'string' && template.includes('${{')) {
    const r = render(template, vars);
    return r.missing.length === 0 && JSON.stringify(r.value) === JSON.stringify(remote)
      ? template
      : escapeLiterals(remote);
  }
  if (Array.isArray(template) && Array.isArray(remote)) {
    return remote.map((x, i) => (i < template.length ? unrender(template[i]!, x, vars) : escapeLiterals(x)));
  }
  if (
    template !== null &&
    remote !== null &&
    typeof template === 'object' &&
    typeof remote === 'object' &&
    !Array.isArray(template) &&
    !Array.isArray(remote)
  ) {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(remote))
      setOwn(
        out,
        k,
        Object.prototype.hasOwnProperty.call(template, k) ? unrender(template[k]!, x, vars) : escapeLiterals(x),
      );
    return out;
  }
  return escapeLiterals(remote);
}

/** A workspace dashboard's name and definition as a new file holds them: literal `${{` escaped. */
export function asFileContent(d: { name: string; definition: JsonObject }): { name: string; definition: JsonObject } {
  return { name: escapeLiterals(d.name) as string, definition: escapeLiterals(d.definition) as JsonObject };
}
