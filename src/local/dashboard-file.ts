import { createHash } from 'node:crypto';
import { MAX_NESTING } from '../core/canonical.js';
import { idSegmentProblem } from '../api/routes.js';
import type { DashboardContent, Json, JsonObject, Problem } from '../core/types.js';
import { hasPlaceholders, render } from '../core/variables.js';
import type { Variables } from '../core/variables.js';
import type { FileReading } from './file-reading.js';
import { checkFileSchema, satisfiesFile } from './schema.js';
import { parseFast } from './fast-yaml.js';
import { tooLargeMessage } from './regular-file.js';
import { parseYaml, positionOf, YamlProblem } from './yaml.js';
import type { Pos } from './yaml.js';

/** Largest dashboard file read: far above any real dashboard, small enough to never hurt. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A dashboard file's content, or what is wrong with it. */
export type ReadResult =
  | {
      ok: true;
      content: DashboardContent & { id?: string };
      byteHash: string;
      idPos: Pos;
      /** The file's own text, when it holds placeholders. */
      template?: DashboardContent;
      /** The keys the file holds beside id, name and definition (its flavour's), as written. */
      keys: Record<string, Json>;
    }
  | { ok: false; problems: Problem[] };

/** Hash of a file's bytes. */
export function byteHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

// Line and column (in characters) of a byte offset.
function lineColAt(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (bytes[i] === 10) {
      line++;
      start = i + 1;
    }
  return { line, col: Buffer.from(bytes.subarray(start, offset)).toString('utf8').length + 1 };
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function invalidUtf8At(bytes: Uint8Array): number {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return -1;
  } catch {
    // Binary search the longest valid prefix; cut points inside a character are handled by stream mode.
    let validUpTo = 0;
    let invalidFrom = bytes.length;
    while (validUpTo < invalidFrom) {
      const mid = (validUpTo + invalidFrom + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        validUpTo = mid;
      } catch {
        invalidFrom = mid - 1;
      }
    }
    // The valid prefix may end in the first bytes of the broken character: point at its start.
    let end = validUpTo;
    while (end > 0 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
    if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, validUpTo));
      return validUpTo;
    } catch {
      return end;
    }
  }
}

/**
 * Decodes a text file's bytes, refusing binary and invalid UTF-8 with the position of the cause.
 * The byte-order mark, if any, is dropped.
 */
export function decodeText(
  bytes: Uint8Array,
  path: string,
): { ok: true; text: string } | { ok: false; problems: Problem[] } {
  if (bytes.length > MAX_FILE_BYTES)
    return {
      ok: false,
      problems: [
        {
          path,
          line: 1,
          col: 1,
          message: tooLargeMessage(bytes.length, { maxBytes: MAX_FILE_BYTES, kind: 'a dashboard file' }),
        },
      ],
    };
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    return {
      ok: false,
      problems: [{ path, ...lineColAt(bytes, nul), message: 'binary file (holds a NUL byte), not YAML' }],
    };
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) return { ok: false, problems: [{ path, ...lineColAt(bytes, bad), message: 'not valid UTF-8 text' }] };
  const text = Buffer.from(bytes).toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** The keys a file's flavour adds to the schema, and those it refuses (local/file-reading.ts). */
export type FileKeysOf = Pick<FileReading, 'keys' | 'refused'>;

const NO_KEYS: FileKeysOf = { keys: {}, refused: {} };

/**
 * Parses and validates one dashboard file's bytes against schemas/dashboard.schema.json (with the
 * keys its flavour adds, `keysOf`), and renders its `${{ var.NAME }}` placeholders with `variables`
 * (an undefined one is a problem). A valid file takes the fast parser when it can be trusted (see
 * fast-yaml.ts); every problem is reported by the exact parser, with its line and column.
 */
export function readDashboardBytes(
  bytes: Uint8Array,
  path: string,
  variables: Variables = {},
  keysOf: FileKeysOf = NO_KEYS,
): ReadResult {
  const decoded = decodeText(bytes, path);
  if (!decoded.ok) return decoded;
  const fast = parseFast(decoded.text);
  if (fast !== undefined && fast !== null && satisfiesFile(fast, keysOf.keys) && isJsonTree(fast)) {
    const read = interpret(fast as unknown as FileValue, variables, bytes);
    // An id that is not a path segment is the exact reader's to place.
    if (read && (read.content.id === undefined || !idSegmentProblem(read.content.id)))
      return { ...read, idPos: topKeyLine(decoded.text, read.content.id !== undefined ? 'id' : 'name') };
  }
  return readExactly(decoded.text, bytes, path, variables, keysOf);
}

