import { loadPicomatch } from '../util/lazy.js';
import { slugify } from './slug.js';

/*
 * Which files and dashboards a run is about, as one value, and the one place that answers "is this
 * file, this project, this remote dashboard in the run?". Every command, the saved plan and every
 * prune guard ask it here: a file or a dashboard outside the run is invisible to it (never pruned,
 * adopted, listed as unmanaged or pulled into), so a filter cannot hide a file yet expose its
 * dashboard.
 */

/** What a run was asked to cover. Paths and globs are relative to the dashboards folder, with `/`. */
export interface Selection {
  /** `--project`: folder names or project ids; empty: every project. */
  projects: string[];
  /** Positional targets: a project folder (`sales`) or a dashboard file (`sales/revenue.yaml`); empty: all. */
  paths: string[];
  /** `--exclude` and `exclude:` globs (fast-glob/picomatch syntax); a glob that matches a folder excludes what is in it. */
  excludes: string[];
}

/** The selection of a run given nothing: every file of every project. */
export const WHOLE_FOLDER: Selection = { projects: [], paths: [], excludes: [] };

/** The questions a run asks of its selection. Folders are names under the dashboards folder. */
export interface RunScope {
  readonly selection: Selection;
  /** Does an exclude glob match this path (relative to the dashboards folder) or a folder above it? */
  isExcluded(rel: string): boolean;
  /** May this project folder hold a file of the run (so it is read)? */
  readsFolder(folder: string, projectId: string): boolean;
  /** Is the file at `rel` (`folder/name.yaml`) in the run? */
  hasFile(rel: string, projectId: string): boolean;
  /** Is the whole project in the run (no file target narrows it, no exclude covers its folder)? */
  hasProject(folder: string, projectId: string): boolean;
  /**
   * Is a remote dashboard that no file claims in the run? Only where its whole project is, and the
   * file pull would write it to (`folder/<slug of its name>.yaml`) is not excluded: what pull would
   * not write, apply never prunes.
   */
  hasUnclaimed(dashboard: { name: string }, folder: string, projectId: string): boolean;
}

/** A file's path relative to the dashboards folder, from its project folder and its display path. */
export function relativeToFolder(file: { folder: string; path: string }): string {
  return `${file.folder}/${file.path.slice(file.path.lastIndexOf('/') + 1)}`;
}

/**
 * The selection's answers. `blocked`: project folders holding a file outside the run that could not
 * be read: any of their dashboards may be that file's, so none that no file claims is in the run.
 */
export function runScope(selection: Selection, blocked: ReadonlySet<string> = new Set()): RunScope {
  const excluded = excludeMatcher(selection.excludes);
  const folderTargets = new Set(selection.paths.filter((path) => !path.includes('/')));
  const fileTargets = new Set(selection.paths.filter((path) => path.includes('/')));
  const targetFolders = new Set(selection.paths.map((path) => path.split('/')[0]!));
  // --project names a folder or the project id it maps to, compared in one Unicode form (NFC): a
  // folder macOS lists in NFD is the same project as the name typed.
  const picked = new Set(selection.projects.flatMap((name) => [name, name.normalize('NFC')]));
  const projectPicked = (folder: string, projectId: string): boolean =>
    picked.size === 0 || picked.has(folder) || picked.has(folder.normalize('NFC')) || picked.has(projectId);
  const hasProject = (folder: string, projectId: string): boolean =>
    projectPicked(folder, projectId) &&
    (selection.paths.length === 0 || folderTargets.has(folder)) &&
    !excluded(folder) &&
    !blocked.has(folder);
  return {
    selection,
    isExcluded: excluded,
    readsFolder: (folder, projectId) =>
      projectPicked(folder, projectId) && (selection.paths.length === 0 || targetFolders.has(folder)),
    hasFile: (rel, projectId) => {
      const folder = rel.slice(0, rel.indexOf('/'));
      if (!projectPicked(folder, projectId) || excluded(rel)) return false;
      return selection.paths.length === 0 || folderTargets.has(folder) || fileTargets.has(rel);
    },
    hasProject,
    hasUnclaimed: (dashboard, folder, projectId) =>
      hasProject(folder, projectId) && !excluded(`${folder}/${slugify(dashboard.name)}.yaml`),
  };
}

/** True when a glob matches the path or one of the folders above it (as .gitignore treats folders). */
function excludeMatcher(globs: string[]): (rel: string) => boolean {
  if (globs.length === 0) return () => false;
  const picomatch = loadPicomatch();
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  return (rel) => {
    const parts = rel.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const prefix = parts.slice(0, depth).join('/');
      if (matchers.some((matches) => matches(prefix))) return true;
    }
    return false;
  };
}

/** The selection in a fixed order, so that two made from the same arguments compare equal. */
export function normalSelection(selection: Selection): Selection {
  const sorted = (items: string[]): string[] => [...new Set(items)].sort();
  return {
    projects: sorted(selection.projects),
    paths: sorted(selection.paths),
    excludes: sorted(selection.excludes),
  };
}

/** True when two selections cover the same files and dashboards, argument for argument. */
export function sameSelection(left: Selection, right: Selection): boolean {
  return JSON.stringify(normalSelection(left)) === JSON.stringify(normalSelection(right));
}

/** A selection as messages name it: `--project sales, paths sales/a.yaml, --exclude old/**`, or `everything`. */
export function describeSelection(selection: Selection): string {
  const { projects, paths, excludes } = normalSelection(selection);
  const parts = [
    ...(projects.length ? [`--project ${projects.join(', ')}`] : []),
    ...(paths.length ? [`paths ${paths.join(', ')}`] : []),
    ...(excludes.length ? [`excludes ${excludes.join(', ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'the whole folder';
}

/**
 * A scope whose files are those `inRun` says, and that covers every dashboard no file claims:
 * migrate's, whose "files" are the source's dashboards, some of them held out of the run so that
 * their copies in the target are not pruned either.
 */
export function filesOnlyScope(inRun: (rel: string) => boolean): RunScope {
  return {
    selection: WHOLE_FOLDER,
    isExcluded: () => false,
    readsFolder: () => true,
    hasFile: (rel) => inRun(rel),
    hasProject: () => true,
    hasUnclaimed: () => true,
  };
}
