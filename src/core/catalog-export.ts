/*
 * The platform's own app formats, pure: the catalog's `<AppName>.json` and a `px` app file.
 *
 * Shape followed (Prometheux's docs, github:prometheuxresearch/prometheux-docs):
 * - platform/apps/the-app-editor.mdx, "Export and import": the catalog card's export saves
 *   `<AppName>.json`, "self-contained including its ontology reference"; the catalog's import "assigns
 *   the app a fresh identity, and saves it (running the same validation as any save)". The docs give
 *   no field list for the file, so dashsync writes the one documented object that holds a definition
 *   with its ontology reference, the Apps API's get answer (integrations/api-endpoints/apps.mdx,
 *   "Get an app": `{id, project_id, name, definition}`), without the `id` (the import makes a fresh
 *   one), the definition holding its `name` as a save's `app` does (platform/apps/schema-reference.mdx).
 * - A `px` workspace (github:prometheuxresearch/prometheux-cli, README "Workspace anatomy" and
 *   commands/pull.py): `ontologies/<slug>/apps/<slug>.app.yaml` holds the AppDefinition v2 itself
 *   (its `id` once saved, `name`, and an optional `$schema` editor hint), its home ontology in
 *   `ontologies/<slug>/prometheux.yaml` under `ontology.id`.
 *
 * Reading is lenient where the docs are silent: a wrapper with `definition` (and `project_id`, or
 * `ontology_id`/`projectId`), or a bare definition (what px writes, or a catalog file that is the
 * definition itself), whose project is then its pages' one project.
 */
import type { Json, JsonObject } from './types.js';

/** An app as the platform's formats carry it: its name, home project (when they say), definition and id. */
export interface PlatformApp {
  name: string;
  /** The home ontology (project) the file names; undefined when it names none. */
  projectId?: string;
  /** The definition without its own `id`, `name` and `$schema` (the file's are the truth in dashsync). */
  definition: JsonObject;
  /** The app's id as the file holds it (a px file of a saved app); the catalog's import never keeps it. */
  id?: string;
  /** Where the definition is in the file's value: [] for a bare definition, ['definition'] in a wrapper. */
  at: Array<string | number>;
}

/** Why a value is not an app of the platform's formats, and where in it (a path into the value). */
export interface ShapeProblem {
  path: Array<string | number>;
  message: string;
}

const isObject = (value: Json | undefined): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Where a wrapper names its home ontology: the get answer's key first, then the names the docs'
// paths and the SDK use for the same thing.
const PROJECT_KEYS = ['project_id', 'ontology_id', 'projectId'] as const;

/** The one project every page binds to, when they agree; undefined when none says or they differ. */
export function projectOfPages(definition: JsonObject): string | undefined {
  const pages = Array.isArray(definition.pages) ? definition.pages : [];
  const ids = new Set<string>();
  for (const page of pages) {
    const project = isObject(page) ? page.project : undefined;
    if (isObject(project) && typeof project.id === 'string') ids.add(project.id);
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** The app a catalog export or a px app file holds, or why it holds none. */
export function readPlatformApp(value: Json): PlatformApp | ShapeProblem {
  if (!isObject(value))
    return { path: [], message: 'must be an object: an app definition, or {"project_id", "name", "definition"}' };
  const wrapped = 'definition' in value;
  const at = wrapped ? ['definition'] : [];
  const body = wrapped ? value.definition : value;
  if (!isObject(body)) return { path: at, message: 'must be an object: the app definition' };
  if (!('pages' in body) && !('schemaVersion' in body))
    return {
      path: at,
      message: 'is not an app definition: it has neither "schemaVersion" nor "pages"',
    };
  const nameValue = wrapped && value.name !== undefined ? value.name : body.name;
  if (typeof nameValue !== 'string' || nameValue.trim() === '')
    return {
      path: wrapped && value.name !== undefined ? ['name'] : [...at, 'name'],
      message: "must be the app's name, a non-empty string",
    };
  let projectId: string | undefined;
  if (wrapped)
    for (const key of PROJECT_KEYS) {
      const candidate = value[key];
      if (candidate === undefined || candidate === null) continue;
      if (typeof candidate !== 'string' || candidate === '')
        return { path: [key], message: "must be the id of the app's home ontology, a non-empty string" };
      projectId = candidate;
      break;
    }
  const { id, name: _name, $schema: _schema, ...definition } = body;
  void _name;
  void _schema;
  const app: PlatformApp = { name: nameValue, definition, at };
  if (projectId !== undefined) app.projectId = projectId;
  if (typeof id === 'string' && id !== '') app.id = id;
  return app;
}

/**
 * The catalog's `<AppName>.json` of an app: its home project, its name, and the definition as a
 * save takes it (its `name` inside, no `id`: the catalog's import gives the app a fresh identity).
 */
export function catalogExport(app: { name: string; projectId: string; definition: JsonObject }): JsonObject {
  const { id: _id, name: _name, ...rest } = app.definition;
  void _id;
  void _name;
  const { schemaVersion, ...others } = rest;
  // schemaVersion first and name next, as the docs' reference writes a definition.
  const definition: JsonObject = {
    ...(schemaVersion !== undefined ? { schemaVersion } : {}),
    name: app.name,
    ...others,
  };
  return { project_id: app.projectId, name: app.name, definition };
}

/** A file name for `<AppName>.json`: the name, with what no file system takes replaced by `_`. */
export function exportFileName(name: string): string {
  const safe = name
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 120);
  return `${safe || 'app'}.json`;
}
