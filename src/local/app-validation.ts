import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { appReferenceProblems, formatAppPath, withoutOwnFields } from '../core/app.js';
import type { AppProblem } from '../core/app.js';
import type { JsonObject, Problem } from '../core/types.js';
import { definedOnly } from '../util/defined.js';
import { decodeText } from './dashboard-file.js';
import { TYPE_WORDS, validator } from './schema.js';
import { parseYaml, positionOf } from './yaml.js';
import type { ParsedYaml } from './yaml.js';

/*
 * The one validation of an app definition: the vocabulary of schemas/app.schema.json plus the
 * references between its parts. `validate` runs it offline on files and the emulator on every save,
 * so the two never disagree.
 */

// The apps vocabulary speaks of objects where dashboard files speak of mappings.
const APP_TYPE_WORDS: Record<string, string> = { ...TYPE_WORDS, object: 'an object' };

// The path into the app of an ajv error: its JSON pointer decoded, indexes as numbers.
function pathOf(error: ErrorObject): Array<string | number> {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}

// An ajv error in the app vocabulary's words; undefined for errors that others already explain.
function problemOf(error: ErrorObject): AppProblem | undefined {
  const path = pathOf(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // its `then` errors say what is wrong
    case 'required':
      return { path: [...path, String(params.missingProperty)], message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        path: [...path, String(params.additionalProperty)],
        message: `is not in the app vocabulary${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`,
      };
    }
    case 'type': {
      const types = [params.type as string | string[]].flat();
      return { path, message: `must be ${types.map((type) => APP_TYPE_WORDS[type] ?? type).join(' or ')}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      return { path, message: `must be one of ${allowed.join(', ')}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum': {
      const bound = error.keyword === 'maximum' ? 'at most' : error.keyword === 'minimum' ? 'at least' : 'more than';
      return { path, message: `must be ${bound} ${String(params.limit)}` };
    }
    case 'minItems':
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'anyOf':
      return {
        path,
        message:
          path[path.length - 1] === 'y' ? 'must be a column name or a list of them' : 'needs outputId or content',
      };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}

/**
 * Every problem of an app definition (the object the /apps API saves: `id` and `name` inside),
 * vocabulary first, then references; an empty list when the app is valid. Checks that need the
 * ontology (concept and column names, `@param` declarations) are the server's alone.
 */
export function validateApp(app: unknown): AppProblem[] {
  const validate = validator('app');
  const problems: AppProblem[] = [];
  if (!validate(app)) {
    const errors = validate.errors ?? [];
    // The alternatives of an anyOf that failed are noise once the anyOf itself is reported.
    const anyOfs = errors.filter((error) => error.keyword === 'anyOf').map((error) => `${error.schemaPath}/`);
    for (const error of errors) {
      if (anyOfs.some((anyOf) => error.schemaPath.startsWith(anyOf))) continue;
      const problem = problemOf(error);
      const reported = (earlier: AppProblem): boolean =>
        earlier.message === problem!.message && formatAppPath(earlier.path) === formatAppPath(problem!.path);
      if (problem && !problems.some(reported)) problems.push(problem);
    }
  }
  problems.push(...appReferenceProblems(app));
  return problems;
}

/**
 * A problem as the emulator's 400 lists it: `pages[0].sections[1].widgets[0].span: must be at most
 * 12`.
 */
export function appProblemText(problem: AppProblem): string {
  return `${formatAppPath(problem.path)}: ${problem.message}`;
}

/** An app problem placed in its file's YAML: the definition's paths are under `definition`. */
function placed(path: string, parsed: ParsedYaml, problem: AppProblem): Problem {
  const inFile =
    problem.path[0] === 'id' || problem.path[0] === 'name' ? problem.path : ['definition', ...problem.path];
  return { path, ...positionOf(parsed, inFile), message: `"${formatAppPath(inFile)}" ${problem.message}` };
}

const byPlace = (left: Problem, right: Problem): number => left.line - right.line || left.col - right.col;

/**
 * The problems of an app file's content as read (apps mode): the app a save would send (the
 * rendered definition, with the file's own id and name inside) checked by validateApp, each placed
 * in the file's text. The text is parsed for positions only when there is a problem, so a valid
 * file costs one validation. Part of reading the folder: plan, apply and watch stop on these
 * before any request, like on any invalid file.
 */
export function appContentProblems(
  path: string,
  bytes: Uint8Array,
  content: { id?: string; name: string; definition: JsonObject },
): Problem[] {
  const app = { ...withoutOwnFields(content.definition), ...definedOnly({ id: content.id }), name: content.name };
  const found = validateApp(app);
  if (found.length === 0) return [];
  const decoded = decodeText(bytes, path);
  if (!decoded.ok) return decoded.problems;
  const parsed = parseYaml(decoded.text);
  return found.map((problem) => placed(path, parsed, problem)).sort(byPlace);
}

/** What validate adds in apps mode: problems (exit 1) and warnings (shown, exit unchanged). */
export interface AppFileNotes {
  problems: Problem[];
  warnings: Problem[];
}

/**
 * What only `validate` says of an app file (the app itself is checked as the folder is read):
 * an `id` or `name` left inside the definition (ignored: the file's own are the truth), a problem;
 * a page bound to a project that no project folder and no `projects:` map names, a warning: it is
 * sent as written in every environment and never retargeted (it may be a project managed
 * elsewhere, so this does not fail validation; the server refuses one that does not resolve).
 */
export function appFileNotes(path: string, parsed: ParsedYaml, knownProjects: ReadonlySet<string>): AppFileNotes {
  const file = parsed.value as { definition?: JsonObject } | null;
  const definition = file?.definition ?? {};
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  for (const key of ['id', 'name'] as const) {
    if (key in definition)
      problems.push({
        path,
        ...positionOf(parsed, ['definition', key], { ofKey: true }),
        message:
          `"definition.${key}" is ignored in apps mode: ` +
          `the app's ${key} is the file's top-level "${key}"; remove this one`,
      });
  }
  const pages = Array.isArray(definition.pages) ? definition.pages : [];
  pages.forEach((page, i) => {
    const id = (page as { project?: { id?: unknown } } | null)?.project?.id;
    if (typeof id === 'string' && !id.includes('${{') && !knownProjects.has(id)) {
      warnings.push({
        path,
        ...positionOf(parsed, ['definition', 'pages', i, 'project', 'id']),
        message:
          `page binds to project "${id}", which no project folder and no projects: map names: ` +
          'it is sent as written in every environment, never retargeted',
      });
    }
  });
  return { problems, warnings };
}

/**
 * Reads each (already valid) app file again for what only validate says of it (see appFileNotes).
 * Offline; used by `validate` in apps mode.
 */
export async function appFilesNotes(
  cwd: string,
  paths: string[],
  knownProjects: ReadonlySet<string>,
): Promise<AppFileNotes> {
  const all: AppFileNotes = { problems: [], warnings: [] };
  for (const path of paths) {
    const decoded = decodeText(await readFile(resolve(cwd, path)), path);
    if (!decoded.ok) continue; // already reported by the dashboard file check
    const notes = appFileNotes(path, parseYaml(decoded.text), knownProjects);
    all.problems.push(...notes.problems);
    all.warnings.push(...notes.warnings);
  }
  return all;
}
