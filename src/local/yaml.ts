import type { Document, LineCounter, Node as YamlNode, YAMLMap, YAMLSeq } from 'yaml';
import { loadYaml } from '../util/lazy.js';
import type { Json } from '../core/types.js';
import { MAX_NESTING } from '../core/canonical.js';
import { nodeProblem } from './yaml-checks.js';

/** A position in a text file, 1-based. */
export interface Pos {
  line: number;
  col: number;
}

/** A problem found while reading YAML, with its position. */
export class YamlProblem extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
  ) {
    super(message);
  }
}

/** A parsed YAML text, with what is needed to point at a place in it. */
export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  value: Json;
}

const MAX_ALIASES = 100;
const MAX_DEPTH = MAX_NESTING;
const TOO_DEEP = `nesting deeper than ${MAX_DEPTH} levels`;
const STACK_OVERFLOW = /maximum call stack size exceeded/i;

/**
 * Parses one YAML document into plain JSON. Rejects what JSON cannot hold (NaN, infinities, tags
 * it does not know) and anything that is not exactly one document, with the position of the cause.
 */
export function parseYaml(text: string): ParsedYaml {
  const lines = new (loadYaml().LineCounter)();
  let doc: Document.Parsed;
  try {
    doc = loadYaml().parseDocument(text, {
      lineCounter: lines,
      uniqueKeys: true,
      prettyErrors: false,
      schema: 'core',
      strict: true,
      stringKeys: false,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new YamlProblem(TOO_DEEP, { line: 1, col: 1 });
    throw e;
  }
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    // The parser is recursive: thousands of nested brackets overflow its stack before our own
    // depth check can run. That is the only way a file up to its size limit can, so it is said so.
    const message = STACK_OVERFLOW.test(first.message) ? TOO_DEEP : cleanYamlMessage(first.message, text, first.pos[0]);
    throw new YamlProblem(message, { line, col });
  }
  if (depthOf(doc.contents) > MAX_DEPTH) throw new YamlProblem(TOO_DEEP, { line: 1, col: 1 });
  const keyOrNumber = nodeProblem(doc);
  if (keyOrNumber) throw new YamlProblem(keyOrNumber.message, lines.linePos(keyOrNumber.offset));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new YamlProblem(e instanceof Error ? cleanYamlMessage(e.message, text, 0) : 'cannot read YAML', {
      line: 1,
      col: 1,
    });
  }
  const bad = findNonJson(value);
  if (bad) throw new YamlProblem(bad.message, positionOf({ doc, lines }, bad.path));
  return { doc, lines, value: (value ?? null) as Json };
}

// How deeply the document nests (stopping once past MAX_DEPTH): a walk without recursion, so that
// a hostile file cannot overflow the stack before it is refused.
function depthOf(root: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > max) max = depth;
    if (depth > MAX_DEPTH) return depth;
    if (loadYaml().isMap(node) || loadYaml().isSeq(node))
      for (const item of node.items)
        stack.push([loadYaml().isMap(node) ? (item as { value: unknown }).value : item, depth + 1]);
  }
  return max;
}

// The library's message without its own position (dashsync shows path:line:col in front).
function cleanYamlMessage(message: string, text: string, offset: number): string {
  const first = message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
  // The parser's words where they name its own API or leave out what they are about.
  if (first.startsWith('Map keys must be unique')) {
    const key = /^\s*("[^"\n]*"|'[^'\n]*'|[^:#\n]+?)\s*:/.exec(
      text.slice(offset, text.indexOf('\n', offset) + 1 || undefined),
    );
    return key
      ? `the key ${key[1]!.startsWith('"') || key[1]!.startsWith("'") ? key[1] : `"${key[1]}"`} appears twice in this mapping`
      : 'a key appears twice in this mapping';
  }
  if (first.startsWith('Source contains multiple documents'))
    return 'more than one YAML document (a line --- starts another): a file holds one';
  return first;
}

// The first value that JSON cannot hold (a date, infinity, a set, an alias used inside its own
// anchor...), with where it is. A walk without recursion: aliases can make the value far deeper
// than the text, and a recursive alias makes it endless.
function findNonJson(root: unknown): { message: string; path: Array<string | number> } | undefined {
  const onPath = new Set<object>();
  const stack: Array<{ value: unknown; path: Array<string | number>; leave?: object }> = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path, leave } = stack.pop()!;
    if (leave) {
      onPath.delete(leave);
      continue;
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { message: `${value} is not a JSON number`, path };
      continue;
    }
    const entries: Array<[string | number, unknown]> | undefined = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
        ? Object.entries(value)
        : undefined;
    if (!entries) {
      const type = typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;
      return { message: `a value of type ${type} cannot be stored in a dashboard`, path };
    }
    if (onPath.has(value as object))
      return { message: 'an alias inside its own anchor (a value holding itself) cannot be stored in JSON', path };
    onPath.add(value as object);
    stack.push({ value: undefined, path, leave: value as object });
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
  }
  return undefined;
}

