import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import { compareText } from '../core/compare.js';
import { definedOnly } from '../util/defined.js';
import { crossCheck } from './cross-check.js';
import { LINK_PROBLEM, yamlFilesBelow } from './dashboard-paths.js';
import type { CachedFile } from './file-cache.js';
import { displayPath } from './fsutil.js';
import { readFiles } from './read-files.js';
import type { ReadFilesOptions, ReadItem } from './read-files.js';

/** What reading the dashboards folder found. */
export interface FolderContents {
  /** Project folders present (and selected), with or without files. */
  folders: ProjectFolder[];
  files: LocalFile[];
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
  /** Limit to these folders (names or mapped project ids); all when absent or empty. */
  only?: string[];
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

/** True when the folder is selected by --project (a folder name or the project id it maps to). */
export function isSelected(folder: string, projectId: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  const names = new Set([folder, folder.normalize('NFC'), projectId]);
  return only.some((name) => names.has(name) || names.has(name.normalize('NFC')));
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
  const { cwd, dir, projects, only } = opts;
  const shown = (abs: string): string => displayPath(relative(cwd, abs) || '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { folders: [], files: [], problems: [], exists: false, cache: new Map() };

  const top = await readdir(dir, { withFileTypes: true });
  const folders: ProjectFolder[] = [];
  const folderNames = top
    .filter(isProjectFolder)
    .map((entry) => entry.name)
    .sort();
  for (const folder of folderNames) {
    const projectId = projectIdOf(folder, projects);
    if (isSelected(folder, projectId, only)) folders.push({ folder, projectId, path: shown(join(dir, folder)) });
  }
  const problems: Problem[] = sharedProjectProblems(folders, (folder) => shown(join(dir, folder)));
  // A project folder that is a link is never read nor written through (dashboard-paths.ts, LINK_PROBLEM).
  for (const entry of top)
    if (entry.isSymbolicLink() && !entry.name.startsWith('.') && isLinkToFolder(join(dir, entry.name)))
      if (isSelected(entry.name, projectIdOf(entry.name, projects), only))
        problems.push({ path: shown(join(dir, entry.name)), line: 1, col: 1, message: LINK_PROBLEM });

  const selected = new Map(folders.map((folder) => [folder.folder, folder]));
  const items: ReadItem[] = [];
  for (const rel of (await yamlFilesBelow(dir, top)).sort()) {
    const parts = rel.split('/');
    if (parts.length !== 2) {
      const topFolder = parts[0]!;
      const misplaced = parts.length === 1 || isSelected(topFolder, projectIdOf(topFolder, projects), only);
      if (misplaced) problems.push(misplacedFileProblem(shown(join(dir, rel)), { atTop: parts.length === 1 }));
      continue;
    }
    const folder = selected.get(parts[0]!);
    if (folder) items.push({ abs: join(dir, rel), path: shown(join(dir, rel)), folder });
  }

  const stamps = new Map<string, CachedFile>();
  const files: LocalFile[] = [];
  for (const read of await readFiles(items, opts, stamps)) {
    if (Array.isArray(read)) problems.push(...read);
    else files.push(read);
  }
  problems.push(...crossCheck(files));
  const cache = new Map<string, CachedFile>();
  for (const file of files)
    cache.set(file.path, {
      ...stamps.get(file.path),
      byteHash: file.byteHash,
      name: file.name,
      contentHash: file.contentHash,
      idLine: file.idPos?.line ?? 1,
      ...definedOnly({ fileId: file.fileId }),
    });
  problems.sort((left, right) => compareText(left.path, right.path) || left.line - right.line || left.col - right.col);
  return { folders, files, problems, exists: true, cache };
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
