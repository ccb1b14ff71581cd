import type jsyaml from 'js-yaml';
import { loadJsYaml } from '../util/lazy.js';
import type { Json } from '../core/types.js';
import { parseLines } from './line-yaml.js';

/*
 * The read path's fast parser. `yaml` (the library that writes our files and reports exact
 * positions) parses about 3 MB/s here; js-yaml about 25 MB/s. js-yaml is used only where it is
 * certain to give exactly what `yaml` gives, and `yaml` everywhere else:
 *
 * - plain scalars resolve through a schema that copies `yaml`'s YAML 1.2 core schema rule for
 *   rule (same patterns, same order, same conversions), so `0b1`, `1_000` or `+.5e1` mean the same;
 * - any text with a tag, an anchor or alias, a directive, an explicit key or a second document is
 *   left to `yaml` (aliases would also defeat the alias-bomb limit);
 * - any error (duplicate key, bad indentation...) is left to `yaml`, which reports it with its
 *   line and column.
 *
 * test/unit/fast-yaml.test.ts checks the two against each other on thousands of generated documents.
 */

// yaml's core schema rules for plain scalars, in its order: the first that matches gives the value.
const CORE_RULES: ReadonlyArray<readonly [RegExp, (plain: string) => unknown]> = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (plain) => plain[0] === 't' || plain[0] === 'T'],
  [/^0o[0-7]+$/, (plain) => parseInt(plain.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (plain) => parseInt(plain, 10)],
  [/^0x[0-9a-fA-F]+$/, (plain) => parseInt(plain.substring(2), 16)],
  [
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (plain) => (plain.slice(-3).toLowerCase() === 'nan' ? NaN : plain[0] === '-' ? -Infinity : Infinity),
  ],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (plain) => parseFloat(plain)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (plain) => parseFloat(plain)],
];

// Whether a plain scalar starting with this character code can match a rule above: `~`, n N t T
// f F, digits, `+`, `-`, `.`. Any other plain scalar is a string, known without trying the rules.
function mayResolve(charCode: number): boolean {
  return (
    (charCode >= 48 && charCode <= 57) ||
    charCode === 126 ||
    charCode === 110 ||
    charCode === 78 ||
    charCode === 116 ||
    charCode === 84 ||
    charCode === 102 ||
    charCode === 70 ||
    charCode === 43 ||
    charCode === 45 ||
    charCode === 46
  );
}

// The one rule of CORE_RULES that gives this plain scalar its value, or undefined for a string.
function coreRuleOf(plain: string): (typeof CORE_RULES)[number] | undefined {
  if (plain.length > 0 && !mayResolve(plain.charCodeAt(0))) return undefined;
  for (const rule of CORE_RULES) if (rule[0].test(plain)) return rule;
  return undefined;
}

// All rules as one js-yaml type: js-yaml tries each implicit type on every plain scalar (keys
// included), and one cheap check instead of eight function calls saves a tenth of the parse time.
// js-yaml calls construct right after a resolve that said yes: the rule found is kept for it.
let resolved: (typeof CORE_RULES)[number] | undefined;
let core: jsyaml.Schema | undefined;
const coreSchema = (): jsyaml.Schema =>
  (core ??= loadJsYaml().FAILSAFE_SCHEMA.extend({
    implicit: [
      new (loadJsYaml().Type)('tag:dashsync/core-scalar', {
        kind: 'scalar',
        resolve: (plain: unknown) => typeof plain === 'string' && (resolved = coreRuleOf(plain)) !== undefined,
        construct: (plain: string) => (resolved?.[0].test(plain) ? resolved : coreRuleOf(plain))![1](plain),
      }),
    ],
  }));

/** A plain scalar's value under yaml's core schema rules (the line reader's resolver). */
export function resolvePlain(plain: string): Json {
  const rule = coreRuleOf(plain);
  return rule ? (rule[1](plain) as Json) : plain;
}

