import { closeSync, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import type { ProjectFolder } from '../core/types.js';
import type { LocalFile, Problem } from '../core/types.js';
import type { Variables } from '../core/variables.js';
import { contentHash } from '../core/canonical.js';
import { appFileContent } from '../core/app.js';
import type { AppReading } from '../core/app.js';
import { appContentProblems } from './app-validation.js';
import { byteHash, MAX_FILE_BYTES, readDashboardBytes } from './dashboard-file.js';
import { unchangedByStamp } from './file-cache.js';
import type { CachedFile, FileStamp } from './file-cache.js';
import { displayPath } from './fsutil.js';

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
export interface ReadFolderOptions {
  cwd: string;
  /** Absolute path of the dashboards folder. */
  dir: string;
  /** Folder name -> project id. */
  projects: Record<string, string>;
  /** Limit to these folders (names or mapped project ids); all when absent or empty. */
  only?: string[];
  /** Files read at once. */
  parallel?: number;
  /** Values for ${{ var.NAME }} placeholders. */
  variables?: Variables;
  /** Files as last read: one whose bytes are unchanged is not parsed again. */
  cache?: Map<string, CachedFile>;
  /** Drop each definition once hashed (load it later where needed): memory stays flat. */
  light?: boolean;
  /** With light: keep the definitions of files without an id (they are about to be created). */
  keepNew?: boolean;
  /** In apps mode: definitions are read as apps (see appFileContent). */
  app?: AppReading | undefined;
}

/** Project id a folder stands for: its mapping under `projects:`, else its own name. */
export function projectIdOf(folder: string, projects: Record<string, string>): string {
  return Object.prototype.hasOwnProperty.call(projects, folder) ? projects[folder]! : folder;
}

/** True when the folder is selected by --project (a folder name or the project id it maps to). */
export function isSelected(folder: string, projectId: string, only: string[] | undefined): boolean {
  return !only || only.length === 0 || only.includes(folder) || only.includes(projectId);
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

  const problems: Problem[] = [];
  const folders: ProjectFolder[] = [];
  const top = await readdir(dir, { withFileTypes: true });
  const folderNames = top
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const folder of folderNames) {
    const projectId = projectIdOf(folder, projects);
    if (isSelected(folder, projectId, only)) folders.push({ folder, projectId, path: shown(join(dir, folder)) });
  }
  const byProject = new Map<string, string>();
  for (const f of folders) {
    const other = byProject.get(f.projectId);
    if (other !== undefined)
      problems.push({
        path: f.path,
        line: 1,
        col: 1,
        message: `folder stands for project ${f.projectId}, as does ${shown(join(dir, other))}; map each folder to its own project under projects:`,
      });
    byProject.set(f.projectId, f.folder);
  }

  const entries = (await yamlFilesBelow(dir, top)).sort();
  const selected = new Map(folders.map((f) => [f.folder, f]));
  const work: Array<{ rel: string; folder: ProjectFolder }> = [];
  for (const rel of entries) {
    const parts = rel.split('/');
    if (parts.length !== 2) {
      const top = parts[0]!;
      if (parts.length === 1 || isSelected(top, projectIdOf(top, projects), only)) {
        problems.push({
          path: shown(join(dir, rel)),
          line: 1,
          col: 1,
          message:
            parts.length === 1
              ? 'dashboard files belong in a project folder (dashboards/<project>/<name>.yaml)'
              : 'nested folders are not read: put dashboard files directly in their project folder',
        });
      }
      continue;
    }
    const folder = selected.get(parts[0]!);
    if (folder) work.push({ rel, folder });
  }

  const items: ReadItem[] = work.map(({ rel, folder }) => {
    const abs = join(dir, rel);
    return { abs, path: shown(abs), folder };
  });
  const stamps = new Map<string, CachedFile>();
  const results = await readMany(items, opts, stamps);
  const files: LocalFile[] = [];
  for (const r of results) {
    if (Array.isArray(r)) problems.push(...r);
    else files.push(r);
  }
  const good = files;

  problems.push(...crossCheck(good));
  const cache = new Map<string, CachedFile>();
  for (const f of good)
    cache.set(f.path, {
      ...stamps.get(f.path),
      byteHash: f.byteHash,
      name: f.name,
      contentHash: f.contentHash,
      idLine: f.idPos?.line ?? 1,
      ...(f.fileId !== undefined ? { fileId: f.fileId } : {}),
    });
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.col - b.col));
  return { folders, files: good, problems, exists: true, cache };
}

/** The file without its definition and template (known by its hash). */
function lighten(f: LocalFile): LocalFile {
  const { definition: _d, template: _t, ...rest } = f;
  void _d;
  void _t;
  return rest;
}

/** Reads and validates one dashboard file of a project folder; its problems when it is not valid. */
export async function readDashboardFile(
  abs: string,
  path: string,
  folder: ProjectFolder,
  variables?: Variables,
  app?: AppReading,
): Promise<LocalFile | Problem[]> {
  return readDashboardFileSync(abs, path, folder, variables, app);
}

/** One file to read. */
export interface ReadItem {
  abs: string;
  path: string;
  folder: ProjectFolder;
}

/**
 * Reads the files, in order; a file unchanged since the cache was written is not parsed.
 * Synchronous reads: for many small files they cost a tenth of asynchronous ones (no thread-pool
 * round trips). (Parsing in worker threads was measured too: on this 2-core machine it gained 4%
 * for 40% more memory, so it is not done.)
 */
