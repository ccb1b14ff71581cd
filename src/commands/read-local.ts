import { resolve } from 'node:path';
import type { RunScope } from '../core/selection.js';
import type { LocalFile } from '../core/types.js';
import { UsageError } from '../errors.js';
import { cacheFingerprint, keepUnreadEntries, loadFileCache, saveFileCache } from '../local/file-cache.js';
import { readFolder } from '../local/folder.js';
import { yamlFilesBelow } from '../local/dashboard-paths.js';
import { nameList } from '../core/words.js';
import type { FolderContents } from '../local/folder.js';
import { readDashboardFile } from '../local/read-dashboard-file.js';
import { VERSION } from '../version.js';
import type { Context, RemoteContext } from './open-run.js';
import { dashboardFiles } from './open-run.js';
import { readdir, readFile } from 'node:fs/promises';
import { writeIdToFile } from '../local/writeback.js';

/*
 * Reading the dashboards folder as a run sees it: with the run's settings, through the file cache
 * (local/file-cache.ts), and with the ids the workspace at hand knows the files by.
 */

/** How to read the dashboards folder. */
export interface ReadLocalOptions {
  /** Which folders are read and which of their files are in the run; default all. */
  scope?: RunScope | undefined;
  /** Drop definitions once hashed; load them with loadFile() where needed. */
  light?: boolean;
  /** With light: keep the definitions of files without an id (they are about to be created). */
  keepNew?: boolean;
  /** Say nothing of a selection that leaves no file (watch reads again at every save: it said so at start). */
  quiet?: boolean;
}

/** The fingerprint the file cache keeps this run's reads under: the version and what reading depends on. */
export function fileCacheFingerprint(ctx: Context): string {
  return cacheFingerprint(VERSION, ctx.flavour.readingKey());
}

/**
 * Reads the dashboards folder with the context's settings (project map, variables) and the run's scope,
 * parsing only files whose bytes changed since the last read.
 */
export async function readLocal(ctx: Context, options: ReadLocalOptions = {}): Promise<FolderContents> {
  const { scope, light = false, keepNew = false, quiet = false } = options;
  const { settings } = ctx;
  const fingerprint = fileCacheFingerprint(ctx);
  // Files read at a ref (--ref) are another folder's: the working tree's cache is neither used nor changed.
  const cache = ctx.snapshot ? new Map() : await loadFileCache(settings.root, fingerprint);
  const contents = await readFolder({
    cwd: ctx.cwd,
    dir: settings.dir,
    projects: settings.projects,
    variables: settings.variables,
    reading: ctx.flavour.reading,
    cache,
    light,
    keepNew,
    ...(scope ? { scope } : {}),
  });
  ctx.fileCache = contents.cache;
  if (scope && !quiet) await warnIfAllExcluded(ctx, scope, contents);
  // No folder, nothing to remember: a run in the wrong directory leaves no .dashsync behind.
  if (ctx.snapshot || !contents.exists) return contents;
  // Remember what was read (merged with what the selection left unread), for the next run; best effort.
  keepUnreadEntries(
    contents.cache,
    cache,
    [...contents.files, ...contents.outside].map((file) => file.path),
  );
  await saveFileCache(settings.root, fingerprint, contents.cache).catch((e: unknown) =>
    ctx.reporter.debug(`file cache not saved: ${String(e)}`),
  );
  return contents;
}

// Exclude globs that leave none of the folder's files in the run are most likely a mistake (the run
// then plans, applies or pulls nothing for them): said, with how many files there are.
async function warnIfAllExcluded(ctx: Context, scope: RunScope, contents: FolderContents): Promise<void> {
  const { excludes } = scope.selection;
  if (!excludes.length || !contents.exists || contents.files.length || contents.problems.length) return;
  const top = await readdir(ctx.settings.dir, { withFileTypes: true }).catch(() => []);
  const all = (await yamlFilesBelow(ctx.settings.dir, top).catch(() => [])).length;
  if (all)
    ctx.reporter.warn(
      `the exclude globs (${nameList(excludes)}) leave none of the ${all} dashboard file${all === 1 ? '' : 's'} in ${ctx.dirShown} in this run`,
    );
}

/** A file with its definition loaded (read again from disk); an error if it changed meanwhile. */
export async function loadFile(ctx: Context, file: LocalFile): Promise<LocalFile> {
  if (file.definition) return file;
  const reread = await readDashboardFile(
    resolve(ctx.cwd, file.path),
    file.path,
    { folder: file.folder, projectId: file.projectId, path: '' },
    ctx.settings.variables,
    ctx.flavour.reading,
  );
  if (Array.isArray(reread) || reread.byteHash !== file.byteHash)
    throw new UsageError(`${file.path} changed while dashsync was reading it`, 'run the command again');
  return { ...reread, ...(file.id !== undefined ? { id: file.id } : {}) };
}

/**
 * Files with their ids as this workspace knows them (the id map applied); the files' own ids kept in
 * fileId. A file without an id whose id watch kept aside (pending-ids.ts) has that id.
 */
export function withWorkspaceIds(ctx: RemoteContext, files: LocalFile[]): LocalFile[] {
  return files.map((file) => {
    const kept = file.fileId === undefined ? ctx.pendingIds.get(file.path) : undefined;
    if (kept !== undefined) return { ...file, fileId: kept, id: ctx.idmap.resolve(kept) };
    if (file.fileId === undefined) return file;
    const id = ctx.idmap.resolve(file.fileId);
    return id === file.fileId ? file : { ...file, id };
  });
}

/**
 * Writes the ids watch kept aside into their files (a command that writes files is running), and
 * forgets them; the id of a file that is gone, or that holds an id of its own by now, is forgotten.
 */
export async function writePendingIds(ctx: RemoteContext): Promise<void> {
  for (const path of ctx.pendingIds.paths()) {
    const id = ctx.pendingIds.get(path)!;
    const abs = resolve(ctx.cwd, path);
    const text = await readFile(abs, 'utf8').catch(() => undefined);
    // Only into a file that holds no top-level id of its own; the folder is read after this.
    if (text !== undefined && !/^\uFEFF?["']?id["']?[ ]*:/m.test(text))
      await writeIdToFile(abs, id, dashboardFiles(ctx));
    await ctx.pendingIds.forget(path);
  }
}
