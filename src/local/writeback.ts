import { loadYaml } from '../util/lazy.js';
import type { Json } from '../core/types.js';
import { alignKeys, canonicalJson } from '../core/canonical.js';
import { writeFileAtomic } from './fsutil.js';
import type { Fence } from './fsutil.js';
import { mergeInto, parseYaml, toYamlText } from './yaml.js';
import { isPlainlyWritten, parseFast } from './fast-yaml.js';
import { readDashboardFileBytes } from './read-dashboard-file.js';
import { fastYamlText, scalar, uncheckedYamlText } from './emit.js';
import { keepUntouchedLines, mergeUntouchedLines } from './untouched-lines.js';

// An id is written exactly as pull writes it in a new file (one quoting rule for ids everywhere).
const scalarText = scalar;

// The fast edit: a plainly written file (see fast-yaml.ts) is edited as text and checked with the
// fast parser; undefined when that does not apply.
function setIdFast(text: string, id: string): string | undefined {
  // The commonest case, a plainly written file without an id: a line above the first top-level key
  // is certain to add exactly `id` (no parse needed).
  if (isPlainlyWritten(text) && !/^["']?id["']?[ ]*:/m.test(text) && !/\t|\r/.test(text)) {
    const first = /^(?![#\s-])[^\n]*?:(?:[ ]|$)/m.exec(text);
    const plainId = scalarText(id);
    if (first && !/^["'-]/.test(text.slice(first.index)) && plainId === id)
      return `${text.slice(0, first.index)}id: ${plainId}\n${text.slice(first.index)}`;
  }
  const before = parseFast(text);
  if (before === undefined || before === null || typeof before !== 'object' || Array.isArray(before)) return undefined;
  let out: string;
  if (!Object.prototype.hasOwnProperty.call(before, 'id')) {
    const first = /^(?![#\s-])[^\n]*?:(?:[ ]|$)/m.exec(text);
    if (!first) return undefined;
    out = `${text.slice(0, first.index)}id: ${scalarText(id)}\n${text.slice(first.index)}`;
  } else {
    const line = /^id:[ ]*(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^ #\n]+)?/m.exec(text);
    if (!line) return undefined;
    out = `${text.slice(0, line.index)}id: ${scalarText(id)}${text.slice(line.index + line[0].length)}`;
  }
  const after = parseFast(out);
  return after !== undefined && canonicalJson(after) === canonicalJson({ ...before, id }) ? out : undefined;
}

/**
 * `edit` applied to the text as if it had no byte-order mark and LF line endings, with the file's
 * own put back: its byte-order marks stay first, and a file whose every line ends in CRLF keeps CRLF (a file that
 * mixes them gets LF lines where it is edited, the others as they were).
 */
function keepingLayout(text: string, edit: (body: string) => string): string {
  // Every mark at the start is kept (a file may hold two: an editor added one to a file that had one).
  const bom = /^\uFEFF*/.exec(text)![0];
  const body = text.slice(bom.length);
  const crlf = body.includes('\r\n') && !/(?:^|[^\r])\n/.test(body);
  const edited = edit(crlf ? body.replace(/\r\n/g, '\n') : body);
  return bom + (crlf ? edited.replace(/\n/g, '\r\n') : edited);
}

/**
 * The text with `id: <id>` set and every other byte as it was: a new `id` line goes at the top of
 * the mapping, above the first key (below a byte-order mark, leading comments and a `---`), with
 * the same indentation; an existing id value is replaced where it stands; a BOM and CRLF line
 * endings stay. Falls back to a structural edit (still keeping comments, the id still first) when
 * the text is laid out in a way that cannot be edited by position, e.g. a flow mapping.
 */
export function setIdInText(text: string, id: string): string {
  return keepingLayout(text, (body) => setIdInBody(body, id));
}

// setIdInText on a text without BOM and with LF line endings.
function setIdInBody(text: string, id: string): string {
  const fast = setIdFast(text, id);
  if (fast !== undefined) return fast;
  const lines = new (loadYaml().LineCounter)();
  const doc = loadYaml().parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const before = parseYaml(text).value as Record<string, Json>;
  const want = canonicalJson({ ...before, id });
  let out: string | undefined;
  const map = doc.contents;
  if (loadYaml().isMap(map) && !map.flow) {
    const existing = map.items.find((pair) => loadYaml().isScalar(pair.key) && pair.key.value === 'id');
    if (existing && loadYaml().isScalar(existing.value) && existing.value.range) {
      const [start, end] = existing.value.range;
      out = text.slice(0, start) + scalarText(id) + text.slice(end);
    } else if (!existing) {
      const first = map.items[0];
      const start = loadYaml().isScalar(first?.key) ? first.key.range?.[0] : undefined;
      if (start !== undefined) {
        const { col } = lines.linePos(start);
        const lineStart = start - (col - 1);
        if (/^[ ]*$/.test(text.slice(lineStart, start))) {
          out = `${text.slice(0, lineStart)}${' '.repeat(col - 1)}id: ${scalarText(id)}\n${text.slice(lineStart)}`;
        }
      }
    }
  }
  if (out !== undefined) {
    try {
      if (canonicalJson(parseYaml(out).value) === want) return out;
    } catch {
      // fall through to the structural edit
    }
  }
  // The structural edit: the id's value replaced, or a first pair `id` added (never at the end).
  if (loadYaml().isMap(map)) {
    const pair = map.items.find((item) => loadYaml().isScalar(item.key) && item.key.value === 'id');
    if (pair) pair.value = doc.createNode(id) as typeof pair.value;
    else map.items.unshift(doc.createPair('id', id) as (typeof map.items)[number]);
  } else mergeInto(doc, { ...before, id });
  return toYamlText(doc);
}

/**
 * Writes a dashboard's id into its file, atomically, reading the file afresh so that an edit made
 * meanwhile is kept. Returns the file's new text and the text it was made from (which differs from
 * what was planned when the file was edited meanwhile), or undefined when the file is gone or no longer
 * parses (then nothing is written).
 */
export async function writeIdToFile(
  absPath: string,
  id: string,
  where: { fence: Fence; tmpDir?: string },
): Promise<{ text: string; previous: string } | undefined> {
  let text: string;
  try {
    // As every dashboard file is read (a regular file, its size capped); synchronously, as a
    // thousand small reads cost a tenth of their asynchronous form.
    text = readDashboardFileBytes(absPath).toString('utf8');
  } catch {
    return undefined;
  }
  let next: string;
  try {
    next = setIdInText(text, id);
  } catch {
    return undefined;
  }
  if (next !== text) await writeFileAtomic(absPath, next, { ...where, durable: true });
  return { text: next, previous: text };
}

/**
 * YAML text for a dashboard: when the file exists, its text with only what changed replaced (so
 * comments and the user's key order stay, and every key beside id, name and definition, such as an
 * app's `publish:`, which is the file's own and never the server's, is kept); else a new file with
 * keys id, name, definition.
 */
export function dashboardText(value: { id?: string; name: string; definition: Json }, existing?: string): string {
  if (existing !== undefined) return keepingLayout(existing, (body) => rewrittenText(value, body));
  return fastYamlText(fileMapping(value));
}

// dashboardText of an existing file, without BOM and with LF line endings.
function rewrittenText(value: { id?: string; name: string; definition: Json }, existing: string): string {
  const fast = rewrittenFast(value, existing);
  if (fast !== undefined) return fast;
  try {
    const doc = loadYaml().parseDocument(existing, { uniqueKeys: true });
    if (doc.errors.length === 0 && loadYaml().isMap(doc.contents)) {
      const before = toYamlText(loadYaml().parseDocument(existing, { uniqueKeys: true }));
      mergeInto(doc, withOwnKeys(doc.toJS() as Json, value));
      return keepUntouchedLines(existing, before, toYamlText(doc));
    }
  } catch {
    // a broken file is replaced whole
  }
  return fastYamlText(fileMapping(value));
}

// A file's mapping: its id first (when it has one), then name and definition.
// The file's mapping for `value`, keeping the keys of `current` (the file as it is) beside id, name
// and definition: an app's publish: and bookmark: are the file's own, never the server's.
function withOwnKeys(current: Json, value: { id?: string; name: string; definition: Json }): Record<string, Json> {
  const own =
    current !== null && typeof current === 'object' && !Array.isArray(current)
      ? Object.fromEntries(Object.entries(current).filter(([key]) => !['id', 'name', 'definition'].includes(key)))
      : {};
  return { ...own, ...fileMapping(value) };
}

function fileMapping(value: { id?: string; name: string; definition: Json }): Record<string, Json> {
  return value.id === undefined
    ? { name: value.name, definition: value.definition }
    : { id: value.id, name: value.name, definition: value.definition };
}

// The rewrite of a plainly written file (fast-yaml.ts) that has no comment line: the new value
// written by the fast writer in the file's key order, every line whose content did not change taken
// back as the file had it, and checked by reading it back. A parse of the yaml library's document
// costs about thirty times as much: a plan shows this text's diff for every update.
function rewrittenFast(value: { id?: string; name: string; definition: Json }, existing: string): string | undefined {
  if (/^\s*#/m.test(existing)) return undefined;
  const current = parseFast(existing);
  if (current === undefined || current === null || typeof current !== 'object' || Array.isArray(current))
    return undefined;
  const next = alignKeys(withOwnKeys(current, value), current) as Record<string, Json>;
  const before = uncheckedYamlText(current);
  const after = uncheckedYamlText(next);
  if (before === undefined || after === undefined) return undefined;
  // Only what is written is checked: it must read back as exactly the new value.
  const readsAsNext = (text: string): boolean => sameValue(parseFast(text) ?? (parseYaml(text).value as Json), next);
  return mergeUntouchedLines(existing, before, after, readsAsNext);
}

// The same JSON value, whatever the order of the keys (cheaper than comparing canonical texts).
function sameValue(left: Json, right: Json): boolean {
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, i) => sameValue(item, right[i]!));
  }
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && sameValue(left[key]!, right[key]!));
}