// A dashboard file's value once it satisfies the schema (the other keys are its flavour's).
type FileValue = { id?: string; name: string; definition: JsonObject; [key: string]: Json | undefined };

// The keys of a valid file beside id, name and definition.
function otherKeys(file: FileValue): Record<string, Json> {
  const { id: _id, name: _name, definition: _definition, ...others } = file;
  void _id;
  void _name;
  void _definition;
  return others as Record<string, Json>;
}

// The content of a valid file value, rendered; undefined when a variable is missing.
function interpret(
  file: FileValue,
  variables: Variables,
  bytes: Uint8Array,
): Omit<Extract<ReadResult, { ok: true }>, 'idPos'> | undefined {
  const id = file.id !== undefined ? { id: file.id } : {};
  const keys = otherKeys(file);
  if (!hasPlaceholders(file.name) && !hasPlaceholders(file.definition))
    return {
      ok: true,
      content: { ...id, name: file.name, definition: file.definition },
      byteHash: byteHash(bytes),
      keys,
    };
  const name = render(file.name, variables, ['name']);
  const definition = render(file.definition, variables, ['definition'], name.missing);
  if (definition.missing.length || typeof name.value !== 'string' || name.value === '') return undefined;
  return {
    ok: true,
    content: { ...id, name: name.value, definition: definition.value as JsonObject },
    template: { name: file.name, definition: file.definition },
    byteHash: byteHash(bytes),
    keys,
  };
}

// Line of a top-level key, found in the text (the fast parsers keep no positions).
function topKeyLine(text: string, key: string): Pos {
  const match = new RegExp(`^${key}\\s*:`, 'm').exec(text);
  return { line: match ? text.slice(0, match.index).split('\n').length : 1, col: 1 };
}

/**
 * True when every number is finite (JSON has no infinity or NaN, which YAML's .inf and .nan are)
 * and no integer is past 2^53 - 1 (it may have lost digits), and nothing nests too deeply: what a
 * fast parser's value must be to be taken (else the exact parser says which it was, and where).
 */
export function isJsonTree(value: Json, depth = 1): boolean {
  // Deeper than any file may nest (counted as the exact reader counts): it refuses it, with the one message for it.
  if (depth > MAX_NESTING) return false;
  if (typeof value === 'number')
    return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
  if (value === null || typeof value !== 'object') return true;
  return (Array.isArray(value) ? value : Object.values(value)).every((item) => isJsonTree(item, depth + 1));
}

// The exact parser's reading: every problem with its line and column (and a valid file the fast
// parsers would not take).
function readExactly(
  text: string,
  bytes: Uint8Array,
  path: string,
  variables: Variables,
  keysOf: FileKeysOf,
): ReadResult {
  let parsed;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    if (e instanceof YamlProblem) return { ok: false, problems: [{ path, ...e.pos, message: e.message }] };
    throw e;
  }
  if (parsed.value === null)
    return {
      ok: false,
      problems: [{ path, line: 1, col: 1, message: 'empty file: a dashboard needs name and definition' }],
    };
  const problems = checkFileSchema(parsed, keysOf.keys, keysOf.refused);
  if (problems.length)
    return { ok: false, problems: problems.map((problem) => ({ path, ...problem.pos, message: problem.message })) };
  const file = parsed.value as FileValue;
  const badId = file.id !== undefined ? idSegmentProblem(file.id) : undefined;
  if (badId) return { ok: false, problems: [{ path, ...positionOf(parsed, ['id'], { ofKey: true }), message: badId }] };
  const idPos = positionOf(parsed, file.id !== undefined ? ['id'] : ['name']);
  const read = interpret(file, variables, bytes);
  if (read) return { ...read, idPos };
  const name = render(file.name, variables, ['name']);
  const definition = render(file.definition, variables, ['definition'], name.missing);
  if (definition.missing.length) {
    const hint = Object.keys(variables).length ? '' : ' (no variables: in dashsync.yaml)';
    return {
      ok: false,
      problems: definition.missing.map((missing) => ({
        path,
        ...positionOf(parsed, missing.path),
        message: `variable "${missing.name}" is not defined${hint} for this environment`,
      })),
    };
  }
  return {
    ok: false,
    problems: [{ path, ...positionOf(parsed, ['name']), message: '"name" must render to a non-empty string' }],
  };
}
