import { join, relative } from 'node:path';
import { bindSettings } from '../config/binding.js';
import { requireRemote, resolveSettings } from '../config/resolve.js';
import type { Settings } from '../config/resolve.js';
import type { DashboardsApi } from '../contract/client.js';
import type { CommonOptions } from '../contract/options.js';
import { silentReporter } from '../contract/reporter.js';
import type { Reporter } from '../contract/reporter.js';
import type { RefSnapshot } from '../core/history.js';
import type { Workspace } from '../core/types.js';
import { flavourOf } from '../flavours/index.js';
import type { Flavour } from '../flavours/index.js';
import { BINDING_PATH, loadBinding, saveBinding } from '../local/binding.js';
import type { CachedFile, WrittenBack } from '../local/file-cache.js';
import { projectFolderNames } from '../local/folder.js';
import { displayPath, removeLeftoverTemps } from '../local/fsutil.js';
import type { Fence } from '../local/fsutil.js';
import { IdMap } from '../local/idmap.js';
import { PendingIds } from '../local/pending-ids.js';
import { acquireLock } from '../local/lock.js';
import { refusePxLayout } from '../local/px-layout.js';
import { STATE_DIR, loadState, syncedIn, workspaceKey } from '../local/state.js';
import type { StateEntry, SyncState } from '../local/state.js';
import { DashboardsClient } from '../remote/client.js';

/*
 * Opening a run: the settings, and for a command that talks to a workspace, the client, the
 * folder's lock and the sync state. Every command starts here; reading the folder is
 * read-local.ts.
 */

/** Everything a command works with once settings are resolved. */
export interface Context {
  cwd: string;
  settings: Settings;
  /**
   * The run's API flavour (dashboards or apps), picked once from the settings: every difference
   * between the two goes through it, never through a test of `settings.api`.
   */
  flavour: Flavour;
  reporter: Reporter;
  /** The dashboards folder as shown to users, e.g. `dashboards`. */
  dirShown: string;
  /** The file cache as this run read and saved it (kept so that it is loaded once per run). */
  fileCache?: Map<string, CachedFile>;
  /**
   * `--ref`: the files are read as they were at this commit, from a copy outside the work tree
   * (at-ref.ts); no file of the working tree is written, and the file cache is neither read nor kept.
   */
  snapshot?: RefSnapshot;
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
  /** Ids watch kept out of files git tracks, by path, until a command that writes files writes them. */
  pendingIds: PendingIds;
  /** Files whose id was written back during this run, by path (see write-backs.ts). */
  written: Map<string, WrittenBack>;
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
export async function openLocal(options: CommonOptions): Promise<Context> {
  const cwd = options.cwd ?? process.cwd();
  const reporter = options.reporter ?? silentReporter;
  const settings = resolveSettings(options.flags ?? {}, cwd, options.env ?? process.env);
  for (const warning of settings.warnings) reporter.warn(warning);
  return {
    cwd,
    settings,
    flavour: await flavourOf(settings),
    reporter,
    dirShown: displayPath(relative(cwd, settings.dir) || '.'),
  };
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
  const ctx = await openLocal(options);
  // A px workspace is met with what to do before any setting it lacks (a URL) is asked for; pull
  // may make a dashboards folder beside one.
  if (use.folder && lock !== 'pull') refusePxLayout(ctx.cwd, ctx.settings.dir, options.paths ?? []);
  // A folder remembers the scope and api it is synced with (migrate has no folder).
  const bound = use.folder && ctx.settings.url ? await loadBinding(ctx.settings.root, ctx.settings.url) : undefined;
  ctx.settings = bindSettings(ctx.settings, bound, ctx.dirShown);
  // The binding may name the api: the flavour is picked from the settings as bound.
  ctx.flavour = await flavourOf(ctx.settings);
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
  let state: SyncState;
  let idmap: IdMap;
  let pendingIds: PendingIds;
  try {
    // Holding the lock, no other writer is live: what a killed run left is litter.
    if (lock) await removeLeftoverTemps(tmpDir, [settings.root, ...projectDirs(settings.dir)]);
    state = await loadState(settings.root);
    idmap = await IdMap.load(settings.root, settings.env ?? 'default');
    pendingIds = await PendingIds.load(settings.root);
  } catch (e) {
    // A run that cannot open (a garbled dashsync.ids.yaml...) leaves no lock behind.
    await release();
    if (ownClient) await client.close();
    throw e;
  }
  const key = workspaceKey(url, settings.scope);
  const synced = syncedIn(state, key);
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
    pendingIds,
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

// The project folders under the dashboards folder (where older versions left temporary files).
function projectDirs(dir: string): string[] {
  return projectFolderNames(dir).map((name) => join(dir, name));
}

// How long to wait for another run's lock: DASHSYNC_LOCK_WAIT seconds, else 10 s.
function lockWaitMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.DASHSYNC_LOCK_WAIT);
  return env.DASHSYNC_LOCK_WAIT !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 10_000;
}