/**
 * Position of the node at `path` (keys and indexes), or of its nearest existing parent. With
 * `ofKey`, of the key itself rather than its value: a message about a key that should not be there
 * points at that key.
 */
export function positionOf(
  parsed: { doc: Document.Parsed; lines: LineCounter },
  path: ReadonlyArray<string | number>,
  { ofKey = false }: { ofKey?: boolean } = {},
): Pos {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth);
    let node: unknown;
    if (ofKey && depth === path.length && depth > 0) {
      const parent = sub.length > 1 ? parsed.doc.getIn(sub.slice(0, -1), true) : parsed.doc.contents;
      if (loadYaml().isMap(parent))
        node = parent.items.find(
          (pair) => loadYaml().isScalar(pair.key) && String(pair.key.value) === String(sub[sub.length - 1]),
        )?.key;
    } else {
      node = sub.length === 0 ? parsed.doc.contents : parsed.doc.getIn(sub, true);
    }
    const range = (node as YamlNode | undefined)?.range;
    if (range) {
      const { line, col } = parsed.lines.linePos(range[0]);
      return { line, col };
    }
  }
  return { line: 1, col: 1 };
}

const YAML11_LOOKALIKE =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?|=|<<)$/;

/**
 * YAML text of a value, written so that every YAML reader gives back the same JSON: strings that
 * YAML 1.1 readers would take for booleans, dates or numbers are quoted, multi-line strings become
 * block scalars (diffs then go line by line), and long lines are never folded.
 */
export function toYamlText(value: Json | Document): string {
  const doc = loadYaml().isDocument(value) ? value : new (loadYaml().Document)(value);
  quoteLookalikes(doc);
  return doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true, blockQuote: 'literal' });
}

function quoteLookalikes(doc: Document): void {
  loadYaml().visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_LOOKALIKE.test(node.value))
        node.type = loadYaml().Scalar.QUOTE_DOUBLE;
      else if (
        typeof node.value === 'string' &&
        node.type === loadYaml().Scalar.BLOCK_LITERAL &&
        !safeAsBlock(node.value)
      )
        node.type = loadYaml().Scalar.QUOTE_DOUBLE;
    },
  });
}

// A block scalar cannot keep trailing spaces on its last line or some control characters exactly.
function safeAsBlock(text: string): boolean {
  return !/[ \t]$/.test(text) && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text);
}

/**
 * Changes the document's contents to `next` in place, keeping the nodes (and so the comments, key
 * order and quoting) of everything that did not change. New keys go after the existing ones.
 */
export function mergeInto(doc: Document, next: Json): void {
  doc.contents = mergeNode(doc, doc.contents as YamlNode | null, next) as typeof doc.contents;
}

function mergeNode(doc: Document, node: YamlNode | null, next: Json): YamlNode {
  if (next !== null && typeof next === 'object' && !Array.isArray(next) && loadYaml().isMap(node)) {
    const map = node as YAMLMap;
    map.items = map.items.filter(
      (pair) => loadYaml().isScalar(pair.key) && Object.prototype.hasOwnProperty.call(next, String(pair.key.value)),
    );
    for (const [key, value] of Object.entries(next)) {
      const pair = map.items.find((item) => loadYaml().isScalar(item.key) && String(item.key.value) === key);
      if (pair) pair.value = mergeNode(doc, pair.value as YamlNode | null, value);
      else map.items.push(doc.createPair(key, value) as (typeof map.items)[number]);
    }
    return map;
  }
  if (Array.isArray(next) && loadYaml().isSeq(node)) {
    const seq = node as YAMLSeq;
    seq.items = next.map((item, i) => mergeNode(doc, (seq.items[i] as YamlNode | undefined) ?? null, item));
    return seq;
  }
  if (
    loadYaml().isScalar(node) &&
    node.value === next &&
    (typeof next !== 'string' || node.type !== loadYaml().Scalar.PLAIN || !YAML11_LOOKALIKE.test(next))
  )
    return node;
  return doc.createNode(next) as YamlNode;
}
