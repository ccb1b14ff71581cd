import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CommonOptions } from '../contract/options.js';
import { normalSelection } from '../core/selection.js';
import type { Selection } from '../core/selection.js';
import type { ProjectFolder } from '../core/types.js';
import { UsageError } from '../errors.js';
import { isDashboardPath } from '../local/dashboard-paths.js';
import { projectIdOf } from '../local/folder.js';
import { refusePxLayout } from '../local/px-layout.js';
import { nameList, quote } from '../core/words.js';
import type { Context, RemoteContext } from './open-run.js';

/*
 * A run's selection (core/selection.ts) from what the user typed: `--project`, the file and folder
 * paths, `--exclude` and `exclude:`. Every name must select something: a typo that selects nothing
 * would otherwise end in "No changes" and exit 0, and a CI job would go green having checked nothing.
 */

const PATHS_HINT =
  'a path names a project folder (dashboards/sales) or a dashboard file in one (dashboards/sales/revenue.yaml), ' +
  'relative to where you stand';

/**
 * The run's selection. Paths are resolved from the working directory and must lie inside the
 * dashboards folder (the folder itself stands for all of it); with `mustExist` (every command but
 * pull, which may bring a project folder into being) they must exist. Globs are relative to the
 * dashboards folder; one written from where you stand (`dashboards/sales/*.yaml`) is taken too.
 */
export function selectionOf(ctx: Context, options: CommonOptions, { mustExist }: { mustExist: boolean }): Selection {
  const { dir } = ctx.settings;
  if (mustExist) refusePxLayout(ctx.cwd, dir, options.paths ?? []);
  // A file deleted locally is a target pull may bring back: the sync state knows where it was.
  const synced = 'synced' in ctx ? Object.values((ctx as RemoteContext).synced) : [];
  const recorded = new Set(synced.flatMap((entry) => (entry.path ? [resolve(ctx.cwd, entry.path)] : [])));
  const paths: string[] = [];
  let whole = false;
  for (const given of options.paths ?? []) {
    const abs = resolve(ctx.cwd, given);
    const rel = targetOf(given, abs, dir, ctx.dirShown, mustExist, recorded.has(abs));
    if (rel === '') whole = true;
    else paths.push(rel);
  }
  const excludes = [...ctx.settings.exclude, ...(options.excludes ?? [])].map((glob) =>
    folderRelativeGlob(glob, ctx.dirShown),
  );
  return normalSelection({ projects: options.projects ?? [], paths: whole ? [] : paths, excludes });
}

// A path as the selection holds it: relative to the dashboards folder, `/`-separated ('' for the folder).
function targetOf(
  given: string,
  abs: string,
  dir: string,
  dirShown: string,
  mustExist: boolean,
  deletedLocally = false,
): string {
  const rel = relative(dir, abs);
  const outside = rel.startsWith('..') || isAbsolute(rel);
  if (outside)
    throw new UsageError(
      `${quote(given)} is outside the dashboards folder ${dirShown}: nothing there is synced`,
      PATHS_HINT,
    );
  if (rel === '') return '';
  const parts = rel.split(sep);
  const target = parts.join('/');
  if (
    parts.length > 2 ||
    parts.some((part) => part.startsWith('.')) ||
    (parts.length === 2 && !isDashboardPath(target))
  )
    throw new UsageError(`${quote(given)} is neither a project folder nor a dashboard file of ${dirShown}`, PATHS_HINT);
  if (!existsSync(abs)) {
    if (mustExist || (parts.length === 2 && !deletedLocally))
      throw new UsageError(`${quote(given)}: no such file or folder`, PATHS_HINT);
    return target;
  }
  // What is really on disk must lie inside the dashboards folder too (a link may point elsewhere).
  const real = relative(realpathSync(dir), realpathSync(abs));
  if (real.startsWith('..') || isAbsolute(real))
    throw new UsageError(`${quote(given)} leads outside the dashboards folder ${dirShown} (a symbolic link?)`);
  if (statSync(abs).isDirectory() !== (parts.length === 1))
    throw new UsageError(`${quote(given)} is neither a project folder nor a dashboard file of ${dirShown}`, PATHS_HINT);
  return target;
}

// A glob relative to the dashboards folder: `./` and the folder's own path as typed are taken off.
function folderRelativeGlob(glob: string, dirShown: string): string {
  let relativeGlob = glob.trim();
  if (relativeGlob.startsWith('./')) relativeGlob = relativeGlob.slice(2);
  if (dirShown !== '.' && relativeGlob.startsWith(`${dirShown}/`))
    relativeGlob = relativeGlob.slice(dirShown.length + 1);
  if (relativeGlob === '' || relativeGlob.startsWith('/') || relativeGlob.startsWith('../'))
    throw new UsageError(
      `exclude ${quote(glob)}: a glob is matched against paths inside the dashboards folder ${dirShown}`,
      'write it relative to that folder, e.g. --exclude "sales/old-*.yaml" or --exclude "legacy/**"',
    );
  return relativeGlob;
}

/** Throws, naming each `--project` that matches no project folder (by folder name or project id). */
export function requireSelectedFolders(
  projects: string[] | undefined,
  folders: ProjectFolder[],
  allFolders: string[],
  dirShown: string,
): void {
  const unknown = (projects ?? []).filter(
    (project) => !folders.some((folder) => folder.folder === project || folder.projectId === project),
  );
  if (unknown.length === 0) return;
  throw new UsageError(
    `--project ${unknown.map((project) => quote(project)).join(', ')}: no such project folder in ${dirShown}`,
    allFolders.length
      ? `project folders here: ${nameList([...allFolders].sort())}`
      : `${dirShown} has no project folders yet: dashsync pull brings the workspace in`,
  );
}

/**
 * For pull: throws, naming each `--project` that is neither in the workspace (in this scope) nor a
 * local project folder: there is nothing to pull into it.
 */
export function requirePullableProjects(
  projects: string[],
  projectMap: Record<string, string>,
  remote: ReadonlySet<string>,
  localFolders: ProjectFolder[],
  scope: string,
): void {
  const unknown = projects.filter((project) => {
    const id = projectIdOf(project, projectMap);
    return !remote.has(id) && !localFolders.some((folder) => folder.folder === project || folder.projectId === id);
  });
  if (unknown.length === 0) return;
  throw new UsageError(
    `--project ${unknown.map((project) => quote(project)).join(', ')}: ` +
      `no such project in the workspace (scope ${scope}), and no folder for it here`,
    remote.size
      ? `projects in the workspace: ${nameList([...remote].sort())}`
      : `the workspace holds no dashboards in scope ${scope}; is --scope right?`,
  );
}
