import { loadDiff } from '../util/lazy.js';
import { setOwn } from './canonical.js';
import type { Json, JsonObject } from './types.js';
import { escapeLiterals, PLACEHOLDER, render, valueOf } from './variables.js';
import type { Variables } from './variables.js';

/*
 * What pull writes into a file that uses `${{ var.NAME }}` placeholders: the workspace holds the
 * rendered values, the file must keep its placeholders wherever the rendered value still stands,
 * or the next apply to another environment deploys this environment's value there.
 */

/** A variable's value that pull writes into a file as plain text, where no placeholder stands. */
export interface LiteralValue {
  /** Where, in the file's content: `['definition', 'widgets', 0, 'query']`. */
  at: Array<string | number>;
  variable: string;
}

/** Content as a file holds it, and the variables' values written into it literally. */
export interface FileContent {
  value: Json;
  literals: LiteralValue[];
}

// Values this short (or not text) are found everywhere by chance: "on", "1", "true".
const NOTEWORTHY = 3;

/**
 * What to write back to a file whose content is `template` (placeholders unrendered) when the
 * server holds `remote`: every part whose rendering equals the server's value keeps the file's text;
 * inside a string that changed, each placeholder keeps its place where its value still stands
 * unchanged (`FROM ${{ var.ds }}.orders` edited to `FROM <ds>.orders2` keeps `${{ var.ds }}`);
 * the rest takes the server's value, escaped (see escapeLiterals). Where a variable's value lands in
 * that rest, it is listed, so pull can warn: the file would hold one environment's value for all.
 */
export function unrender(
  template: Json | undefined,
  remote: Json,
  vars: Variables,
  at: LiteralValue['at'] = [],
): FileContent {
  const literals: LiteralValue[] = [];
  // Only values long enough to mean something are looked for (and, without any, nothing is walked).
  const noteworthy = Object.entries(vars).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length >= NOTEWORTHY,
  );
  const walk = (file: Json | undefined, server: Json, path: LiteralValue['at']): Json => {
    if (file === undefined) return fresh(server, path);
    if (typeof file === 'string' && file.includes('${{')) {
      const rendered = render(file, vars);
      if (rendered.missing.length === 0 && JSON.stringify(rendered.value) === JSON.stringify(server)) return file;
      if (typeof server === 'string' && typeof rendered.value === 'string' && rendered.missing.length === 0) {
        const kept = keepPlaceholders(file, server, vars);
        note(kept.plainParts, path);
        return kept.text;
      }
      return fresh(server, path);
    }
    if (Array.isArray(file) && Array.isArray(server)) return server.map((item, i) => walk(file[i], item, [...path, i]));
    if (isObject(file) && isObject(server)) {
      const written: Record<string, Json> = {};
      for (const [key, item] of Object.entries(server))
        setOwn(
          written,
          key,
          walk(Object.prototype.hasOwnProperty.call(file, key) ? file[key] : undefined, item, [...path, key]),
        );
      return written;
    }
    // A plain value the file held: listed only where it changed (what the file held is the user's).
    return JSON.stringify(file) === JSON.stringify(server) ? escapeLiterals(server) : fresh(server, path);
  };
  // A value from the server, as a file holds it; its strings are looked through for variables' values.
  const fresh = (server: Json, path: LiteralValue['at']): Json => {
    if (noteworthy.length) eachString(server, path, (text, where) => note([text], where));
    return escapeLiterals(server);
  };
  const note = (texts: string[], path: LiteralValue['at']): void => {
    for (const [variable, value] of noteworthy)
      if (texts.some((text) => text.includes(value))) literals.push({ at: path, variable });
  };
  return { value: walk(template, remote, at), literals };
}

