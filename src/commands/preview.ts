import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import chokidar from 'chokidar';
import type { PreviewOptions } from '../contract/options.js';
import type { PreviewAgainst } from '../contract/preview.js';
import { runScope } from '../core/selection.js';
import type { RunScope } from '../core/selection.js';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import type { PreviewResult } from '../contract/results.js';
import { silentReporter } from '../contract/reporter.js';
import { UsageError, describeError } from '../errors.js';
import { isDashboardPath, yamlFilesBelow } from '../local/dashboard-paths.js';
import { projectIdOf } from '../local/folder.js';
import { crossCheck } from '../local/cross-check.js';
import { displayPath } from '../local/fsutil.js';
import { readDashboardFile, readDashboardFileSync } from '../local/read-dashboard-file.js';
import { loadState, syncedIn, workspaceKey } from '../local/state.js';
import { PreviewItems } from '../preview/items.js';
import { isLoopback, startPreviewServer } from '../preview/server.js';
import type { PreviewChange, PreviewServer } from '../preview/server.js';
import { planFiles } from './load-plan.js';
import { openLocal, openRemote } from './open-run.js';
import type { Context } from './open-run.js';
import { selectionOf } from './selection.js';

/**
 * Serves a page on this machine that draws every dashboard and app of the folder, with what it
 * changes against the workspace (read once, in this process: the page never sees a token), or,
 * offline, whether it changed since the last sync; and redraws a file within a moment of its being
 * saved, an invalid one with its problems in place. Read-only: it writes no file, saves nothing,
 * and keeps no cache. Runs until `signal` aborts.
 */
export async function preview(options: PreviewOptions): Promise<PreviewResult> {
  const ctx = await openLocal({ ...options, reporter: options.reporter ?? silentReporter });
  const { settings, reporter } = ctx;
  const host = options.host ?? '127.0.0.1';
  const port = portOf(options.port);
  if (!isLoopback(host))
    reporter.warn(
      `the preview is served on ${host}, beyond this machine: whoever reaches it sees the dashboards' definitions (never a token)`,
    );
  let redrawn = 0;
  let server: PreviewServer | undefined = undefined;
  const offline = whyOffline(options, settings);
  const items = new PreviewItems(
    offline ? lastSyncWords(offline) : { what: 'workspace', words: `the workspace ${workspaceWords(ctx)}: reading it` },
  );
  // The page is served as soon as the files are listed (a walk of the folder, no file read): their
  // content follows, read in the background, and a file asked for before is read at once.
  // What is shown: the files given (paths, --project), less --exclude and exclude:, as plan reads them.
  const scope = runScope(selectionOf(ctx, options, { mustExist: true }));
  const [listed, watcher] = await Promise.all([
    listFiles(ctx, scope),
    // Events before the server listens change the files; the page, once served, shows them.
    watchFolder(
      ctx,
      options,
      scope,
      items,
      (change) => server?.publish(change),
      () => redrawn++,
    ),
  ]);
  if (!listed) {
    await watcher.close();
    throw new UsageError(`the dashboards folder ${ctx.dirShown} does not exist`, 'point --dir at your dashboards');
  }
  items.list(listed);
  const readNow = (path: string): void => {
    const at = listed.find((file) => file.path === path);
    if (at && items.unread(path)) items.read(path, readFile(ctx, at));
  };
  server = await startPreviewServer({
    host,
    port,
    pages: options.pages,
    view: () => items.view(),
    item: (path) => (readNow(path), items.get(path)),
  }).catch(async (e: unknown) => {
    await watcher.close();
    throw e;
  });
  reporter.show({ type: 'previewing', url: server.url, files: items.counts().files, against: items.against });
  options.open?.(server.url);
  // The content of every file (with the checks between files), then what each changes.
  const compared = readAll(ctx, items, listed)
    .then(async (files) => {
      server?.publish({ paths: [], structure: true });
      const folders = [...new Map(listed.map((file) => [file.folder.folder, file.folder])).values()];
      await (offline
        ? compareWithLastSync(ctx, items, offline)
        : compareWithWorkspace(ctx, options, scope, items, files, folders));
    })
    .then(() => server?.publish({ paths: [], structure: true }));
  try {
    await untilAborted(options.signal);
  } finally {
    await watcher.close();
    await compared.catch(() => {});
    await server.close();
  }
  return { files: items.counts().files, redrawn };
}

