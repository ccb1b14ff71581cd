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
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out || '(app)';
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
  const pages = definition.pages;
  if (!Array.isArray(pages)) return definition;
  let moved = false;
  const next = pages.map((p) => {
    const project = isObject(p) ? p.project : undefined;
    if (!isObject(p) || !isObject(project) || typeof project.id !== 'string' || project.id === to || !from.has(project.id)) return p;
    moved = true;
    return { ...p, project: { ...project, id: to } };
  });
  return moved ? { ...definition, pages: next } : definition;
}

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The `{{root}}` and `{{root.path}}` references in a value, by root. */
function refRoots(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') for (const m of v.matchAll(/\{\{\s*([A-Za-z_][\w-]*)/g)) out.push(m[1]!);
  else if (Array.isArray(v)) for (const x of v) refRoots(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) refRoots(x, out);
  return out;
}

/**
 * The references the schema cannot express, as the server checks them at save: unique ids (pages
 * across the app; inputs, run groups, output taps, sections and widgets within a page), widget
 * `inputId`/`groupId`/`outputId` pointing at an input (a form for `form_ref`, a scalar input for
 * `input_ref`), a run group and an output tap of the page, `formId` naming a form, and every
 * `{{ref}}` root published on the page (an input, a form, a row selection or a context key).
 * Written to run on any value, valid against the schema or not, so that all problems come at once.
 */
export function appReferenceProblems(app: unknown): AppProblem[] {
  const problems: AppProblem[] = [];
  const unique = (seen: Map<string, number>, id: unknown, path: Array<string | number>, what: string): void => {
    if (typeof id !== 'string') return;
    if (seen.has(id)) problems.push({ path: [...path, 'id'], message: `duplicate ${what} id "${id}" (also ${what} ${seen.get(id)})` });
    else seen.set(id, path[path.length - 1] as number);
  };
  const pageIds = new Map<string, number>();
  arr(obj(app).pages).forEach((p, pi) => {
    const page = obj(p);
    const at: Array<string | number> = ['pages', pi];
    unique(pageIds, page.id, at, 'page');
    const inputs = new Map<string, Record<string, unknown>>();
    const seenInputs = new Map<string, number>();
    arr(page.inputs).forEach((i, ii) => {
      const input = obj(i);
      unique(seenInputs, input.id, [...at, 'inputs', ii], 'input');
      if (typeof input.id === 'string') inputs.set(input.id, input);
    });
    const groups = new Set<string>();
    const taps = new Set<string>();
    const seenGroups = new Map<string, number>();
    const seenTaps = new Map<string, number>();
    arr(page.runGroups).forEach((g, gi) => {
      const group = obj(g);
      unique(seenGroups, group.id, [...at, 'runGroups', gi], 'run group');
      if (typeof group.id === 'string') groups.add(group.id);
      arr(group.outputs).forEach((o, oi) => {
        unique(seenTaps, obj(o).id, [...at, 'runGroups', gi, 'outputs', oi], 'output tap');
        const id = str(obj(o).id);
        if (id !== undefined) taps.add(id);
      });
    });
    // What the page publishes as variables: inputs and forms, row selections, context keys.
    const published = new Set(inputs.keys());
    const seenSections = new Map<string, number>();
    const seenWidgets = new Map<string, number>();
    const widgets: Array<{ w: Record<string, unknown>; path: Array<string | number> }> = [];
    arr(page.sections).forEach((s, si) => {
      const section = obj(s);
      unique(seenSections, section.id, [...at, 'sections', si], 'section');
      arr(section.widgets).forEach((w, wi) => {
        const widget = obj(w);
        const path = [...at, 'sections', si, 'widgets', wi];
        if (typeof widget.id === 'string') {
          if (seenWidgets.has(widget.id)) problems.push({ path: [...path, 'id'], message: `duplicate widget id "${widget.id}" on page ${JSON.stringify(page.id)}` });
          else seenWidgets.set(widget.id, wi);
        }
        const set = str(obj(widget.onRowSelect).set);
        if (set !== undefined) published.add(set);
        const key = str(obj(widget.action).key);
        if (obj(widget.action).type === 'set_context' && key !== undefined) published.add(key);
        widgets.push({ w: widget, path });
      });
    });
    for (const { w, path } of widgets) {
      const inputId = str(w.inputId);
      if (inputId !== undefined) {
        const input = inputs.get(inputId);
        if (!input) problems.push({ path: [...path, 'inputId'], message: `no input "${inputId}" on this page` });
        else if (w.type === 'form_ref' && input.type !== 'form') problems.push({ path: [...path, 'inputId'], message: `"${inputId}" is not a form (form_ref shows a form)` });
        else if (w.type === 'input_ref' && input.type === 'form') problems.push({ path: [...path, 'inputId'], message: `"${inputId}" is a form: place it with a form_ref widget` });
      }
      for (const [groupId, where] of [[str(w.groupId), 'groupId'], [str(obj(w.action).groupId), 'action.groupId']] as const) {
        if (groupId !== undefined && !groups.has(groupId)) problems.push({ path: [...path, ...where.split('.')], message: `no run group "${groupId}" on this page` });
      }
      const outputId = str(w.outputId);
      if (outputId !== undefined && !taps.has(outputId)) problems.push({ path: [...path, 'outputId'], message: `no output tap "${outputId}" on this page` });
    }
    arr(page.runGroups).forEach((g, gi) => {
      const group = obj(g);
      const formId = str(group.formId);
      if (formId !== undefined && inputs.get(formId)?.type !== 'form') problems.push({ path: [...at, 'runGroups', gi, 'formId'], message: `no form "${formId}" on this page` });
      for (const field of ['params', 'facts'] as const) {
        for (const [k, v] of Object.entries(obj(group[field]))) {
          for (const root of refRoots(v)) {
            if (!published.has(root)) problems.push({ path: [...at, 'runGroups', gi, field, k], message: `{{${root}}} is published by nothing on this page (no input, form, row selection or context key of that name)` });
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
 * any of them is bound to the project the folder stands for in the workspace at hand.
 */
export interface AppReading {
  aliases: Record<string, string[]>;
}

/**
 * A file's content as it is compared and saved in apps mode: the definition's own `id` and `name`
 * dropped (the file's are the truth), and its pages retargeted to the folder's project.
 */
export function appFileContent<T extends { definition: JsonObject }>(content: T, folder: string, projectId: string, reading: AppReading): T {
  const aliases = new Set(reading.aliases[folder] ?? [folder]);
  aliases.add(folder);
  const definition = retargetPages(withoutOwnFields(content.definition), aliases, projectId);
  return definition === content.definition ? content : { ...content, definition };
}