async function readMany(
  items: ReadItem[],
  opts: ReadFolderOptions,
  stamps: Map<string, CachedFile>,
): Promise<Array<LocalFile | Problem[]>> {
  const out: Array<LocalFile | Problem[]> = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const cached = opts.cache?.get(it.path);
    let stamp: FileStamp | undefined;
    try {
      const st = statSync(it.abs, { bigint: true });
      stamp = { size: Number(st.size), mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino };
    } catch {
      stamp = undefined;
    }
    const byStamp = cached !== undefined && stamp !== undefined && unchangedByStamp(cached, stamp);
    if (stamp)
      stamps.set(it.path, {
        byteHash: '',
        name: '',
        contentHash: '',
        idLine: 1,
        size: stamp.size,
        mtimeNs: String(stamp.mtimeNs),
        ctimeNs: String(stamp.ctimeNs),
        ino: String(stamp.ino),
        checkedNs: byStamp ? cached.checkedNs! : String(BigInt(Date.now()) * 1_000_000n),
      });
    const hit = cached && opts.light ? readCachedSync(it, cached, byStamp) : undefined;
    if (hit) out.push(hit);
    else {
      const r = readDashboardFileSync(it.abs, it.path, it.folder, opts.variables, opts.app);
      out.push(Array.isArray(r) || !opts.light || (opts.keepNew && r.fileId === undefined) ? r : lighten(r));
    }
    if (i % 500 === 499) await new Promise<void>((res) => setImmediate(res));
  }
  return out;
}

// A file whose bytes match the cache: known without parsing.
function readCachedSync(it: ReadItem, cached: CachedFile, unchanged: boolean): LocalFile | undefined {
  if (!unchanged) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(it.abs);
    } catch {
      return undefined;
    }
    if (bytes.length > MAX_FILE_BYTES || byteHash(bytes) !== cached.byteHash) return undefined;
  }
  const id = cached.fileId !== undefined ? { id: cached.fileId, fileId: cached.fileId } : {};
  return {
    path: it.path,
    folder: it.folder.folder,
    projectId: it.folder.projectId,
    ...id,
    byteHash: cached.byteHash,
    name: cached.name,
    contentHash: cached.contentHash,
    idPos: { line: cached.idLine, col: 1 },
  };
}

/** Reads and validates one file, synchronously (see readMany for why synchronously). */
export function readDashboardFileSync(
  abs: string,
  path: string,
  folder: ProjectFolder,
  variables?: Variables,
  app?: AppReading,
): LocalFile | Problem[] {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    // Never read a huge file into memory just to refuse it.
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES)
      return [
        {
          path,
          line: 1,
          col: 1,
          message: `file is ${(size / 1048576).toFixed(1)} MB, more than the ${MAX_FILE_BYTES / 1048576} MB a dashboard file may be`,
        },
      ];
    bytes = readFileSync(fd);
  } catch (e) {
    return [{ path, line: 1, col: 1, message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const r = readDashboardBytes(bytes, path, variables);
  if (!r.ok) return r.problems;
  if (app) {
    // An invalid app stops plan, apply and watch before any request, like any invalid file.
    const problems = appContentProblems(path, bytes, r.content);
    if (problems.length) return problems;
    r.content = appFileContent(r.content, folder.folder, folder.projectId, app);
  }
  return {
    contentHash: contentHash(r.content),
    path,
    folder: folder.folder,
    projectId: folder.projectId,
    byteHash: r.byteHash,
    idPos: r.idPos,
    ...(r.template ? { template: r.template } : {}),
    ...r.content,
    ...(r.content.id !== undefined ? { fileId: r.content.id } : {}),
  };
}

/**
 * Checks files against each other: no two share an id, no two id-less files of one project share
 * a name (dashsync could not tell which dashboard each is). The later file in path order is blamed.
 */
export function crossCheck(files: LocalFile[]): Problem[] {
  const problems: Problem[] = [];
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const at = f.idPos ?? { line: 1, col: 1 };
    if (f.fileId !== undefined) {
      const other = ids.get(f.fileId);
      if (other)
        problems.push({
          path: f.path,
          ...at,
          message: `id ${f.fileId} is also in ${other}; each dashboard must have one file`,
        });
      else ids.set(f.fileId, f.path);
    } else {
      const key = `${f.projectId}\u0000${f.name}`;
      const other = names.get(key);
      if (other)
        problems.push({
          path: f.path,
          ...at,
          message: `${other} has the same name ${JSON.stringify(f.name)} and neither has an id: dashsync cannot tell which remote dashboard each one is; rename one or add ids`,
        });
      else names.set(key, f.path);
    }
  }
  return problems;
}

const YAML_FILE = /\.ya?ml$/;

/**
 * Paths (relative, with `/`) of the YAML files under the folder, dotfiles and dot-folders left out,
 * symbolic links not followed. Project folders are read in full; deeper folders only to report them.
 */
/**
 * True for the path (relative to the dashboards folder, `/`-separated) of a file that readFolder
 * reads as a dashboard: `<project>/<name>.yaml`, nothing hidden. Watch filters its events with it.
 */
export function isDashboardPath(rel: string): boolean {
  const parts = rel.split('/');
  return parts.length === 2 && !parts.some((p) => p.startsWith('.')) && YAML_FILE.test(parts[1]!);
}

async function yamlFilesBelow(dir: string, top: Dirent[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string, entries: Dirent[], depth: number): Promise<void> => {
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isFile() && YAML_FILE.test(e.name)) out.push(p);
      else if (e.isDirectory() && depth < 4)
        await walk(p, await readdir(join(dir, p), { withFileTypes: true }), depth + 1);
    }
  };
  await walk('', top, 0);
  return out;
}
