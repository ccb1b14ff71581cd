import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import { compareText } from '../core/compare.js';
import { runScope, WHOLE_FOLDER } from '../core/selection.js';
import type { RunScope } from '../core/selection.js';
import { definedOnly } from '../util/defined.js';
import { crossCheck } from './cross-check.js';
import { LINK_PROBLEM, yamlFilesBelow } from './dashboard-paths.js';
import type { CachedFile } from './file-cache.js';
import { displayPath } from './fsutil.js';
import { readFiles } from './read-files.js';
import type { ReadFilesOptions, ReadItem } from './read-files.js';

/** What reading the dashboards folder found. */
export interface FolderContents {
  /** Project folders present and read (the run may hold files there), with or without files. */
  folders: ProjectFolder[];
  /** The valid files in the run. */
  files: LocalFile[];
  /**
   * Valid files of the folders read that are outside the run (excluded, or beside a file target):
   * they still claim their dashboards, so the run never prunes, adopts or pulls into those.
   */
  outside: LocalFile[];
  /** Folders holding a file outside the run that could not be read: nothing there is unclaimed for sure. */
  blocked: Set<string>;
  /** Problems of the files in the run (those of files outside it are not the run's business). */
  problems: Problem[];
  /** Whether the dashboards folder exists at all. */
  exists: boolean;
  /** What to remember of every valid file, for the next read (see file-cache.ts). */
  cache: Map<string, CachedFile>;
}

/** Where and what to read. */
export interface ReadFolderOptions extends ReadFilesOptions {
  cwd: string;
  /** Absolute path of the dashboards folder. */
  dir: string;
  /** Folder name -> project id. */
  projects: Record<string, string>;
  /** Which folders are read and which files are in the run (see core/selection.ts); default all. */
  scope?: RunScope;
  /** Files read at once. */
  parallel?: number;
}

/**
 * Project id a folder stands for: its mapping under `projects:`, else its own name. Names are
 * compared in one Unicode form (NFC): macOS lists `é` in a folder name as `e` + an accent (NFD),
 * which must not make the folder another project than on Linux, or than dashsync.yaml says.
 */
export function projectIdOf(folder: string, projects: Record<string, string>): string {
  if (Object.prototype.hasOwnProperty.call(projects, folder)) return projects[folder]!;
  const nfc = folder.normalize('NFC');
  for (const [key, id] of Object.entries(projects)) if (key.normalize('NFC') === nfc) return id;
  return nfc;
}

/** True for an entry of the dashboards folder that is a project folder: a folder, not hidden (.dashsync/). */
function isProjectFolder(entry: Dirent): boolean {
  return entry.isDirectory() && !entry.name.startsWith('.');
}

/** The names of the project folders in the dashboards folder `dir`; none when it cannot be read. */
export function projectFolderNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter(isProjectFolder)
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/**
 * Reads every dashboard file under the folder, validates each and checks them against each other:
 * no two files share an id, no two id-less files in one project share a name, no two folders stand
 * for one project. Problems are collected, never thrown, in path order.
 */