/** A workspace dashboard's name and definition as a new file holds them, with the variables' values found in them. */
export function newFileContent(
  dashboard: { name: string; definition: JsonObject },
  vars: Variables,
): {
  name: string;
  definition: JsonObject;
  literals: LiteralValue[];
} {
  const name = unrender(undefined, dashboard.name, vars, ['name']);
  const definition = unrender(undefined, dashboard.definition, vars, ['definition']);
  return {
    name: name.value as string,
    definition: definition.value as JsonObject,
    literals: [...name.literals, ...definition.literals],
  };
}

// One piece of a template string: text as the file writes it, and as it renders.
interface Piece {
  written: string;
  rendered: string;
  placeholder: boolean;
}

/**
 * The server's string with the template's placeholders put back where their rendered values stand
 * unchanged (a character diff of the template's rendering and the server's string tells where),
 * and the parts of it that are plain text now (escaped in the result, returned unescaped to be looked through).
 */
function keepPlaceholders(template: string, server: string, vars: Variables): { text: string; plainParts: string[] } {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) pieces.push(plain(template.slice(last, match.index)));
    const [whole, escape, name] = match;
    pieces.push(
      escape
        ? plain(whole.slice(1), whole)
        : { written: whole, rendered: String(valueOf(vars, name!)), placeholder: true },
    );
    last = match.index + whole.length;
  }
  if (last < template.length) pieces.push(plain(template.slice(last)));
  const rendered = pieces.map((piece) => piece.rendered).join('');
  const at = positionsIn(rendered, server);
  // The placeholders that keep their place, as [start, end) in the server's string.
  const keptRanges: Array<{ start: number; end: number; written: string }> = [];
  let offset = 0;
  for (const piece of pieces) {
    const start = offset;
    offset += piece.rendered.length;
    if (!piece.placeholder) continue;
    const range = standsAt(at, start, offset, rendered.length, server.length);
    if (range && (keptRanges.length === 0 || keptRanges.at(-1)!.end <= range.start))
      keptRanges.push({ ...range, written: piece.written });
  }
  let text = '';
  const plainParts: string[] = [];
  let cursor = 0;
  for (const range of [...keptRanges, { start: server.length, end: server.length, written: '' }]) {
    const between = server.slice(cursor, range.start);
    plainParts.push(between);
    text += (escapeLiterals(between) as string) + range.written;
    cursor = range.end;
  }
  return { text, plainParts };
}

function plain(rendered: string, written = rendered): Piece {
  return { written, rendered, placeholder: false };
}

// For each character of `from`, where it stands in `to` when a character diff keeps it; else undefined.
function positionsIn(from: string, to: string): Array<number | undefined> {
  const at: Array<number | undefined> = new Array<number | undefined>(from.length);
  let i = 0;
  let j = 0;
  for (const part of loadDiff().diffChars(from, to)) {
    const length = part.value.length;
    if (part.added) j += length;
    else if (part.removed) i += length;
    else {
      for (let k = 0; k < length; k++) at[i + k] = j + k;
      i += length;
      j += length;
    }
  }
  return at;
}

// Where the rendered span [start, end) stands in the server's string, if every character of it is kept
// in one run; an empty span stands between two kept neighbours (or at an end that is kept too).
function standsAt(
  at: Array<number | undefined>,
  start: number,
  end: number,
  fromLength: number,
  toLength: number,
): { start: number; end: number } | undefined {
  if (end > start) {
    const first = at[start];
    if (first === undefined) return undefined;
    for (let k = start; k < end; k++) if (at[k] !== first + (k - start)) return undefined;
    return { start: first, end: first + (end - start) };
  }
  const before = start === 0 ? -1 : at[start - 1];
  const after = start === fromLength ? toLength : at[start];
  if (before === undefined || after === undefined || after !== before + 1) return undefined;
  return { start: after, end: after };
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Calls `visit` with each string in the value and where it is.
function eachString(
  value: Json,
  path: LiteralValue['at'],
  visit: (text: string, at: LiteralValue['at']) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => eachString(item, [...path, i], visit));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) eachString(item, [...path, key], visit);
}
