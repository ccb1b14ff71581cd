import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { validateApp } from '../api/app-validation.js';
import type { ImportOptions } from '../contract/options.js';
import type { ImportResult } from '../contract/results.js';
import { formatAppPath, retargetPages } from '../core/app.js';
import { projectOfPages, readPlatformApp } from '../core/catalog-export.js';
import { folderNameProblem, slugify } from '../core/slug.js';
import type { Json, Problem } from '../core/types.js';
import { quote } from '../core/words.js';
import { FileError, UsageError } from '../errors.js';
import { fastYamlText } from '../local/emit.js';
import { projectFolderNames, projectIdOf } from '../local/folder.js';
import { displayPath, writeFileAtomic } from '../local/fsutil.js';
import { problemAt, readJsonFile, readYamlFile } from '../local/platform-file.js';
import type { PlatformFile } from '../local/platform-file.js';
import { isPxAppFile, pxHomeOntology } from '../local/px-layout.js';
import { openLocal } from './open-run.js';
import type { Context } from './open-run.js';

/*
 * `dashsync import FILE`: an app in one of the platform's own formats, the catalog's `<AppName>.json`
 * (core/catalog-export.ts says which shape and why) or a px `apps/*.app.yaml`, written as an app file
 * of the dashboards folder, in the folder of its project. It writes one new file and nothing else:
 * no request, no sync state; the next plan shows the app as one to create (or, for a px file of a
 * saved app, whose id it keeps, as the app it already is).
 */

/** The project folder for `projectId`: one that stands for it, one dashsync.yaml maps to it, or the id itself. */
function folderFor(ctx: Context, projectId: string): string {
  const { dir, projects } = ctx.settings;
  const existing = projectFolderNames(dir).find(
    (folder) => folder === projectId || projectIdOf(folder, projects) === projectId,
  );
  if (existing !== undefined) return existing;
  const mapped = Object.entries(projects).find(([, id]) => id === projectId)?.[0];
  if (mapped !== undefined) return mapped;
  const why = folderNameProblem(projectId);
  if (why !== undefined)
    throw new UsageError(
      `project ${quote(projectId)} cannot be a folder name (${why}): map a folder to it in dashsync.yaml ` +
        `(projects: { my-folder: ${quote(projectId)} }) or pass --project <folder>`,
    );
  return projectId;
}

// The app's errors refuse the import, placed in the file (the catalog's import runs the same
// validation as a save); its warnings are returned, as the platform stores such an app.
function checked(file: PlatformFile, shown: string, at: Array<string | number>, app: Json): Problem[] {
  const found = validateApp(app);
  const place = (problem: { path: Array<string | number>; message: string }): Problem => {
    const inFile = problem.path[0] === 'name' && at.length ? ['name'] : [...at, ...problem.path];
    return problemAt(file, shown, inFile, `"${formatAppPath(problem.path)}" ${problem.message}`);
  };
  if (found.errors.length) throw new FileError(found.errors.map(place));
  return found.warnings.map(place);
}

/** Imports a catalog export or a px app file as a new app file; never overwrites one. */
export async function importApp(options: ImportOptions): Promise<ImportResult> {
  const ctx = await openLocal(options);
  ctx.flavour.requireApps('import');
  const abs = resolve(ctx.cwd, options.file);
  const from = displayPath(relative(ctx.cwd, abs));
  const kind = isPxAppFile(abs) ? 'px' : 'catalog';
  const file = kind === 'px' ? readYamlFile(abs, from) : readJsonFile(abs, from);
  const app = readPlatformApp(file.value);
  if ('message' in app)
    throw new FileError([problemAt(file, from, app.path, `${quote(formatAppPath(app.path))} ${app.message}`)]);

  // The app as the file holds it is checked first: a broken file is told as such, wherever it goes.
  const warnings = checked(file, from, app.at, { ...app.definition, name: app.name });
  const given = options.projects ?? [];
  if (given.length > 1) throw new UsageError('import writes one file: pass --project once');
  // The project the file says it is from: the catalog's ontology reference, px's home ontology, or
  // the one project its pages bind to.
  const source = app.projectId ?? (kind === 'px' ? pxHomeOntology(abs) : undefined) ?? projectOfPages(app.definition);
  const target = given[0] ?? source;
  if (target === undefined)
    throw new UsageError(
      `${from}: names no project (no "project_id", and its pages bind to none or to several): pass --project <folder>`,
    );
  const folder = folderFor(ctx, target);
  const projectId = projectIdOf(folder, ctx.settings.projects);
  // Pages bound to the project the app comes from move with it (apps-facts: a copy to another
  // project rewrites each page's project.id); pull's rule then writes them as the folder names them.
  const moved =
    source !== undefined && source !== projectId
      ? retargetPages(app.definition, new Set([source]), projectId)
      : app.definition;
  const definition = ctx.flavour.fileDefinition(moved, folder);

  const path = join(ctx.settings.dir, folder, `${slugify(app.name)}.yaml`);
  const shown = displayPath(relative(ctx.cwd, path));
  if (existsSync(path))
    throw new UsageError(
      `${shown} already exists: import never overwrites a file; move it away, or import into another folder with --project`,
    );
  // A catalog import is a new app (the catalog gives it a fresh identity); a px file of a saved app
  // is that app, now synced by dashsync: its id is kept, so that plan updates it, never copies it.
  const id = kind === 'px' ? app.id : undefined;
  const text = fastYamlText(id ? { id, name: app.name, definition } : { name: app.name, definition });
  await writeFileAtomic(path, text, { fence: { folder: ctx.settings.dir, linkAllowed: true } });
  const result: ImportResult = { kind, from, path: shown, name: app.name, folder, projectId, warnings };
  if (id) result.id = id;
  ctx.reporter.show({ type: 'imported', imported: result });
  return result;
}
