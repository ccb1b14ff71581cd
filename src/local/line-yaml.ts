import type { Json, JsonObject } from '../core/types.js';

/*
 * The fastest tier of the read path: a line-by-line reader for the narrowest shape of YAML, the
 * one dashsync itself writes (block mappings and sequences, `- key: value` items, plain, simply
 * quoted and `|` literal scalars). It runs only on texts that fast-yaml.ts has already found
 * plainly written, and gives up (undefined) at anything outside that shape, which then goes to
 * js-yaml, and every error to `yaml`. About five times faster than js-yaml on dashboard files.
 * test/unit/fast-yaml.test.ts compares it with `yaml` on thousands of generated documents.
 */

/** One content line: its indent, whether it is a `- ` item, its key and its value as written. */
interface Line {
  indent: number;
  /** Whether the line starts with `- ` (its content then stands two columns right of indent). */
  item: boolean;
  key: string | undefined;
  /** Text after `key:` or `- `, trimmed; '' when empty. */
  value: string;
  /** For `|` block scalars: the text's lines that belong to it. */
  block?: string[];
}

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

// A plain key as dashsync writes them (fast-yaml.ts has already refused keys that read as null,
// booleans or numbers), or a double-quoted key without escapes.
const KEY = /^(?:([A-Za-z_][\w.-]*)|"([^"\\]*)"):(?: |$)/;
// A plain value that cannot be read another way: no comment, no `: `, no quoting or flow start.
const PLAIN_VALUE = /^[^\s\-?:,[\]{}#&*!|>'"%@`](?:[^#:]|:(?=\S))*$|^[-?:][^\s,[\]{}#:](?:[^#:]|:(?=\S))*$/;

/**
 * The document when the text has the narrow shape above, else undefined. `resolvePlain` gives a
 * plain scalar's value (the core schema rules shared with the js-yaml tier).
 */
export function parseLines(text: string, resolvePlain: (plain: string) => Json): Json | undefined {
  if (text.includes('\r')) return undefined;
  try {
    const lines = tokenize(text);
    if (lines.length === 0) return undefined;
    const state = { at: 0, lines, resolvePlain };
    const value = parseNode(state, lines[0]!.indent);
    return state.at === lines.length ? value : undefined;
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

function tokenize(text: string): Line[] {
  const raw = text.split('\n');
  // The text's last line break ends its last line: it does not start another.
  const complete = text.endsWith('\n');
  if (complete) raw.pop();
  const out: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length) continue;
    if (line.charCodeAt(indent) === 35) continue; // a comment line
    let at = indent;
    let item = false;
    if (line.charCodeAt(at) === 45 && line.charCodeAt(at + 1) === 32) {
      item = true;
      at += 2;
      if (line.charCodeAt(at) === 32) giveUp();
    }
    const rest = line.slice(at);
    const keyMatch = KEY.exec(rest);
    const key = keyMatch ? (keyMatch[1] ?? keyMatch[2]!) : undefined;
    if (key === '__proto__' || key === '<<') giveUp();
    const value = (keyMatch ? rest.slice(keyMatch[0].length) : rest).trim();
    const entry: Line = { indent, item, key, value };
    if (value === '|' || value === '|-' || value === '|+') {
      // The block's lines: blank ones and those indented more than its parent (the key's column).
      const parent = item && key !== undefined ? indent + 2 : indent;
      const block: string[] = [];
      while (i + 1 < raw.length) {
        const next = raw[i + 1]!;
        let spaces = 0;
        while (next.charCodeAt(spaces) === 32) spaces++;
        if (spaces < next.length && spaces <= parent) break;
        block.push(next);
        i++;
      }
      // A block running to a text without a final line break ends differently: left to the others.
      if (i === raw.length - 1 && !complete) giveUp();
      entry.block = block;
    }
    out.push(entry);
  }
  return out;
}

// Where the parser is: the index of the next line to read, and the lines.
interface State {
  at: number;
  lines: Line[];
  resolvePlain: (plain: string) => Json;
}

// The node whose first line is the current one, at column `col` (a sequence's items may stand at
// the column of the key that holds them: `key:` then `- x`).
function parseNode(state: State, col: number): Json {
  const first = state.lines[state.at]!;
  if (first.indent !== col) giveUp();
  if (first.item) return parseSeq(state, col);
  if (first.key !== undefined) return parseMap(state, col, { firstIsItem: false });
  giveUp();
  return null;
}

function parseSeq(state: State, col: number): Json[] {
  const items: Json[] = [];
  while (state.at < state.lines.length) {
    const line = state.lines[state.at]!;
    if (line.indent !== col || !line.item) break;
    if (line.key !== undefined) {
      // `- key: value` starts a mapping at the column after `- `.
      items.push(parseMap(state, col + 2, { firstIsItem: true }));
    } else {
      state.at++;
      items.push(valueOf(state, line, col, 'item'));
    }
  }
  return items;
}

// `firstIsItem`: the map starts on a `- key: value` line, its first key two columns right of the dash.
function parseMap(state: State, col: number, { firstIsItem }: { firstIsItem: boolean }): JsonObject {
  const map: JsonObject = {};
  let first = true;
  while (state.at < state.lines.length) {
    const line = state.lines[state.at]!;
    const lineCol = first && firstIsItem ? line.indent + 2 : line.indent;
    if (!(first && firstIsItem) && (line.item || line.indent !== col)) break;
    if (lineCol !== col || line.key === undefined) giveUp();
    if (Object.prototype.hasOwnProperty.call(map, line.key!)) giveUp();
    state.at++;
    map[line.key!] = valueOf(state, line, col, 'key');
    first = false;
  }
  return map;
}

// The value of a `key:` or `- ` line: on the line itself, a block scalar, or the nested node on
// the next lines (for a key: more indented, or a sequence at the key's own column). `holder` says
// which the line is.
function valueOf(state: State, line: Line, col: number, holder: 'key' | 'item'): Json {
  // A `- |` item's lines must be indented past the dash (`- key: |`'s past the key's column).
  if (line.block) return literal(line.block, line.value, line.key === undefined ? col + 1 : col);
  if (line.value !== '') {
    const next = state.lines[state.at];
    if (next && next.indent > col && !(next.item && next.indent === col)) giveUp(); // a continuation line
    return scalar(line.value, state.resolvePlain);
  }
  const next = state.lines[state.at];
  if (!next) return null;
  if (next.indent > col) return parseNode(state, next.indent);
  if (holder === 'key' && next.indent === col && next.item) return parseSeq(state, col);
  return null;
}

function scalar(written: string, resolvePlain: (plain: string) => Json): Json {
  const firstChar = written.charCodeAt(0);
  if (firstChar === 34) {
    // Double-quoted, without escapes: its characters as they are.
    if (written.length < 2 || written.charCodeAt(written.length - 1) !== 34) giveUp();
    const inner = written.slice(1, -1);
    if (/["\\]/.test(inner)) giveUp();
    return own(inner);
  }
  if (firstChar === 39) {
    // Single-quoted: `''` stands for one quote, and no other quote may stand inside.
    if (written.length < 2 || written.charCodeAt(written.length - 1) !== 39) giveUp();
    const inner = written.slice(1, -1);
    if (!/^(?:[^']|'')*$/.test(inner)) giveUp();
    return own(inner.replace(/''/g, "'"));
  }
  if (!PLAIN_VALUE.test(written)) giveUp();
  const value = resolvePlain(written);
  return typeof value === 'string' ? own(value) : value;
}

/*
 * A copy of a string cut from the file's text that does not keep that text alive. V8 makes a cut
 * of 13 characters or more a view into the whole text, so one title kept for later (apply keeps
 * the definitions of new files until they are saved) would hold on to the whole file: 10,000 new
 * dashboards kept about 80 MB of file texts alive. Concatenation then a cut makes a string of its own.
 */
function own(cut: string): string {
  return cut.length >= 13 ? ` ${cut}`.slice(1) : cut;
}

// A `|` literal block scalar: its lines less the indent of the first non-blank one, then chomped.
function literal(block: string[], header: string, parentCol: number): string {
  let contentIndent = -1;
  for (const line of block) {
    let spaces = 0;
    while (line.charCodeAt(spaces) === 32) spaces++;
    if (spaces < line.length) {
      contentIndent = spaces;
      break;
    }
  }
  if (contentIndent <= parentCol) giveUp();
  const parts: string[] = [];
  for (const line of block) {
    let spaces = 0;
    while (line.charCodeAt(spaces) === 32) spaces++;
    if (spaces === line.length) {
      // A blank line; one with more spaces than the content's indent holds spaces: left to the others.
      if (spaces > contentIndent) giveUp();
      parts.push('');
      continue;
    }
    if (spaces < contentIndent) giveUp();
    parts.push(line.slice(contentIndent));
  }
  // Trailing blank lines are the chomping's to keep or drop.
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  const body = parts.slice(0, end).join('\n');
  const trailing = parts.length - end;
  if (header === '|-') return body;
  if (header === '|+') return body + '\n'.repeat(trailing + 1);
  return `${body}\n`;
}
