import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { appReading, readingDependsOn } from '../config/app-projects.js';
import { requireRemote, resolveSettings } from '../config/resolve.js';
import type { GlobalFlags, Settings } from '../config/resolve.js';
import type { LocalFile } from '../core/types.js';
import { readFolder } from '../local/folder.js';
import { readDashboardFile } from '../local/read-dashboard-file.js';
import { cacheFingerprint, loadFileCache, saveFileCache } from '../local/file-cache.js';
import type { CachedFile } from '../local/file-cache.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import type { FolderContents } from '../local/folder.js';
import { displayPath, removeLeftoverTemps } from '../local/fsutil.js';
import type { Fence } from '../local/fsutil.js';
import { IdMap } from '../local/idmap.js';
import { acquireLock } from '../local/lock.js';
import { BINDING_PATH, bindSettings, loadBinding, saveBinding } from '../local/binding.js';
import { STATE_DIR, loadState, workspaceKey } from '../local/state.js';
import type { StateEntry, SyncState } from '../local/state.js';
import { DashboardsClient } from '../remote/client.js';
import type { DashboardsApi } from '../remote/client.js';
import { silentReporter } from './events.js';
import type { Reporter } from './events.js';
import type { Workspace } from '../core/types.js';

/** Options every command takes. All optional: a library caller may pass only what it needs. */
export interface CommonOptions {
  /** Working directory; default process.cwd(). */
  cwd?: string;
  /** The global flags: url, token, scope, dir, config, env, concurrency, debug. */
  flags?: GlobalFlags;
  /** Environment variables to read settings from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Limit to these project folders (folder names or project ids). */
  projects?: string[];
  /** An API client to use instead of one built from the settings (tests, scripts). */
  client?: DashboardsApi;
  /** Where human output goes; default: nowhere. */
  reporter?: Reporter;
}

/** Everything a command works with once settings are resolved. */
export interface Context {
  cwd: string;
  settings: Settings;
  reporter: Reporter;
  /** The dashboards folder as shown to users, e.g. `dashboards`. */
  dirShown: string;
  /** The file cache as this run read and saved it (kept so that it is loaded once per run). */
  fileCache?: Map<string, CachedFile>;
}

/** A context with a workspace: the client, and that workspace's slice of the sync state. */
export interface RemoteContext extends Context {
  client: DashboardsApi;
  url: string;
  state: SyncState;
  /** This workspace's key in the state. */
  workspaceKey: string;
  /**
   * This workspace's entries in the sync state, by dashboard id: what both sides held at the last
   * sync (mutable: commands record into it).
   */
  synced: Record<string, StateEntry>;
  /** This workspace's ids for file ids, where it gave other ids than the files hold. */
  idmap: IdMap;
  /**
   * Files whose id was written back during this run: path -> new byte hash and id; `edited` when the
   * file had been edited since it was planned (its cache entry is then dropped, so it is read again).
   */
  written: Map<string, { byteHash: string; fileId: string; edited?: boolean }>;
  /** Where atomic writes of dashboard files keep their temporary files (inside .dashsync/). */
  tmpDir: string;
  /** Closes the client if this context made it. */
  close(): Promise<void>;
}

/** The workspace a context talks to, as plans and results name it (never the token). */
export function workspaceOf(ctx: RemoteContext): Workspace {
  return {
    url: ctx.url,
    scope: ctx.settings.scope,
    api: ctx.settings.api,
    ...(ctx.settings.env ? { env: ctx.settings.env } : {}),
  };
}

/**
 * Where dashboard files are written: inside the dashboards folder (no link followed below it), with
 * temporary files in .dashsync/tmp.
 */
export function dashboardFiles(ctx: RemoteContext): { fence: Fence; tmpDir: string } {
  return { fence: { folder: ctx.settings.dir, linkAllowed: true }, tmpDir: ctx.tmpDir };
}

