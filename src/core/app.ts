/*
 * Apps (the /apps API): what dashsync knows of an app definition beyond its JSON Schema. Pure: the
 * references between the parts of a page, the one truth of `id` and `name`, and retargeting pages
 * to another project. The vocabulary itself is schemas/app.schema.json.
 */
import type { Json, JsonObject } from './types.js';

/** One problem of an app definition: where (a path into the app) and what. */
export interface AppProblem {
  path: Array<string | number>;
  message: string;
}

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

// Readers of a value that may be anything (appReferenceProblems runs on invalid apps too): the
// value when it has the expected type, else an empty one.
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const unpublished = (root: string): string =>
  `{{${root}}} is published by nothing on this page ` + '(no input, form, row selection or context key of that name)';

/** The `{{root}}` and `{{root.path}}` references in a value, by root. */
function refRoots(value: unknown, roots: string[] = []): string[] {
  if (typeof value === 'string') for (const match of value.matchAll(/\{\{\s*([A-Za-z_][\w-]*)/g)) roots.push(match[1]!);
  else if (Array.isArray(value)) for (const item of value) refRoots(item, roots);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) refRoots(item, roots);
  return roots;
}

/**
 * The references the schema cannot express, as the server checks them at save: unique ids (pages
 * across the app; inputs, run groups, output taps, sections and widgets within a page), widget
 * `inputId`/`groupId`/`outputId` pointing at an input (a form for `form_ref`, a scalar input for
 * `input_ref`), a run group and an output tap of the page, `formId` naming a form, `weights` only on
 * a `columns` section, and every `{{ref}}` root (in run groups' params and facts, and in text
 * widgets' content) published on the page (an input, a form, a row selection or a context key).
 * Written to run on any value, valid against the schema or not, so that all problems come at once.
 */
export function appReferenceProblems(app: unknown): AppProblem[] {
  const problems: AppProblem[] = [];
  const unique = (seen: Map<string, number>, id: unknown, path: Array<string | number>, what: string): void => {
    if (typeof id !== 'string') return;
    if (seen.has(id))
      problems.push({ path: [...path, 'id'], message: `duplicate ${what} id "${id}" (also ${what} ${seen.get(id)})` });
    else seen.set(id, path[path.length - 1] as number);
  };
  const pageIds = new Map<string, number>();
  arr(obj(app).pages).forEach((pageValue, pageIndex) => {
    const page = obj(pageValue);
    const at: Array<string | number> = ['pages', pageIndex];
    unique(pageIds, page.id, at, 'page');
    const inputs = new Map<string, Record<string, unknown>>();
    const seenInputs = new Map<string, number>();
    arr(page.inputs).forEach((inputValue, inputIndex) => {
      const input = obj(inputValue);
      unique(seenInputs, input.id, [...at, 'inputs', inputIndex], 'input');
      if (typeof input.id === 'string') inputs.set(input.id, input);
    });
    const groups = new Set<string>();
    const taps = new Set<string>();
    const seenGroups = new Map<string, number>();
    const seenTaps = new Map<string, number>();
    arr(page.runGroups).forEach((groupValue, groupIndex) => {
      const group = obj(groupValue);
      unique(seenGroups, group.id, [...at, 'runGroups', groupIndex], 'run group');
      if (typeof group.id === 'string') groups.add(group.id);
      arr(group.outputs).forEach((tapValue, tapIndex) => {
        const tapId = obj(tapValue).id;
        unique(seenTaps, tapId, [...at, 'runGroups', groupIndex, 'outputs', tapIndex], 'output tap');
        if (typeof tapId === 'string') taps.add(tapId);
      });
    });
    // What the page publishes as variables: inputs and forms, row selections, context keys.
    const published = new Set(inputs.keys());
    const seenSections = new Map<string, number>();
    const seenWidgets = new Map<string, number>();
    const widgets: Array<{ widget: Record<string, unknown>; path: Array<string | number> }> = [];
    arr(page.sections).forEach((sectionValue, sectionIndex) => {
      const section = obj(sectionValue);
      unique(seenSections, section.id, [...at, 'sections', sectionIndex], 'section');
      if (section.weights !== undefined && section.layout !== 'columns') {
        const layout = typeof section.layout === 'string' ? `"${section.layout}"` : 'not set';
        problems.push({
          path: [...at, 'sections', sectionIndex, 'weights'],
          message: `weights apply to layout "columns" only (this section's layout is ${layout})`,
        });
      }
      arr(section.widgets).forEach((widgetValue, widgetIndex) => {
        const widget = obj(widgetValue);
        const path = [...at, 'sections', sectionIndex, 'widgets', widgetIndex];
        if (typeof widget.id === 'string') {
          if (seenWidgets.has(widget.id))
            problems.push({
              path: [...path, 'id'],
              message: `duplicate widget id "${widget.id}" on page ${JSON.stringify(page.id)}`,
            });
          else seenWidgets.set(widget.id, widgetIndex);
        }
        const set = str(obj(widget.onRowSelect).set);
        if (set !== undefined) published.add(set);
        const key = str(obj(widget.action).key);
        if (obj(widget.action).type === 'set_context' && key !== undefined) published.add(key);
        widgets.push({ widget, path });
      });
    });
    for (const { widget, path } of widgets) {
      const inputId = str(widget.inputId);
      if (inputId !== undefined) {
        const input = inputs.get(inputId);
        if (!input) problems.push({ path: [...path, 'inputId'], message: `no input "${inputId}" on this page` });
        else if (widget.type === 'form_ref' && input.type !== 'form')
          problems.push({ path: [...path, 'inputId'], message: `"${inputId}" is not a form (form_ref shows a form)` });
        else if (widget.type === 'input_ref' && input.type === 'form')
          problems.push({
            path: [...path, 'inputId'],
            message: `"${inputId}" is a form: place it with a form_ref widget`,
          });
      }
      for (const [groupId, where] of [
        [str(widget.groupId), 'groupId'],
        [str(obj(widget.action).groupId), 'action.groupId'],
      ] as const) {
        if (groupId !== undefined && !groups.has(groupId))
          problems.push({ path: [...path, ...where.split('.')], message: `no run group "${groupId}" on this page` });
      }
      const outputId = str(widget.outputId);
      if (outputId !== undefined && !taps.has(outputId))
        problems.push({ path: [...path, 'outputId'], message: `no output tap "${outputId}" on this page` });
      // A text widget's content is a template too: its {{ref}} roots must be published on the page.
      if (widget.type === 'text') {
        for (const root of refRoots(widget.content)) {
          if (!published.has(root)) problems.push({ path: [...path, 'content'], message: unpublished(root) });
        }
      }
    }
    arr(page.runGroups).forEach((groupValue, groupIndex) => {
      const group = obj(groupValue);
      const formId = str(group.formId);
      const named = formId !== undefined ? inputs.get(formId) : undefined;
      if (formId !== undefined && !named)
        problems.push({
          path: [...at, 'runGroups', groupIndex, 'formId'],
          message: `no form "${formId}" on this page`,
        });
      else if (formId !== undefined && named?.type !== 'form') {
        const what = typeof named?.type === 'string' ? `a ${named.type} input` : 'an input';
        problems.push({
          path: [...at, 'runGroups', groupIndex, 'formId'],
          message: `"${formId}" is ${what}, not a form: formId names a form`,
        });
      }
      for (const field of ['params', 'facts'] as const) {
        for (const [name, value] of Object.entries(obj(group[field]))) {
          for (const root of refRoots(value)) {
            if (!published.has(root))
              problems.push({ path: [...at, 'runGroups', groupIndex, field, name], message: unpublished(root) });
          }
        }
      }
    });
  });
  return problems;
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
