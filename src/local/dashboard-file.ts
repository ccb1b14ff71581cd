import { createHash } from 'node:crypto';
import type { DashboardContent, Json, JsonObject, Problem } from '../core/types.js';
import { hasPlaceholders, render } from '../core/variables.js';
import type { Variables } from '../core/variables.js';
import { checkSchema, satisfies } from './schema.js';
import { parseFast } from './fast-yaml.js';
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
      /** the file's own text, when it holds placeholders */ template?: DashboardContent;
    }
  | { ok: false; problems: Problem[] };

/** Hash of a file's bytes. */
export function byteHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

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
  const dec = new TextDecoder('utf-8', { fatal: true });
  try {
    dec.decode(bytes);
    return -1;
  } catch {
    // Binary search the longest valid prefix; cut points inside a character are handled by stream mode.
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    // The valid prefix may end in the first bytes of the broken character: point at its start.
    let end = lo;
    while (end > 0 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
    if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, lo));
      return lo;
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
          message: `file is ${(bytes.length / 1048576).toFixed(1)} MB, more than the ${MAX_FILE_BYTES / 1048576} MB a dashboard file may be`,
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

/**
 * Parses and validates one dashboard file's bytes against schemas/dashboard.schema.json, and
 * renders its `${{ var.NAME }}` placeholders with `variables` (an undefined one is a problem).
 * A valid file takes the fast parser when it can be trusted (see fast-yaml.ts); every problem is
 * reported by the exact parser, with its line and column.
 */
export function readDashboardBytes(bytes: Uint8Array, path: string, variables: Variables = {}): ReadResult {
  const decoded = decodeText(bytes, path);
  if (!decoded.ok) return decoded;
  const fast = parseFast(decoded.text);
  if (fast !== undefined && fast !== null && satisfies('dashboard', fast) && isJsonTree(fast)) {
    const r = interpret(fast as unknown as FileValue, variables, bytes);
    if (r) return { ...r, idPos: topKeyLine(decoded.text, r.content.id !== undefined ? 'id' : 'name') };
  }
  return readExactly(decoded.text, bytes, path, variables);
}

type FileValue = { id?: string; name: string; definition: JsonObject };

// The content of a valid file value, rendered; undefined when a variable is missing.
function interpret(
  v: FileValue,
  variables: Variables,
  bytes: Uint8Array,
): Omit<Extract<ReadResult, { ok: true }>, 'idPos'> | undefined {
  const id = v.id !== undefined ? { id: v.id } : {};
  if (!hasPlaceholders(v.name) && !hasPlaceholders(v.definition))
    return { ok: true, content: { ...id, name: v.name, definition: v.definition }, byteHash: byteHash(bytes) };
  const name = render(v.name, variables, ['name']);
  const definition = render(v.definition, variables, ['definition'], name.missing);
  if (definition.missing.length || typeof name.value !== 'string' || name.value === '') return undefined;
  return {
    ok: true,
    content: { ...id, name: name.value, definition: definition.value as JsonObject },
    template: { name: v.name, definition: v.definition },
    byteHash: byteHash(bytes),
  };
}

function topKeyLine(text: string, key: string): Pos {
  const m = new RegExp(`^${key}\\s*:`, 'm').exec(text);
  return { line: m ? text.slice(0, m.index).split('\n').length : 1, col: 1 };
}

function isJsonTree(v: Json): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object') return true;
  return (Array.isArray(v) ? v : Object.values(v)).every(isJsonTree);
}

function readExactly(text: string, bytes: Uint8Array, path: string, variables: Variables): ReadResult {
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
  const problems = checkSchema('dashboard', parsed);
  if (problems.length) return { ok: false, problems: problems.map((p) => ({ path, ...p.pos, message: p.message })) };
  const v = parsed.value as FileValue;
  const idPos = positionOf(parsed, v.id !== undefined ? ['id'] : ['name']);
  const r = interpret(v, variables, bytes);
  if (r) return { ...r, idPos };
  const name = render(v.name, variables, ['name']);
  const definition = render(v.definition, variables, ['definition'], name.missing);
  if (definition.missing.length) {
    return {
      ok: false,
      problems: definition.missing.map((m) => ({
        path,
        ...positionOf(parsed, m.path),
        message: `variable "${m.name}" is not defined${Object.keys(variables).length ? '' : ' (no variables: in dashsync.yaml)'} for this environment`,
      })),
    };
  }
  return {
    ok: false,
    problems: [{ path, ...positionOf(parsed, ['name']), message: '"name" must render to a non-empty string' }],
  };
}
