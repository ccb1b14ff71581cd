import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { notInVocabulary } from '../../api/app-findings.js';
import type { AppFindings, AppProblem } from '../../api/app-findings.js';
import { validateApp } from '../../api/app-validation.js';
import { formatAppPath, withoutOwnFields } from '../../core/app.js';
import type { JsonObject, Problem } from '../../core/types.js';
import type { Variables } from '../../core/variables.js';
import { decodeText, readDashboardBytes } from '../../local/dashboard-file.js';
import type { FileKeysOf } from '../../local/dashboard-file.js';
import { parseYaml, positionOf } from '../../local/yaml.js';
import type { ParsedYaml } from '../../local/yaml.js';
import { definedOnly } from '../../util/defined.js';
import type { FileNotes } from '../flavour.js';

/*
 * An app file checked as the app it renders to (api/app-validation.ts, the validation the emulator
 * runs on every save too), its findings placed in the file's text: errors stop the folder's
 * reading, warnings are shown by validate and never block plan, apply, watch or pull.
 */

// The app's own fields, which a file holds at its top level, never under `definition`.
const OWN_FIELDS: readonly unknown[] = ['id', 'name'];

/**
 * An app problem placed in its file's YAML: the definition's paths are under `definition`, and
 * what is allowed at the top of a definition leaves out the app's own fields.
 */
function placed(path: string, parsed: ParsedYaml, problem: AppProblem): Problem {
  const own = OWN_FIELDS.includes(problem.path[0]);
  const inFile = own ? problem.path : ['definition', ...problem.path];
  const message =
    problem.allowed && problem.path.length === 1 && !own
      ? notInVocabulary(problem.allowed.filter((key) => !OWN_FIELDS.includes(key)))
      : problem.message;
  // A key the vocabulary does not have is shown at the key itself, not at its value.
  const at = positionOf(parsed, inFile, { ofKey: problem.allowed !== undefined });
  return { path, ...at, message: `"${formatAppPath(inFile)}" ${message}` };
}

const byPlace = (left: Problem, right: Problem): number => left.line - right.line || left.col - right.col;

/**
 * The findings of an app file's content as read (apps mode): the app a save would send (the
 * rendered definition, with the file's own id and name inside) checked by validateApp, each placed
 * in the file's text. The text is parsed for positions only when there is a finding, so a valid
 * file costs one validation.
 */
export function appContentFindings(
  path: string,
  bytes: Uint8Array,
  content: { id?: string; name: string; definition: JsonObject },
): FileNotes {
  const app = { ...withoutOwnFields(content.definition), ...definedOnly({ id: content.id }), name: content.name };
  const found: AppFindings = validateApp(app);
  if (found.errors.length === 0 && found.warnings.length === 0) return { problems: [], warnings: [] };
  const decoded = decodeText(bytes, path);
  if (!decoded.ok) return { problems: decoded.problems, warnings: [] };
  const parsed = parseYaml(decoded.text);
  const place = (problems: AppProblem[]): Problem[] =>
    problems.map((problem) => placed(path, parsed, problem)).sort(byPlace);
  return { problems: place(found.errors), warnings: place(found.warnings) };
}

/**
 * The errors of an app file's content (see appContentFindings). Part of reading the folder: plan,
 * apply and watch stop on these before any request, like on any invalid file; warnings never stop
 * them.
 */
export function appContentProblems(
  path: string,
  bytes: Uint8Array,
  content: { id?: string; name: string; definition: JsonObject },
): Problem[] {
  return appContentFindings(path, bytes, content).problems;
}

/**
 * What only `validate` says of an app file (the app itself is checked as the folder is read):
 * an `id` or `name` left inside the definition (ignored: the file's own are the truth), a problem;
 * a page bound to a project that no project folder and no `projects:` map names, a warning: it is
 * sent as written in every environment and never retargeted (it may be a project managed
 * elsewhere, so this does not fail validation; the server refuses one that does not resolve).
 */
export function appFileNotes(path: string, parsed: ParsedYaml, knownProjects: ReadonlySet<string>): FileNotes {
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
 * Reads each (already valid) app file again for what only validate says of it: see appFileNotes,
 * and the app's warnings (rendered with `variables` and read with the app file's keys `keysOf`, as
 * it was read). Offline; used by `validate` in apps mode.
 */
export async function appFilesNotes(
  cwd: string,
  paths: string[],
  knownProjects: ReadonlySet<string>,
  variables: Variables,
  keysOf: FileKeysOf,
): Promise<FileNotes> {
  const all: FileNotes = { problems: [], warnings: [] };
  for (const path of paths) {
    const bytes = await readFile(resolve(cwd, path));
    const decoded = decodeText(bytes, path);
    if (!decoded.ok) continue; // already reported by the dashboard file check
    const notes = appFileNotes(path, parseYaml(decoded.text), knownProjects);
    all.problems.push(...notes.problems);
    const read = readDashboardBytes(bytes, path, variables, keysOf);
    if (read.ok) all.warnings.push(...appContentFindings(path, bytes, read.content).warnings);
    all.warnings.push(...notes.warnings);
  }
  return all;
}
