import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import chokidar from 'chokidar';
import { contentHash } from '../core/canonical.js';
import type { ProjectFolder } from '../core/plan.js';
import type { LocalFile } from '../core/types.js';
import { ApiError, describeError, errorToText } from '../errors.js';
import { byteHash } from '../local/dashboard-file.js';
import { appReading } from '../config/app-projects.js';
import { crossCheck, isDashboardPath, isSelected, projectIdOf, readDashboardFile } from '../local/folder.js';
import { displayPath } from '../local/fsutil.js';
import { recordSynced, remoteUnchangedSince, saveState } from '../local/state.js';
import type { ActionEvent, Reporter } from '../report/reporter.js';
import { inert, quoted } from '../report/style.js';
import { showResult } from '../report/quiet.js';
import { openRemote, readLocal, withWorkspaceIds } from './context.js';
import type { CommonOptions, RemoteContext } from './context.js';
import { executePlan, summarizeOutcomes } from './execute.js';
import { problemLine } from '../report/problem.js';
import { planFiles } from './load-plan.js';

/** Options of `watch`. */
export interface WatchOptions extends CommonOptions {
  /** Delete remotely the dashboards whose files are deleted (and, at start, those with no file). */
  prune?: boolean;
  /** Seconds between checks of the workspace for remote changes; 0 turns them off. Default 30. */
  interval?: number;
  /** Revert remote changes to the files' content instead of only reporting them. */
  selfHeal?: boolean;
  /** Quiet time after the last file event before a batch runs, in ms. Default 200. */
  settleMs?: number;
  /** Aborting it ends the watch cleanly: in-flight calls finish, state is saved. */
  signal?: AbortSignal;
  /** Called with every action event (the CLI's --json prints them as JSON lines). */
  onEvent?: (e: ActionEvent) => void;
}

/** What a watch session did, returned when it ends. */
export interface WatchResult {
  batches: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
}

const time = (): string => new Date().toTimeString().slice(0, 8);

/** A reporter whose lines carry the time of day, as watch prints them. */
function timed(reporter: Reporter, onEvent?: (e: ActionEvent) => void): Reporter {
  const s = reporter.style;
  const symbol: Record<string, string> = { create: s.green('+'), update: s.yellow('~'), delete: s.red('-'), link: s.cyan('='), error: s.red('x') };
  return {
    ...reporter,
    info: (t) => reporter.info(`${s.dim(time())}  ${t}`),
    warn: (t) => reporter.warn(`${time()}  ${t}`),
    event: (e: ActionEvent) => {
      if (e.phase === 'started') return;
      onEvent?.(e);
      const a = e.action;
      const where = 'path' in a ? a.path : `${a.folder}/`;
      const result = e.phase === 'done' ? s.green({ create: 'created', update: 'updated', delete: 'deleted', link: 'linked', error: '' }[a.kind]) : e.phase === 'failed' ? s.red(`FAILED: ${e.message ?? ''}`) : s.yellow(`skipped: ${e.message ?? ''}`);
      const line = `${s.dim(time())}  ${symbol[a.kind]} ${where}  ${quoted(a.name)}  ${result}${e.id && e.phase === 'done' ? s.dim(` (id ${inert(e.id)})`) : ''}`;
      // A failure is an error: --quiet still shows it.
      if (e.phase === 'failed') showResult(reporter, line);
      else reporter.info(line);
    },
  };
}

/**
 * Syncs the folder to the workspace continuously: a full apply at start, then every change as it
 * lands, batched, with id write-backs that do not trigger another round. Ends when `signal` aborts.
 */