// Constructs whose meaning the two parsers might not share: tags, anchors, aliases, directives,
// explicit keys, document markers, tabs. Conservative: a match inside a string only costs speed.
const RISKY = /(?:^|[\s[{,])[!&*]\S|^%|^\s*\?(?:\s|$)|^(?:---|\.\.\.)(?:\s|$)|\t/m;
// RISKY tested at every offset is slow; a text with none of these characters can match it only
// by a document marker, so the full pattern runs only on texts that have one. True when the text
// may hold a construct the fast parsers must leave to the exact one.
const RISKY_CHARS = /[!&*%?\t]/;
const DOC_MARKER = /^(?:---|\.\.\.)(?:\s|$)/m;
const MAY_MERGE = /<<\s*:/;
/** True when the text may hold a construct (tag, anchor, directive...) the fast parsers leave alone. */
export const isRisky = (text: string): boolean => (RISKY_CHARS.test(text) ? RISKY.test(text) : DOC_MARKER.test(text));

// The line shapes of a plainly written file: `key: value`, `- value`, `- key: value`, comments,
// blank lines, and the lines of `|` / `>` block scalars. Anything else (a quoted or plain scalar
// running over several lines, nested flow collections, `- - x`) goes to the exact parser.
const FIRST = String.raw`(?:[^\s\-?:,\[\]{}#&*!|>'"%@` + '`' + String.raw`]|[-?:](?=[^\s,\[\]{}]))`;
// Plain scalars: in block context `,[]{}` may follow the first character; in flow context never.
const PLAIN_BLOCK = String.raw`${FIRST}(?:[^:#]|:(?=\S)|(?<=\S)#)*?`;
const PLAIN_FLOW = String.raw`${FIRST}(?:[^:#,\[\]{}]|:(?=[^\s,\[\]{}])|(?<=\S)#)*?`;
const QUOTED = String.raw`(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')`;
const FLOW_SCALAR = `(?:${QUOTED}|${PLAIN_FLOW})`;
// One-line flow collections of scalars: `[a, b]` and `{a: 1, b: 2}`.
const FLOW_SEQUENCE = String.raw`\[\s*(?:${FLOW_SCALAR}\s*(?:,\s*${FLOW_SCALAR}\s*)*)?\]`;
const FLOW_PAIR = String.raw`${FLOW_SCALAR}\s*:\s+${FLOW_SCALAR}`;
const FLOW_MAPPING = String.raw`\{\s*(?:${FLOW_PAIR}\s*(?:,\s*${FLOW_PAIR}\s*)*)?\}`;
const FLOW = `(?:${FLOW_SEQUENCE}|${FLOW_MAPPING})`;
const VALUE = String.raw`(?:${QUOTED}|${FLOW}|${PLAIN_BLOCK}|[|>][-+]?)?`;
const TAIL = String.raw`\s*(?:\s#.*)?$`;
const KEY_LINE = new RegExp(String.raw`^( *)(?:- )?(${QUOTED}|${PLAIN_FLOW}):(?: +(${VALUE}))?${TAIL}`);
const ITEM_LINE = new RegExp(String.raw`^( *)- +(${VALUE})${TAIL}`);
// A plain key that reads as null, a boolean or a number becomes a string differently in each parser.
const NON_STRING_KEY =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9.][0-9a-fA-FxXoO_.eE+-]*|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)?$/;
const BLANK_OR_COMMENT = /^\s*(?:#.*)?$/;
// The commonest line by far, checked first and cheaply: `key: word...` with nothing special in it.
const SIMPLE_LINE = /^ *(?:- )?([A-Za-z_][\w.-]*):(?: [A-Za-z0-9_(/$.][^#:'"\n]*)?$/;

// Number of spaces the line starts with.
function leadingSpaces(line: string): number {
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  return spaces;
}

/** True when every line of the text has one of the plain shapes above. */
export function isPlainlyWritten(text: string): boolean {
  let blockIndent = -1; // inside a block scalar: its lines are indented more than this
  for (const line of text.split('\n')) {
    if (blockIndent >= 0) {
      const spaces = leadingSpaces(line);
      if (spaces > blockIndent || spaces === line.length || /^\s*$/.test(line)) continue;
      blockIndent = -1;
    }
    const last = line.charCodeAt(line.length - 1);
    const simple = last !== 32 && last !== 9 ? SIMPLE_LINE.exec(line) : null;
    if (simple && !NON_STRING_KEY.test(simple[1]!)) continue;
    if (BLANK_OR_COMMENT.test(line)) continue;
    const keyLine = KEY_LINE.exec(line);
    const itemLine = keyLine ? undefined : ITEM_LINE.exec(line);
    const match = keyLine ?? itemLine;
    if (!match) return false;
    if (keyLine && !/^["']/.test(keyLine[2]!) && NON_STRING_KEY.test(keyLine[2]!)) return false;
    const value = (keyLine ? keyLine[3] : itemLine![2]) ?? '';
    if (/^[|>]/.test(value))
      blockIndent = keyLine ? keyLine[1]!.length + (line.trimStart().startsWith('- ') ? 2 : 0) : match[1]!.length;
  }
  return true;
}

/*
 * The tree of the last text a writer made and checked (emit.ts, fastYamlText), handed to the next
 * parseFast of that same text instead of parsing it again: a file is read back as soon as it is
 * written (pull writes nothing dashsync would not read), and a pull of 1,000 dashboards parsed each
 * text twice. Handed over once and then forgotten, so no two callers ever hold the same tree.
 */
let checked: { text: string; tree: Json } | undefined;

/** Keeps `tree`, which parseFast gave for `text`, for the next parseFast of that text. */
export function keepParsed(text: string, tree: Json): void {
  checked = { text, tree };
}

/**
 * The document as JSON when the fast parser can be trusted with this text; undefined to say "ask
 * the exact parser" (also for every error).
 */
export function parseFast(text: string): Json | undefined {
  const kept = checked;
  checked = undefined;
  if (kept !== undefined && kept.text === text) return kept.tree;
  // A text that may hold a merge key (`<<:`) is the exact parser's, which refuses merge keys.
  if (isRisky(text) || MAY_MERGE.test(text) || !isPlainlyWritten(text)) return undefined;
  const byLines = parseLines(text, resolvePlain);
  if (byLines !== undefined) return byLines;
  let value: unknown;
  try {
    value = loadJsYaml().load(text, { schema: coreSchema(), json: false });
  } catch {
    return undefined;
  }
  return value === undefined ? null : isPlainTree(value) ? (value as Json) : undefined;
}

// True for a tree of plain objects, arrays and scalars in which no object appears twice.
function isPlainTree(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) stack.push(...node);
    else if (Object.getPrototypeOf(node) === Object.prototype) stack.push(...Object.values(node));
    else return false;
  }
  return true;
}