function portOf(value: string | number | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

// Why the workspace is not asked, or undefined when it is.
function whyOffline(options: PreviewOptions, settings: Context['settings']): string | undefined {
  if (options.offline) return 'offline (--offline)';
  if (options.client) return undefined;
  if (!settings.url) return 'no workspace is configured (no URL)';
  if (!settings.token || settings.credentialConflict) return 'no token for the workspace';
  return undefined;
}

const workspaceWords = (ctx: Context): string => {
  const url = ctx.settings.url ? new URL(ctx.settings.url) : undefined;
  // Never a credential in what the page shows: a URL's user and password are left out.
  if (url) url.username = url.password = '';
  return `${url?.href.replace(/\/$/, '') ?? 'given'} (scope ${ctx.settings.scope})`;
};

const lastSyncWords = (why: string): PreviewAgainst => ({
  what: 'last sync',
  words: `the last sync (${why}): whether each file changed since, not what`,
});

// The workspace read once, as a plan of the files (an update carries the workspace's content).
// It failing leaves the preview on, compared with the last sync instead.
async function compareWithWorkspace(
  ctx: Context,
  options: PreviewOptions,
  scope: RunScope,
  items: PreviewItems,
  files: LocalFile[],
  folders: Parameters<typeof planFiles>[2],
): Promise<void> {
  let remote;
  try {
    remote = await openRemote({ ...options, reporter: ctx.reporter });
  } catch (e) {
    return compareWithLastSync(ctx, items, describeError(e).summary);
  }
  try {
    const ids = files.map((file) => ({ ...file, ...(file.fileId ? { id: remote.idmap.resolve(file.fileId) } : {}) }));
    const { plan } = await planFiles(remote, ids, folders, { prune: false, force: true, scope });
    const against: PreviewAgainst = { what: 'workspace', words: `the workspace ${workspaceWords(ctx)}` };
    items.compareWithWorkspace(plan, against);
    const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
    ctx.reporter.show({ type: 'preview-compared', against, changed: count('update'), created: count('create') });
  } catch (e) {
    const failed = describeError(e).summary;
    const against = lastSyncWords(`the workspace could not be read: ${failed}`);
    items.compareWithLastSync(syncedIn(remote.state, remote.workspaceKey), against);
    ctx.reporter.show({ type: 'preview-compared', against, changed: 0, created: 0, failed });
  } finally {
    await remote.close();
  }
}

async function compareWithLastSync(ctx: Context, items: PreviewItems, why: string): Promise<void> {
  const url = ctx.settings.url;
  const state = url ? await loadState(ctx.settings.root) : undefined;
  const synced = state && url ? state.workspaces[workspaceKey(url, ctx.settings.scope)] : undefined;
  items.compareWithLastSync(
    synced,
    synced ? lastSyncWords(why) : { what: 'nothing', words: `nothing (${why}, and no sync state): the drawings alone` },
  );
}

/** Watches the dashboards folder: each file saved, added or deleted is read again, after a moment of quiet. */
async function watchFolder(
  ctx: Context,
  options: PreviewOptions,
  scope: RunScope,
  items: PreviewItems,
  publish: (change: PreviewChange) => void,
  counted: () => void,
): Promise<{ close(): Promise<void> }> {
  const { settings } = ctx;
  const folder = settings.dir;
  const watcher = chokidar.watch(folder, {
    ignoreInitial: true,
    depth: 1,
    ignored: (p: string) => /(^|[/\\])\.[^/\\]+$/.test(relative(folder, p)) && p !== folder,
  });
  const timers = new Map<string, NodeJS.Timeout>();
  const settle = options.settleMs ?? 50;
  const reread = async (abs: string): Promise<void> => {
    const rel = relative(folder, abs).split(sep);
    const projectId = projectIdOf(rel[0]!, settings.projects);
    if (rel.length === 2 && !scope.hasFile(rel.join('/'), projectId)) return;
    const path = displayPath(relative(ctx.cwd, abs));
    const project = { folder: rel[0]!, projectId, path: displayPath(relative(ctx.cwd, `${folder}/${rel[0]}`)) };
    const existed = items.get(path) !== undefined;
    const gone = !existsSync(abs);
    const read = gone ? 'gone' : await readDashboardFile(abs, path, project, settings.variables, ctx.flavour.reading);
    const item = items.read(path, read, rel[0]);
    counted();
    publish({ paths: [path], structure: gone || !existed });
    ctx.reporter.show({
      type: 'preview-redrawn',
      at: new Date(),
      path,
      problems: item?.problems.length ?? 0,
      changes: item?.changes.length ?? 0,
      gone,
    });
  };
  const onEvent = (abs: string): void => {
    if (!isDashboardPath(relative(folder, abs).split(sep).join('/'))) return;
    clearTimeout(timers.get(abs));
    timers.set(
      abs,
      setTimeout(() => {
        timers.delete(abs);
        reread(abs).catch((e: unknown) => ctx.reporter.warn(`${abs}: ${describeError(e).summary}`));
      }, settle),
    );
  };
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    close: async () => {
      for (const timer of timers.values()) clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** A file the folder holds, before it is read: where it is, and its project folder. */
interface Listed {
  path: string;
  abs: string;
  folder: ProjectFolder;
}

// The dashboard files of the (selected) project folders, by a walk of the folder alone; undefined
// when the folder does not exist. (What readFolder reports besides, it reports when it reads them.)
async function listFiles(ctx: Context, scope: RunScope): Promise<Listed[] | undefined> {
  const { dir, projects } = ctx.settings;
  let top;
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const shown = (abs: string): string => displayPath(relative(ctx.cwd, abs));
  return (await yamlFilesBelow(dir, top)).flatMap((rel) => {
    const [name, file, ...deeper] = rel.split('/');
    const projectId = projectIdOf(name!, projects);
    if (file === undefined || deeper.length > 0 || !scope.hasFile(rel, projectId)) return [];
    const abs = join(dir, rel);
    return [{ path: shown(abs), abs, folder: { folder: name!, projectId, path: shown(join(dir, name!)) } }];
  });
}

// A listed file read whole: its content, or why it does not read.
function readFile(ctx: Context, file: Listed): LocalFile | Problem[] {
  const { settings } = ctx;
  return readDashboardFileSync(file.abs, file.path, file.folder, settings.variables, ctx.flavour.reading);
}

// Every listed file not read yet, a few at a time (the page is served meanwhile), then the checks
// between files (a shared id). Returns the valid files.
async function readAll(ctx: Context, items: PreviewItems, listed: Listed[]): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  for (let i = 0; i < listed.length; i++) {
    const file = listed[i]!;
    const read = readFile(ctx, file);
    if (!Array.isArray(read)) files.push(read);
    if (items.unread(file.path)) items.read(file.path, read);
    if (i % 20 === 19) await new Promise<void>((resume) => setImmediate(resume));
  }
  items.load([], crossCheck(files));
  return files;
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