/** Resolves settings, and hands their warnings to the reporter. */
export function openLocal(options: CommonOptions): Context {
  const cwd = options.cwd ?? process.cwd();
  const reporter = options.reporter ?? silentReporter;
  const settings = resolveSettings(options.flags ?? {}, cwd, options.env ?? process.env);
  for (const warning of settings.warnings) reporter.warn(warning);
  return { cwd, settings, reporter, dirShown: displayPath(relative(cwd, settings.dir) || '.') };
}

/**
 * Resolves settings, builds the client (unless given) and loads the sync state. With `lock` (the
 * command's name), takes the folder's lock first, released by close().
 */
export async function openRemote(
  options: CommonOptions,
  lock?: string,
  use: { folder: boolean } = { folder: true },
): Promise<RemoteContext> {
  const ctx = openLocal(options);
  // A folder remembers the scope and api it is synced with (migrate has no folder).
  const bound = use.folder && ctx.settings.url ? await loadBinding(ctx.settings.root, ctx.settings.url) : undefined;
  ctx.settings = bindSettings(ctx.settings, bound, ctx.dirShown);
  if (bound && !ctx.settings.chosen.scope)
    ctx.reporter.debug(`scope ${bound.scope} and api ${bound.api}: remembered in ${BINDING_PATH}`);
  const { settings, reporter } = ctx;
  let client = options.client;
  let url = settings.url ?? 'injected-client';
  // Only a client made here is closed here: an injected one belongs to the caller.
  let ownClient = false;
  if (!client) {
    const remote = requireRemote(settings);
    url = remote.url;
    client = new DashboardsClient({
      baseUrl: remote.url,
      token: remote.token,
      scope: settings.scope,
      api: settings.api,
      concurrency: settings.concurrency,
      retry: settings.retry,
      requestTimeoutMs: settings.timeoutMs,
      onDebug: (line) => reporter.debug(line),
      ...(settings.tokenSource !== undefined ? { tokenSource: settings.tokenSource } : {}),
    });
    ownClient = true;
  }
  // The lock comes before reading the state, so the state read is the one the last holder wrote.
  let release = async (): Promise<void> => {};
  if (lock) {
    try {
      release = await acquireLock(settings.root, lock, lockWaitMs(options.env ?? process.env));
    } catch (e) {
      if (ownClient) await client.close();
      throw e;
    }
  }
  const tmpDir = join(settings.root, STATE_DIR, 'tmp');
  // Holding the lock, no other writer is live: what a killed run left is litter.
  if (lock) await removeLeftoverTemps(tmpDir, [settings.root, ...projectDirs(settings.dir)]);
  const state = await loadState(settings.root);
  const key = workspaceKey(url, settings.scope);
  const synced = (state.workspaces[key] ??= {});
  const idmap = await IdMap.load(settings.root, settings.env ?? 'default');
  // Narrowed once, for the close() below: `client` is a let, which a closure does not narrow.
  const openedClient = client;
  return {
    ...ctx,
    client: openedClient,
    url,
    state,
    workspaceKey: key,
    synced,
    idmap,
    written: new Map(),
    tmpDir,
    close: async () => {
      // Once a pull, apply or watch has synced something, the folder is bound to this scope and api.
      if (use.folder && lock && Object.keys(synced).length > 0)
        await saveBinding(settings.root, url, { scope: settings.scope, api: settings.api }).catch((e: unknown) =>
          reporter.debug(`binding not saved: ${String(e)}`),
        );
      await release();
      if (ownClient) await openedClient.close();
    },
  };
}

/** How to read the dashboards folder. */
export interface ReadLocalOptions {
  /** Only these project folders (folder names or project ids); default all. */
  projects?: string[] | undefined;
  /** Drop definitions once hashed; load them with loadFile() where needed. */
  light?: boolean;
  /** With light: keep the definitions of files without an id (they are about to be created). */
  keepNew?: boolean;
}