export async function readFolder(opts: ReadFolderOptions): Promise<FolderContents> {
  const { cwd, dir, projects, scope = runScope(WHOLE_FOLDER) } = opts;
  const shown = (abs: string): string => displayPath(relative(cwd, abs) || '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { folders: [], files: [], outside: [], blocked: new Set(), problems: [], exists: false, cache: new Map() };

  const top = await readdir(dir, { withFileTypes: true });
  const folders: ProjectFolder[] = [];
  const folderNames = top
    .filter(isProjectFolder)
    .map((entry) => entry.name)
    .sort();
  for (const folder of folderNames) {
    const projectId = projectIdOf(folder, projects);
    if (scope.readsFolder(folder, projectId)) folders.push({ folder, projectId, path: shown(join(dir, folder)) });
  }
  const problems: Problem[] = sharedProjectProblems(folders, (folder) => shown(join(dir, folder)));
  // A project folder that is a link is never read nor written through (dashboard-paths.ts, LINK_PROBLEM).
  for (const entry of top)
    if (entry.isSymbolicLink() && !entry.name.startsWith('.') && isLinkToFolder(join(dir, entry.name)))
      if (scope.readsFolder(entry.name, projectIdOf(entry.name, projects)) && !scope.isExcluded(entry.name))
        problems.push({ path: shown(join(dir, entry.name)), line: 1, col: 1, message: LINK_PROBLEM });

  const selected = new Map(folders.map((folder) => [folder.folder, folder]));
  const items: ReadItem[] = [];
  const inRun = new Set<string>();
  for (const rel of (await yamlFilesBelow(dir, top)).sort()) {
    const parts = rel.split('/');
    const topFolder = parts[0]!;
    if (parts.length !== 2) {
      // A misplaced file is reported where the run covers the place it lies in.
      const misplaced =
        !scope.isExcluded(rel) &&
        (parts.length === 1
          ? scope.selection.paths.length === 0
          : scope.readsFolder(topFolder, projectIdOf(topFolder, projects)));
      if (misplaced) problems.push(misplacedFileProblem(shown(join(dir, rel)), { atTop: parts.length === 1 }));
      continue;
    }
    const folder = selected.get(topFolder);
    if (!folder) continue;
    const path = shown(join(dir, rel));
    items.push({ abs: join(dir, rel), path, folder });
    if (scope.hasFile(rel, folder.projectId)) inRun.add(path);
  }

  const stamps = new Map<string, CachedFile>();
  const valid: LocalFile[] = [];
  const blocked = new Set<string>();
  const blame = (found: Problem[], folderOf: (problem: Problem) => string | undefined): void => {
    for (const problem of found) {
      if (inRun.has(problem.path)) problems.push(problem);
      else blocked.add(folderOf(problem) ?? '');
    }
  };
  const folderOfPath = new Map(items.map((item) => [item.path, item.folder.folder]));
  for (const read of await readFiles(items, opts, stamps)) {
    if (Array.isArray(read)) blame(read, (problem) => folderOfPath.get(problem.path));
    else valid.push(read);
  }
  blame(crossCheck(valid), (problem) => folderOfPath.get(problem.path));
  const cache = new Map<string, CachedFile>();
  for (const file of valid)
    cache.set(file.path, {
      ...stamps.get(file.path),
      byteHash: file.byteHash,
      name: file.name,
      contentHash: file.contentHash,
      idLine: file.idPos?.line ?? 1,
      ...definedOnly({ fileId: file.fileId, deploy: file.deploy }),
    });
  problems.sort((left, right) => compareText(left.path, right.path) || left.line - right.line || left.col - right.col);
  const files = valid.filter((file) => inRun.has(file.path));
  const outside = valid.filter((file) => !inRun.has(file.path));
  return { folders, files, outside, blocked, problems, exists: true, cache };
}

// Two folders of one project would each see the other's dashboards as unclaimed (to prune): refused.
function sharedProjectProblems(folders: ProjectFolder[], shownFolder: (folder: string) => string): Problem[] {
  const problems: Problem[] = [];
  const folderByProject = new Map<string, string>();
  for (const folder of folders) {
    const other = folderByProject.get(folder.projectId);
    if (other !== undefined)
      problems.push({
        path: folder.path,
        line: 1,
        col: 1,
        message:
          `folder stands for project ${folder.projectId}, as does ${shownFolder(other)}; ` +
          'map each folder to its own project under projects:',
      });
    folderByProject.set(folder.projectId, folder.folder);
  }
  return problems;
}

// A YAML file outside `<project>/<name>.yaml` is reported, not silently ignored.
function misplacedFileProblem(path: string, { atTop }: { atTop: boolean }): Problem {
  const message = atTop
    ? 'dashboard files belong in a project folder (dashboards/<project>/<name>.yaml)'
    : 'nested folders are not read: put dashboard files directly in their project folder';
  return { path, line: 1, col: 1, message };
}

// True for a link to a folder, or a dangling link (which may be a folder elsewhere).
function isLinkToFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return true;
  }
}
