import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { displayPath } from './fsutil.js';
import { parseYaml } from './yaml.js';

/*
 * A workspace laid out by Prometheux's own CLI, `px` (github:prometheuxresearch/prometheux-cli,
 * README "Workspace anatomy"): `prometheux.workspace.yaml` at the top, and per ontology
 * `ontologies/<slug>/prometheux.yaml` (its `ontology.id`) beside `apps/<slug>.app.yaml`, each the app
 * definition itself. dashsync reads another layout (dashboards/<project>/<app>.yaml with id, name and
 * definition), so such a workspace is met with what to do, never read as if it were dashsync's.
 */

/** The suffix px gives its app files. */
export const PX_APP_SUFFIX = '.app.yaml';

/** True for a path px would read as an app file. */
export const isPxAppFile = (path: string): boolean => basename(path).endsWith(PX_APP_SUFFIX);

// The app files of a px `apps/` folder, when `folder` is one.
function appFilesIn(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith(PX_APP_SUFFIX))
      .sort()
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
}

/**
 * The px app files a folder holds as px lays them out (its `apps/`, or each of its
 * `ontologies/<slug>/apps/`), or that it is itself; empty when it is no px workspace.
 */
export function pxAppFiles(folder: string): string[] {
  const found = [...appFilesIn(folder), ...appFilesIn(join(folder, 'apps'))];
  let ontologies: string[] = [];
  try {
    ontologies = readdirSync(join(folder, 'ontologies')).sort();
  } catch {
    // no ontologies/ folder
  }
  for (const slug of ontologies) found.push(...appFilesIn(join(folder, 'ontologies', slug, 'apps')));
  return found;
}

/** True when `folder` is the top of a px workspace (its workspace file, or app files where px keeps them). */
export function isPxWorkspace(folder: string): boolean {
  return existsSync(join(folder, 'prometheux.workspace.yaml')) || pxAppFiles(folder).length > 0;
}

/**
 * The one-line refusal of a px layout met where dashsync's was expected: `given` as the user typed
 * it (or '.'), and a px app file there to name in the command that converts it.
 */
export function pxLayoutMessage(given: string, example: string | undefined, cwd: string): string {
  const file = example ? displayPath(relative(cwd, example)) : 'apps/<app>.app.yaml';
  return (
    `${given} is laid out by px, Prometheux's CLI (apps/*.app.yaml, each the app definition itself), ` +
    `which dashsync does not read: convert each app into dashboards/<project>/ with "dashsync import ${file}" ` +
    '(api: apps in dashsync.yaml), or keep syncing this folder with px'
  );
}

/** The px app files at a path the user gave: the file itself, or those of the folder it names. */
export function pxAppFilesAt(abs: string): string[] {
  if (isPxAppFile(abs)) return [abs];
  try {
    if (statSync(abs).isDirectory()) return pxAppFiles(abs);
  } catch {
    // a path that does not exist is no px layout
  }
  return [];
}

/**
 * The home ontology px records for an app file: `ontology.id` of the `prometheux.yaml` beside the
 * `apps/` folder that holds it; undefined when there is none, or it names no id yet.
 */
export function pxHomeOntology(appFile: string): string | undefined {
  const manifest = join(dirname(dirname(appFile)), 'prometheux.yaml');
  try {
    const value = parseYaml(readFileSync(manifest, 'utf8')).value as { ontology?: { id?: unknown } } | null;
    const id = value?.ontology?.id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, in one line, a run pointed at a px layout: a path given that is a px app file or folder
 * outside the dashboards folder `dir`, or, with no path, a working directory laid out by px with no
 * dashboards folder. A path inside the dashboards folder is dashsync's, whatever its name.
 */
export function refusePxLayout(cwd: string, dir: string, paths: readonly string[]): void {
  for (const given of paths) {
    const abs = resolve(cwd, given);
    const rel = relative(dir, abs);
    if (rel === '' || !(rel.startsWith('..') || isAbsolute(rel))) continue;
    const found = pxAppFilesAt(abs);
    if (found.length) throw new UsageError(pxLayoutMessage(given, found[0], cwd));
  }
  if (paths.length === 0 && !existsSync(dir) && isPxWorkspace(cwd))
    throw new UsageError(pxLayoutMessage('this folder', pxAppFiles(cwd)[0], cwd));
}
