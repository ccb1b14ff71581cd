import { readFileSync } from 'node:fs';
import type { Json, Problem } from '../core/types.js';
import { FileError, UsageError } from '../errors.js';
import { decodeText } from './dashboard-file.js';
import { parseYaml, positionOf, YamlProblem } from './yaml.js';
import type { ParsedYaml } from './yaml.js';

/*
 * Reading a file of the platform's own formats (the catalog's `<AppName>.json`, a px `*.app.yaml`)
 * with the positions of what is in it, so that every refusal names file:line:col.
 */

/** A platform file's value, and the place of a path into it in the file's text. */
export interface PlatformFile {
  value: Json;
  /** Line and column of `path` in the file (1:1 when the text cannot tell). */
  at(path: ReadonlyArray<string | number>): { line: number; col: number };
}

/** Line and column (1-based) of a character offset into `text`. */
function lineColOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines.at(-1)!.length + 1 };
}

// The file's text, or why it has none (missing, a folder, not UTF-8, too large).
function textOf(abs: string, shown: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : String(code ?? e);
    throw new UsageError(`${shown}: ${why}`);
  }
  const decoded = decodeText(bytes, shown);
  if (!decoded.ok) throw new FileError(decoded.problems);
  return decoded.text;
}

// The positions of a parsed text; where the text cannot be parsed for them, 1:1.
function positions(text: string): PlatformFile['at'] {
  let parsed: ParsedYaml | undefined;
  try {
    parsed = parseYaml(text);
  } catch {
    parsed = undefined;
  }
  return (path) => (parsed ? positionOf(parsed, path) : { line: 1, col: 1 });
}

/** Reads a JSON file (the catalog's export); not JSON is a FileError at the line and column JSON.parse names. */
export function readJsonFile(abs: string, shown: string): PlatformFile {
  const text = textOf(abs, shown);
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = /at position (\d+)/.exec(message);
    const at = offset ? lineColOf(text, Number(offset[1])) : lineColOf(text, text.length);
    const why = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new FileError([{ path: shown, ...at, message: `not JSON: ${why}` }]);
  }
  return { value, at: positions(text) };
}

/** Reads a YAML file (a px app file); a YAML error is a FileError at its line and column. */
export function readYamlFile(abs: string, shown: string): PlatformFile {
  const text = textOf(abs, shown);
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    if (e instanceof YamlProblem) throw new FileError([{ path: shown, ...e.pos, message: e.message }]);
    throw e;
  }
  return { value: parsed.value, at: (path) => positionOf(parsed, path) };
}

/** A problem at `path` in a platform file. */
export function problemAt(
  file: PlatformFile,
  shown: string,
  path: ReadonlyArray<string | number>,
  message: string,
): Problem {
  return { path: shown, ...file.at(path), message };
}
