import type { Json } from '../core/types.js';
import { keepParsed, parseFast } from './fast-yaml.js';
import { toYamlText } from './yaml.js';

/*
 * A fast writer for new files (pull writes thousands): plain JSON to block-style YAML in the same
 * style as toYamlText (multi-line strings as `|` blocks, anything a YAML reader could take for
 * another type quoted, long lines never folded), at a tenth of the cost of the `yaml` library.
 * Every result is read back with the fast parser and must give exactly the value; otherwise the
 * `yaml` library writes the file.
 */

// Text that may be written plain, unless it reads as another type (TYPED).
const PLAIN = /^[A-Za-z_/(.$][^\n:#]*$/;
// Text some YAML reader (1.1 or 1.2) takes for null, a boolean, a number or a merge key.
const TYPED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9.].*|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|<<|=)$/;

// A UUID reads back as a string in every YAML reader (not a number, not a date): written plain, so
// that ids look the same in pulled files as in files whose id apply wrote back.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A string as a YAML scalar: plain where no YAML reader could take it for another type, else
 * double-quoted.
 */
export function scalar(text: string): string {
  if (UUID.test(text)) return text;
  if (
    text !== '' &&
    PLAIN.test(text) &&
    !TYPED.test(text) &&
    text.trim() === text &&
    !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text) &&
    !text.includes(' #') &&
    !/[,[\]{}]/.test(text[0]!)
  )
    return text;
  return JSON.stringify(text);
}

// Keys repeat across a pull's thousands of files (id, type, title...): each is worked out once.
const keyTexts = new Map<string, string>();
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = scalar(key);
    if (keyTexts.size < 10_000) keyTexts.set(key, text);
  }
  return text;
}

// A multi-line string as a `|` block (chomping indicator from its trailing line breaks); undefined
// where a block could not hold it exactly (control characters, trailing or leading blanks).
function block(text: string, indent: string): string | undefined {
  if (
    !text.includes('\n') ||
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text) ||
    /[ \t]\n|[ \t]$/.test(text) ||
    /^[ \t\n]/.test(text)
  )
    return undefined;
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = (trailing ? text.slice(0, -trailing) : text).split('\n');
  const indented = body.map((line) => (line === '' ? '' : `${indent}${line}`)).join('\n');
  return `|${chomp}\n${indented}${trailing > 1 ? '\n'.repeat(trailing - 1) : ''}`;
}

// A scalar's text after `key: ` or `- `.
function value(scalarValue: Json, indent: string): string {
  if (scalarValue === null) return 'null';
  if (typeof scalarValue === 'boolean') return String(scalarValue);
  if (typeof scalarValue === 'number') return JSON.stringify(scalarValue);
  if (typeof scalarValue === 'string') return block(scalarValue, indent) ?? scalar(scalarValue);
  return '';
}

// The lines of a mapping or sequence at `indent`, appended to `lines`.
function emit(node: Json, indent: string, lines: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) {
      if (
        item !== null &&
        typeof item === 'object' &&
        !(Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0)
      ) {
        if (Array.isArray(item)) throw new Error('nested list');
        const inner: string[] = [];
        emit(item, `${indent}  `, inner);
        lines.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
      } else {
        const empty = Array.isArray(item) ? '[]' : item !== null && typeof item === 'object' ? '{}' : undefined;
        lines.push(`${indent}- ${empty ?? value(item, `${indent}  `)}`);
      }
    }
    return;
  }
  for (const [rawKey, item] of Object.entries(node as Record<string, Json>)) {
    const key = keyText(rawKey);
    if (item !== null && typeof item === 'object') {
      const empty = Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0;
      if (empty) lines.push(`${indent}${key}: ${Array.isArray(item) ? '[]' : '{}'}`);
      else {
        lines.push(`${indent}${key}:`);
        emit(item, `${indent}  `, lines);
      }
    } else {
      lines.push(`${indent}${key}: ${value(item, `${indent}  `)}`);
    }
  }
}

/**
 * YAML text of a mapping as the fast writer writes it, not read back: for a caller that checks what
 * it makes of the text itself. Undefined for a shape the fast writer does not take (a nested list).
 */
export function uncheckedYamlText(mapping: Record<string, Json>): string | undefined {
  try {
    const lines: string[] = [];
    emit(mapping, '', lines);
    return `${lines.join('\n')}\n`;
  } catch {
    return undefined;
  }
}

/** YAML text of a mapping, written fast where it can be verified, else by the `yaml` library. */
export function fastYamlText(mapping: Record<string, Json>): string {
  try {
    const lines: string[] = [];
    emit(mapping, '', lines);
    const text = `${lines.join('\n')}\n`;
    const back = parseFast(text);
    if (back !== undefined && sameJson(back, mapping)) {
      // Read back at once by most callers (a written file is checked): its tree is not made twice.
      keepParsed(text, back);
      return text;
    }
  } catch {
    // A shape the fast writer does not take (a nested list): the `yaml` library writes it.
  }
  return toYamlText(mapping);
}

// True when the two are the same JSON, key order included (stricter than equal canonical JSON, and
// without its sorting and text: the check that every fast-written file reads back as its value).
function sameJson(left: Json, right: Json): boolean {
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!sameJson(left[i]!, right[i]!)) return false;
    return true;
  }
  if (Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  for (let i = 0; i < leftKeys.length; i++) {
    const key = leftKeys[i]!;
    if (key !== rightKeys[i] || !sameJson(left[key]!, right[key]!)) return false;
  }
  return true;
}