export async function watch(o: WatchOptions = {}): Promise<WatchResult> {
  const opened = await openRemote(o, 'watch');
  const ctx: RemoteContext = { ...opened, reporter: timed(opened.reporter, o.onEvent) };
  const { settings, reporter } = ctx;
  const result: WatchResult = { batches: 0, created: 0, updated: 0, deleted: 0, failed: 0 };
  const index = new Map<string, LocalFile>(); // by display path: the valid files as last read
  const known = new Map<string, string>(); // display path -> byte hash last synced or written
  const broken = new Set<string>(); // paths of invalid files, reported once per content
  const folderOf = (folder: string): ProjectFolder => ({ folder, projectId: projectIdOf(folder, settings.projects), path: displayPath(relative(ctx.cwd, join(settings.dir, folder))) });

  const tally = (outcomes: Awaited<ReturnType<typeof executePlan>>): void => {
    const s = summarizeOutcomes(outcomes);
    result.created += s.created;
    result.updated += s.updated;
    result.deleted += s.deleted;
    result.failed += s.failed;
    for (const r of outcomes) {
      if (r.outcome === 'done' && 'path' in r.action && r.id) {
        const fh = ctx.synced[r.id]?.fileHash;
        if (fh) known.set(r.action.path, fh);
        // The index learns the id now, so a delete that comes before the write-back's event still knows it.
        const entry = index.get(r.action.path);
        if (entry) index.set(r.action.path, { ...entry, id: r.id, fileId: entry.fileId ?? r.id, ...(fh ? { byteHash: fh } : {}) });
      }
    }
  };

  // Start: a full plan and apply of the folder; invalid files are reported and skipped, and a
  // project with an invalid file is never pruned (its dashboard might be the one that looks orphaned).
  const initial = async (): Promise<void> => {
    const local = await readLocal(ctx, o.projects, true);
    for (const p of local.problems) reporter.warn(problemLine(p));
    const bad = new Set(local.problems.map((p) => p.path));
    for (const p of bad) broken.add(p);
    const files = withWorkspaceIds(ctx, local.files.filter((f) => !bad.has(f.path)));
    // Unmanaged dashboards are only reported at start: watch deletes nothing it did not see the file
    // of deleted (apply --prune shows such deletes first, and asks).
    const loaded = await planFiles(ctx, files, local.folders, { prune: false, force: false });
    for (const f of files) {
      index.set(f.path, f);
      known.set(f.path, f.byteHash);
    }
    const outcomes = await executePlan(ctx, loaded, { force: false });
    tally(outcomes);
    for (const u of loaded.plan.unmanaged) reporter.info(`${reporter.style.dim(`not managed here (no file): ${u.folder}/ ${quoted(u.name)}${o.prune ? '; watch does not delete it (dashsync apply --prune does, after showing it)' : ''}`)}`);
  };

  const gone = new Map<string, LocalFile>(); // path -> the file deleted locally, until its delete is decided

  /**
   * Deletes the dashboards whose files were deleted, through the same plan and executor as
   * `apply --prune`, so the same guards hold: a dashboard changed in the workspace since the last
   * sync is skipped as a conflict, a project whose folder was emptied is refused, and a folder that
   * is gone (a branch switch) deletes nothing.
   */
  const handleDeletions = async (): Promise<void> => {
    // A deleted file whose id reappears in another file was moved or renamed: nothing to delete.
    const liveIds = new Set([...index.values()].flatMap((f) => (f.id ? [f.id] : [])));
    for (const [path, f] of gone) if (f.id === undefined || liveIds.has(f.id)) gone.delete(path);
    if (!o.prune) {
      for (const f of gone.values()) reporter.info(`${reporter.style.dim(`${f.path} deleted locally; ${quoted(f.name)} stays in the workspace (--prune deletes it)`)}`);
      gone.clear();
      return;
    }
    const folders: ProjectFolder[] = [];
    for (const name of new Set([...gone.values()].map((f) => f.folder))) {
      // A project holding an invalid file is never pruned: its deletes wait until the file is valid.
      if ([...broken].some((p) => p.startsWith(`${folderOf(name).path}/`))) continue;
      if (existsSync(join(settings.dir, name))) folders.push(folderOf(name));
      else {
        const lost = [...gone].filter(([, f]) => f.folder === name);
        reporter.warn(`the folder ${folderOf(name).path} is gone; its ${lost.length} ${lost.length === 1 ? 'dashboard stays' : 'dashboards stay'} in the workspace (dashsync apply --prune deletes what has no file, after showing it)`);
        for (const [path] of lost) gone.delete(path);
      }
    }
    if (folders.length === 0) return;
    const inFolders = new Set(folders.map((f) => f.folder));
    const files = [...index.values()].filter((f) => inFolders.has(f.folder));
    const loaded = await planFiles(ctx, files, folders, { prune: true, force: false });
    const ids = new Set([...gone.values()].map((f) => f.id!));
    const actions = loaded.plan.actions.filter((a) => (a.kind === 'delete' && ids.has(a.id)) || (a.kind === 'error' && a.name === '' && inFolders.has(a.folder)));
    const outcomes = await executePlan(ctx, { ...loaded, plan: { ...loaded.plan, actions } }, { force: false });
    tally(outcomes);
    const retry = new Set(outcomes.filter((r) => r.outcome === 'failed' && r.action.kind === 'delete').map((r) => (r.action as { id: string }).id));
    // Decided (done, skipped, refused, or already gone from the workspace): forgotten; failed: kept.
    for (const [path, f] of gone) if (inFolders.has(f.folder) && !retry.has(f.id!)) gone.delete(path);
    if (retry.size) throw new Error(`${retry.size} ${retry.size === 1 ? 'delete' : 'deletes'} failed`);
  };

  // A rejected token or a forbidden scope will not heal by waiting: watch stops (exit 1). Only a
  // server that is away is waited for.
  const refused = (e: unknown): boolean => e instanceof ApiError && (e.kind === 'unauthorized' || e.kind === 'forbidden');
  let fatal: unknown;
  let endWatch = (): void => {};
  const fail = (e: unknown): void => {
    fatal ??= e;
    endWatch();
  };

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let firstPending = 0;
  let running: Promise<void> | undefined;
  let backoff = 0;
  let stopped = false;

  const schedule = (delay: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!running) running = runBatch().finally(() => (running = undefined));
      else schedule(50);
    }, delay);
  };

  const runBatch = async (): Promise<void> => {
    if (stopped || pending.size === 0) return;
    const paths = [...pending].sort();
    pending.clear();
    firstPending = 0;
    try {
      const acted = await processBatch(paths);
      backoff = 0;
      await saveState(settings.root, ctx.state);
      if (acted) idle();
    } catch (e) {
      for (const p of paths) pending.add(p);
      if (refused(e)) return fail(e);
      backoff = Math.min(30_000, backoff ? backoff * 2 : 1000);
      reporter.warn(`${inert(errorToText(e))}; ${paths.length} pending ${paths.length === 1 ? 'change' : 'changes'} kept, retrying in ${backoff / 1000} s`);
      if (!stopped) schedule(backoff);
    }
  };

  const idle = (): void => reporter.info(reporter.style.dim(`watching ${ctx.dirShown}/ (${index.size} ${index.size === 1 ? 'file' : 'files'} in sync); Ctrl-C to stop`));

  /** Syncs the changed paths; true when it did or reported anything. */
  const processBatch = async (paths: string[]): Promise<boolean> => {
    result.batches++;
    let acted = false;
    const changed: LocalFile[] = [];
    for (const path of paths) {
      const abs = join(ctx.cwd, path);
      const folder = path.slice(ctx.dirShown === '.' ? 0 : ctx.dirShown.length + 1).split('/')[0]!;
      if (!existsSync(abs)) {
        const old = index.get(path);
        index.delete(path);
        known.delete(path);
        broken.delete(path);
        if (old) gone.set(path, old);
        acted = true;
        continue;
      }
      gone.delete(path);
      const bytes = await readFile(abs).catch(() => undefined);
      if (!bytes) continue;
      const hash = byteHash(bytes);
      if (known.get(path) === hash && index.get(path)?.byteHash === hash) continue;
      const r = await readDashboardFile(abs, path, folderOf(folder), settings.variables, appReading(settings));
      if (Array.isArray(r)) {
        index.delete(path);
        for (const p of r) reporter.warn(problemLine(p));
        broken.add(path);
        acted = true;
        continue;
      }
      if (broken.delete(path)) {
        reporter.info(`${path}: valid again`);
        acted = true;
      }
      const [file] = withWorkspaceIds(ctx, [r]);
      index.set(path, file!);
      // Our own id write-back (or a touch without a change): refresh the index, nothing to sync.
      if (known.get(path) === hash) continue;
      const synced = file!.id !== undefined ? ctx.synced[file!.id] : undefined;
      if (synced && synced.hash === file!.contentHash) {
        known.set(path, hash);
        continue;
      }
      changed.push(file!);
    }
    // Files that fail the cross-file checks (a copied file with the same id...) are reported and skipped.
    const problems = crossCheck([...index.values()]);
    const blocked = new Set(problems.map((p) => p.path));
    for (const p of problems) if (paths.includes(p.path)) reporter.warn(problemLine(p));
    const toSync = changed.filter((f) => !blocked.has(f.path));

    // Deleted files are handled first, and kept until they are: a failure of either half (the server
    // away) retries both, so no delete is forgotten.
    if (gone.size) await handleDeletions();
    if (toSync.length) {
      acted = true;
      const loaded = await planFiles(ctx, toSync, [], { prune: false, force: false });
      const outcomes = await executePlan(ctx, loaded, { force: false });
      tally(outcomes);
      const retry = outcomes.filter((x) => x.outcome === 'failed' && x.action.kind !== 'error' && 'path' in x.action).map((x) => (x.action as { path: string }).path);
      for (const p of retry) {
        known.delete(p);
        index.delete(p);
      }
      if (retry.length) throw new Error(`${retry.length} ${retry.length === 1 ? 'change' : 'changes'} failed`);
    }
    return acted;
  };

  // Every `interval` seconds: report dashboards changed or created in the workspace; self-heal reverts them.
  const reported = new Map<string, string | undefined>(); // id -> updated_at already reported (never in the state: it records agreement only)
  const checkRemote = async (): Promise<void> => {
    const all = await ctx.client.listAll();
    const files = [...index.values()];
    const byId = new Map(files.flatMap((f) => (f.id ? [[f.id, f] as const] : [])));
    const projects = new Set(files.map((f) => f.projectId));
    const heal: LocalFile[] = [];
    for (const r of all) {
      if (!projects.has(r.projectId)) continue;
      const file = byId.get(r.id);
      const entry = ctx.synced[r.id];
      const seen = reported.has(r.id) && reported.get(r.id) === r.updatedAt;
      if (!file) {
        if (!seen && !remoteUnchangedSince(entry, r.updatedAt)) reporter.info(reporter.style.yellow(`created in the workspace, no file: ${inert(r.projectId)}/ ${quoted(r.name)} (id ${inert(r.id)}); dashsync pull brings it in`));
        reported.set(r.id, r.updatedAt);
        continue;
      }
      if (remoteUnchangedSince(entry, r.updatedAt) || (seen && !o.selfHeal)) continue;
      const d = await ctx.client.get(r.projectId, r.id);
      if (!d) continue;
      if (file.contentHash === contentHash(d)) {
        // Seen equal by content: updated_at comes from the get that showed it, not the earlier list.
        recordSynced(ctx.synced, r.id, { hash: file.contentHash, path: file.path, fileHash: file.byteHash, ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}) });
        continue;
      }
      if (o.selfHeal) heal.push(file);
      else {
        reporter.info(reporter.style.yellow(`changed in the workspace: ${file.path} ${quoted(d.name)} differs from its file (dashsync pull takes it; --self-heal reverts it)`));
        reported.set(r.id, r.updatedAt);
      }
    }
    if (heal.length) {
      const loaded = await planFiles(ctx, heal, [], { prune: false, force: true });
      tally(await executePlan(ctx, loaded, { force: true }));
    }
    await saveState(settings.root, ctx.state);
  };

  const onEvent = (abs: string): void => {
    const parts = relative(settings.dir, abs).split(sep);
    if (!isDashboardPath(parts.join('/'))) return;
    if (!isSelected(parts[0]!, projectIdOf(parts[0]!, settings.projects), o.projects)) return;
    pending.add(displayPath(relative(ctx.cwd, abs)));
    if (!firstPending) firstPending = Date.now();
    // Wait for the writes to settle, but never more than 2 s behind a continuous stream of events.
    const settle = o.settleMs ?? 200;
    schedule(Date.now() - firstPending > 2000 ? 0 : settle);
  };

  const watcher = chokidar.watch(settings.dir, { ignoreInitial: true, depth: 1, ignored: (p: string) => /(^|[/\\])\.[^/\\]+$/.test(relative(settings.dir, p)) && p !== settings.dir });
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  await new Promise<void>((r) => watcher.once('ready', () => r()));

  let interval: NodeJS.Timeout | undefined;
  try {
    try {
      await initial();
      await saveState(settings.root, ctx.state);
    } catch (e) {
      if (refused(e)) throw e;
      reporter.warn(`initial sync failed: ${inert(describeError(e).summary)}; will retry with the next change or check`);
      // Treat every file as pending so nothing is lost while the server is away.
      const local = await readLocal(ctx, o.projects);
      for (const f of local.files) pending.add(f.path);
      schedule(1000);
    }
    idle();
    const every = o.interval ?? 30;
    if (every > 0) {
      interval = setInterval(() => {
        if (running) return;
        running = checkRemote()
          .catch((e: unknown) => (refused(e) ? fail(e) : reporter.warn(`remote check failed: ${inert(describeError(e).summary)}`)))
          .finally(() => (running = undefined));
      }, every * 1000);
    }
    await new Promise<void>((resolve) => {
      endWatch = resolve;
      if (o.signal?.aborted || fatal) return resolve();
      o.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    if (fatal) throw fatal;
  } finally {
    stopped = true;
    if (interval) clearInterval(interval);
    if (timer) clearTimeout(timer);
    await watcher.close();
    if (running) await running;
    await saveState(settings.root, ctx.state).catch(() => undefined);
    await ctx.close();
    showResult(reporter, `${reporter.style.dim(time())}  stopped: ${result.created} created, ${result.updated} updated, ${result.deleted} deleted, ${result.failed} failed${pending.size ? `; ${pending.size} changes not yet applied` : ''}.`);
  }
  return result;
}
