import type { Json } from '../core/types.js';
import { parseFast } from './fast-yaml.js';
import { toYamlText } from './yaml.js';

/*
 * A fast writer for new files (pull writes thousands): plain JSON to block-style YAML in the same
 * style as toYamlText (multi-line strings as `|` blocks, anything a YAML reader could take for
 * another type quoted, long lines never folded), at a tenth of the cost of the `yaml` library.
 * Every result is read back with the fast parser and must give exactly the value; otherwise the
 * `yaml` library writes the file.
 */

const PLAIN = /^[A-Za-z_/(.$][^\n:#]*$/;
const TYPED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9.].*|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|<<|=)$/;

// A UUID reads back as a string in every YAML reader (not a number, not a date): written plain, so
// that ids look the same in pulled files as in files whose id apply wrote back.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A string as a YAML scalar: plain where no YAML reader could take it for another type, else double-quoted. */
export function scalar(s: string): string {
  if (UUID.test(s)) return s;
  if (
    s !== '' &&
    PLAIN.test(s) &&
    !TYPED.test(s) &&
    s.trim() === s &&
    !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s) &&
    !s.includes(' #') &&
    !/[,[\]{}]/.test(s[0]!)
  )
    return s;
  return JSON.stringify(s);
}

// Keys repeat across a pull's thousands of files (id, type, title...): each is worked out once.
const keyTexts = new Map<string, string>();
function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = scalar(k);
    if (keyTexts.size < 10_000) keyTexts.set(k, t);
  }
  return t;
}

function block(s: string, indent: string): string | undefined {
  if (
    !s.includes('\n') ||
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s) ||
    /[ \t]\n|[ \t]$/.test(s) ||
    /^[ \t\n]/.test(s)
  )
    return undefined;
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = (trailing ? s.slice(0, -trailing) : s).split('\n');
  return `|${chomp}\n${body.map((l) => (l === '' ? '' : `${indent}${l}`)).join('\n')}${trailing > 1 ? '\n'.repeat(trailing - 1) : ''}`;
}

function value(v: Json, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return JSON.stringify(v);
  if (typeof v === 'string') return block(v, indent) ?? scalar(v);
  return '';
}

function emit(v: Json, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (
        item !== null &&
        typeof item === 'object' &&
        !(Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0)
      ) {
        if (Array.isArray(item)) throw new Error('nested list');
        const inner: string[] = [];
        emit(item, `${indent}  `, inner);
        out.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
      } else {
        out.push(
          `${indent}- ${Array.isArray(item) ? '[]' : item !== null && typeof item === 'object' ? '{}' : value(item, `${indent}  `)}`,
        );
      }
    }
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, Json>)) {
    const key = keyText(k);
    if (x !== null && typeof x === 'object') {
      const empty = Array.isArray(x) ? x.length === 0 : Object.keys(x).length === 0;
      if (empty) out.push(`${indent}${key}: ${Array.isArray(x) ? '[]' : '{}'}`);
      else {
        out.push(`${indent}${key}:`);
        emit(x, `${indent}  `, out);
      }
    } else {
      out.push(`${indent}${key}: ${value(x, `${indent}  `)}`);
    }
  }
}

/** YAML text of a mapping, written fast where it can be verified, else by the `yaml` library. */
export function fastYamlText(v: Record<string, Json>): string {
  try {
    const out: string[] = [];
    emit(v, '', out);
    const text = `${out.join('\n')}\n`;
    const back = parseFast(text);
    if (back !== undefined && sameJson(back, v)) return text;
  } catch {
    // fall through
  }
  return toYamlText(v);
}

// True when the two are the same JSON, key order included (stricter than equal canonical JSON, and
// without its sorting and text: the check that every fast-written file reads back as its value).
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameJson(a[k]!, b[k]!)) return false;
  }
  return true;
}
