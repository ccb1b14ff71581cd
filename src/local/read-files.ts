import { lstatSync } from 'node:fs';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import type { Variables } from '../core/variables.js';
import { MAX_FILE_BYTES } from './dashboard-file.js';
import { unchangedByStamp } from './file-cache.js';
import type { CachedFile, FileStamp } from './file-cache.js';
import type { FileReading } from './file-reading.js';
import { dashboardFileHash, readDashboardFileSync } from './read-dashboard-file.js';
import type { KnownFile } from './read-dashboard-file.js';

/** How to read each file (the folder's reader passes its own options down). */
export interface ReadFilesOptions {
  /** Values for ${{ var.NAME }} placeholders. */
  variables?: Variables;
  /** Files as last read: one whose bytes are unchanged is not parsed again. */
  cache?: Map<string, CachedFile>;
  /** Drop each definition once hashed (load it later where needed): memory stays flat. */
  light?: boolean;
  /** With light: keep the definitions of files without an id (they are about to be created). */
  keepNew?: boolean;
  /** How the run's API flavour reads a file (apps: as an app); default: as it is written. */
  reading?: FileReading | undefined;
}

/** One file to read: its absolute path, its display path and the project folder it is in. */
export interface ReadItem {
  abs: string;
  path: string;
  folder: ProjectFolder;
}

// Files read between two yields to the event loop: a long read still lets timers, signals and I/O run.
const FILES_PER_YIELD = 500;

/**
 * Reads the files, in order; a file unchanged since the cache was written is not parsed. Records
 * the stat of each file in `stamps`, for the next cache. Synchronous reads: for many small files
 * they cost a tenth of asynchronous ones (no thread-pool round trips). (Parsing in worker threads
 * was measured too: on this 2-core machine it gained 4% for 40% more memory, so it is not done.)
 */
export async function readFiles(
  items: ReadItem[],
  opts: ReadFilesOptions,
  stamps: Map<string, CachedFile>,
): Promise<Array<LocalFile | Problem[]>> {
  const results: Array<LocalFile | Problem[]> = [];
  // Each folder is checked once a pass (not a link), not once a file.
  const plainFolders = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const cached = opts.cache?.get(item.path);
    const stamp = statOf(item.abs);
    const known = { plainFolders, lstatSize: stamp?.regular ? stamp.size : undefined };
    const unchanged = cached !== undefined && stamp !== undefined && unchangedByStamp(cached, stamp);
    if (stamp) {
      const checkedNs = unchanged ? cached.checkedNs! : String(BigInt(Date.now()) * 1_000_000n);
      stamps.set(item.path, {
        byteHash: '',
        name: '',
        contentHash: '',
        idLine: 1,
        size: stamp.size,
        mtimeNs: String(stamp.mtimeNs),
        ctimeNs: String(stamp.ctimeNs),
        ino: String(stamp.ino),
        checkedNs,
      });
    }
    const fromCache = cached && opts.light ? readCachedSync(item, cached, { unchanged, known }) : undefined;
    if (fromCache) results.push(fromCache);
    else {
      const read = readDashboardFileSync(item.abs, item.path, item.folder, opts.variables, opts.reading, known);
      const keepDefinition = Array.isArray(read) || !opts.light || (opts.keepNew && read.fileId === undefined);
      results.push(keepDefinition ? read : lighten(read));
    }
    if (i % FILES_PER_YIELD === FILES_PER_YIELD - 1) await new Promise<void>((resume) => setImmediate(resume));
  }
  return results;
}

// The file's size, times and inode (of a link, the link's own: it never passes for its target),
// and whether it is a regular file; undefined when it cannot be read (the read then reports why).
function statOf(abs: string): (FileStamp & { regular: boolean }) | undefined {
  try {
    const stat = lstatSync(abs, { bigint: true });
    const regular = stat.isFile();
    return { size: Number(stat.size), mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, regular };
  } catch {
    return undefined;
  }
}

/** The file without its definition and template (known by its hash). */
function lighten(file: LocalFile): LocalFile {
  const { definition: _definition, template: _template, ...rest } = file;
  void _definition;
  void _template;
  return rest;
}

/**
 * A file whose bytes match the cache: known without parsing. `unchanged` when its stat alone
 * proves it (see unchangedByStamp); else its bytes are hashed. Undefined when it has changed.
 */
function readCachedSync(
  item: ReadItem,
  cached: CachedFile,
  { unchanged, known }: { unchanged: boolean; known: KnownFile },
): LocalFile | undefined {
  if (!unchanged) {
    let read: { hash: string; size: number };
    try {
      read = dashboardFileHash(item.abs, known);
    } catch {
      return undefined;
    }
    if (read.size > MAX_FILE_BYTES || read.hash !== cached.byteHash) return undefined;
  }
  const id = cached.fileId !== undefined ? { id: cached.fileId, fileId: cached.fileId } : {};
  return {
    path: item.path,
    folder: item.folder.folder,
    projectId: item.folder.projectId,
    ...id,
    byteHash: cached.byteHash,
    name: cached.name,
    contentHash: cached.contentHash,
    idPos: { line: cached.idLine, col: 1 },
    // A file known by its bytes keeps its own steps (publish:, bookmark:), which are not content.
    ...(cached.deploy ? { deploy: cached.deploy } : {}),
  };
}
