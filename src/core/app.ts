/*
 * Apps (the /apps API) in a repository of files: the one truth of `id` and `name`, and which project
 * each page binds to as files move between projects and environments. Pure. The app's vocabulary
 * and its validation are the API contract's (src/api/).
 */
import type { Json, JsonObject } from './types.js';

/** `pages[0].sections[1].id`: a path as the server's errors and dashsync's messages show it. */
export function formatAppPath(path: ReadonlyArray<string | number>): string {
  let shown = '';
  for (const step of path) shown += typeof step === 'number' ? `[${step}]` : shown === '' ? step : `.${step}`;
  return shown || '(app)';
}

/**
 * The definition as dashsync keeps it: without the `id` and `name` the server keeps inside it,
 * because those are the file's own `id` and `name` (one truth per field). A definition holding
 * neither is returned as it is.
 */
export function withoutOwnFields(definition: JsonObject): JsonObject {
  if (!('id' in definition) && !('name' in definition)) return definition;
  const { id: _id, name: _name, ...rest } = definition;
  void _id;
  void _name;
  return rest;
}

/**
 * The definition with every page bound to one of `from` bound to `to` instead: an app moved to
 * another project (migrate, an environment's `projects:` map) must point at the project it is in.
 * Pages bound to other projects are left alone. The input is returned unchanged when nothing moves.
 */
export function retargetPages(definition: JsonObject, from: ReadonlySet<string>, to: string): JsonObject {
  return mapPageProjects(definition, (id) => (from.has(id) ? to : undefined));
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * How files are read in apps mode: for each project folder, the project ids that stand for it in
 * any environment (its name, and what every `projects:` map makes of it), so that a page bound to
 * any of them is bound to the project the folder stands for in the workspace at hand; `current` is
 * the map of the workspace at hand (folder -> id), `home` the top level's (what a pull writes).
 */
export interface AppReading {
  aliases: Record<string, string[]>;
  current?: Record<string, string>;
  home?: Record<string, string>;
}

// The project id a folder stands for under a `projects:` map: its mapping, else its own name.
const own = (map: Record<string, string> | undefined, folder: string): string =>
  map && Object.prototype.hasOwnProperty.call(map, folder) ? map[folder]! : folder;

/**
 * The folder a page's project id stands for: the file's own folder when the id is one of its
 * aliases, else the one other folder whose aliases hold it (an id two other folders share is
 * ambiguous: undefined, the page is left alone).
 */
export function folderOfProject(projectId: string, ownFolder: string, reading: AppReading): string | undefined {
  const aliasesOf = (folder: string): string[] => reading.aliases[folder] ?? [folder];
  if (projectId === ownFolder || aliasesOf(ownFolder).includes(projectId)) return ownFolder;
  const others = Object.keys(reading.aliases).filter(
    (folder) => folder !== ownFolder && aliasesOf(folder).includes(projectId),
  );
  if (others.length === 1) return others[0];
  return undefined;
}

/** The definition with each page's project id replaced by `to(id)` where that is defined and differs. */
export function mapPageProjects(
  definition: JsonObject,
  to: (id: string, page: number) => string | undefined,
): JsonObject {
  const pages = definition.pages;
  if (!Array.isArray(pages)) return definition;
  let moved = false;
  const next = pages.map((page, i) => {
    const project = isObject(page) ? page.project : undefined;
    if (!isObject(page) || !isObject(project) || typeof project.id !== 'string') return page;
    const id = to(project.id, i);
    if (id === undefined || id === project.id) return page;
    moved = true;
    return { ...page, project: { ...project, id } };
  });
  return moved ? { ...definition, pages: next } : definition;
}

/**
 * A file's content as it is compared and saved in apps mode: the definition's own `id` and `name`
 * dropped (the file's are the truth), and every page bound to a project some folder stands for
 * (this file's folder or another) bound to what that folder stands for in the workspace at hand.
 */
export function appFileContent<T extends { definition: JsonObject }>(
  content: T,
  folder: string,
  projectId: string,
  reading: AppReading,
): T {
  const definition = mapPageProjects(withoutOwnFields(content.definition), (id) => {
    const pageFolder = folderOfProject(id, folder, reading);
    if (pageFolder === undefined) return undefined;
    return pageFolder === folder ? projectId : own(reading.current, pageFolder);
  });
  return definition === content.definition ? content : { ...content, definition };
}

/**
 * A workspace's definition as a file of `folder` writes it (pull): each page bound to what a folder
 * stands for in the workspace at hand is written as the file already had it when that names the
 * same folder (`fileProjects[i]`: the file's page i project id as written, and as rendered), else
 * as the folder's own id at the top level. So a pull in any environment writes what plan reads
 * back to the same thing, and leaves untouched lines alone.
 */
export function appDefinitionForFile(
  definition: JsonObject,
  folder: string,
  reading: AppReading,
  fileProjects: ReadonlyArray<{ written: Json; rendered: string } | undefined> = [],
): JsonObject {
  const current = reading.current ?? {};
  const folders = new Set([...Object.keys(reading.aliases), ...Object.keys(current), folder]);
  return mapPageProjects(definition, (id, i) => {
    // The folder whose project this is in the workspace at hand (the file's own first).
    const candidates = [folder, ...[...folders].filter((other) => other !== folder)];
    const pageFolder = candidates.find((candidate) => own(current, candidate) === id);
    if (pageFolder === undefined) return undefined;
    const had = fileProjects[i];
    if (had && typeof had.written === 'string' && folderOfProject(had.rendered, folder, reading) === pageFolder)
      return had.written;
    return own(reading.home, pageFolder);
  });
}