/**
 * Reads the dashboards folder with the context's settings (project map, variables, --project),
 * parsing only files whose bytes changed since the last read.
 */
export async function readLocal(ctx: Context, options: ReadLocalOptions = {}): Promise<FolderContents> {
  const { projects, light = false, keepNew = false } = options;
  const { settings } = ctx;
  const fingerprint = cacheFingerprint(VERSION, readingDependsOn(settings));
  const cache = await loadFileCache(settings.root, fingerprint);
  const contents = await readFolder({
    cwd: ctx.cwd,
    dir: settings.dir,
    projects: settings.projects,
    variables: settings.variables,
    app: appReading(settings),
    cache,
    light,
    keepNew,
    ...(projects ? { only: projects } : {}),
  });
  // Remember what was read (merged with what --project left out), for the next run; best effort.
  for (const [path, entry] of cache)
    if (!contents.cache.has(path) && !contents.files.some((file) => file.path === path))
      contents.cache.set(path, entry);
  await saveFileCache(settings.root, fingerprint, contents.cache).catch((e: unknown) =>
    ctx.reporter.debug(`file cache not saved: ${String(e)}`),
  );
  ctx.fileCache = contents.cache;
  return contents;
}

/** A file with its definition loaded (read again from disk); an error if it changed meanwhile. */
export async function loadFile(ctx: Context, file: LocalFile): Promise<LocalFile> {
  if (file.definition) return file;
  const reread = await readDashboardFile(
    resolve(ctx.cwd, file.path),
    file.path,
    { folder: file.folder, projectId: file.projectId, path: '' },
    ctx.settings.variables,
    appReading(ctx.settings),
  );
  if (Array.isArray(reread) || reread.byteHash !== file.byteHash)
    throw new UsageError(`${file.path} changed while dashsync was reading it`, 'run the command again');
  return { ...reread, ...(file.id !== undefined ? { id: file.id } : {}) };
}

/** Files with their ids as this workspace knows them (the id map applied); the files' own ids kept in fileId. */
export function withWorkspaceIds(ctx: RemoteContext, files: LocalFile[]): LocalFile[] {
  return files.map((file) => {
    if (file.fileId === undefined) return file;
    const id = ctx.idmap.resolve(file.fileId);
    return id === file.fileId ? file : { ...file, id };
  });
}

// The project folders under the dashboards folder (where older versions left temporary files).
function projectDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}

// How long to wait for another run's lock: DASHSYNC_LOCK_WAIT seconds, else 10 s.
function lockWaitMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.DASHSYNC_LOCK_WAIT);
  return env.DASHSYNC_LOCK_WAIT !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 10_000;
}

/**
 * Brings the file cache up to date with the ids written back during this run, so that the next
 * command does not parse those files again only because an id line was added.
 */
export async function rememberWrittenFiles(ctx: RemoteContext): Promise<void> {
  if (ctx.written.size === 0) return;
  const fingerprint = cacheFingerprint(VERSION, readingDependsOn(ctx.settings));
  const cache = ctx.fileCache ?? (await loadFileCache(ctx.settings.root, fingerprint));
  for (const [path, written] of ctx.written) {
    const entry = cache.get(path);
    if (!entry) continue;
    if (written.edited) {
      cache.delete(path);
      continue;
    }
    // The stat fields go (the write changed them): the next run hashes the bytes, finds them known, and
    // does not parse the file again.
    const { size: _size, mtimeNs: _mtime, checkedNs: _checked, ctimeNs: _ctime, ino: _ino, ...rest } = entry;
    void _size;
    void _mtime;
    void _checked;
    void _ctime;
    void _ino;
    cache.set(path, { ...rest, byteHash: written.byteHash, fileId: written.fileId });
  }
  await saveFileCache(ctx.settings.root, fingerprint, cache).catch((e: unknown) =>
    ctx.reporter.debug(`file cache not saved: ${String(e)}`),
  );
}
