import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { appReading } from '../config/app-projects.js';
import { contentHash } from '../core/canonical.js';
import type { ProjectFolder } from '../core/types.js';
import type { LocalFile } from '../core/types.js';
import { ApiError, describeError, errorToText } from '../errors.js';
import { byteHash } from '../local/dashboard-file.js';
import { crossCheck } from '../local/cross-check.js';
import { isDashboardPath } from '../local/dashboard-paths.js';
import { isSelected, projectIdOf } from '../local/folder.js';
import { readDashboardFile } from '../local/read-dashboard-file.js';
import { displayPath } from '../local/fsutil.js';
import { recordSeenEqual, remoteUnchangedSince, saveState } from '../local/state.js';
import { problemLine } from '../report/problem.js';
import { inert, quoted } from '../report/style.js';
import { watchingLine } from '../report/watch-text.js';
import { readLocal, withWorkspaceIds } from './context.js';
import type { RemoteContext } from './context.js';
import { executePlan, summarizeOutcomes } from './execute.js';
import type { ActionOutcome } from './execute.js';
import { planFiles } from './load-plan.js';
import type { WatchOptions, WatchResult } from './watch.js';

/** A rejected token or a forbidden scope will not heal by waiting: watch stops (exit 1). */
const refused = (e: unknown): boolean => e instanceof ApiError && (e.kind === 'unauthorized' || e.kind === 'forbidden');

/**
 * One run of `watch`: syncs the folder once, then each batch of changed files as they settle, and
 * checks the workspace for remote changes now and then. Every save and delete goes through the
 * shared planner and executor, so watch keeps the guards of apply.
 */
export class WatchSession {
  readonly result: WatchResult = { batches: 0, created: 0, updated: 0, deleted: 0, failed: 0 };
  /** Changed paths not yet synced. */
  readonly pending = new Set<string>();
  /** The valid files as last read, by display path. */
  private readonly files = new Map<string, LocalFile>();
  /** Byte hash of each file as last synced or written back, by display path: an event with it changes nothing. */
  private readonly syncedBytes = new Map<string, string>();
  /** Paths of invalid files, reported once per content. */
  private readonly invalid = new Set<string>();
  /** Files deleted locally whose remote delete is not decided yet, by display path. */
  private readonly deleted = new Map<string, LocalFile>();
  /** Remote changes already reported: id -> updated_at (never in the sync state, which records agreement only). */
  private readonly reported = new Map<string, string | undefined>();

  private timer: NodeJS.Timeout | undefined;
  private checks: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private running: Promise<void> | undefined;
  private backoffMs = 0;
  private stopped = false;
  private fatal: unknown;
  private endWatch = (): void => {};

  constructor(
    private readonly ctx: RemoteContext,
    private readonly options: WatchOptions,
  ) {}

  /** Syncs the whole folder; if the server is away, every file waits as a pending change instead. */
  async start(): Promise<void> {
    try {
      await this.syncEverything();
      await saveState(this.ctx.settings.root, this.ctx.state);
    } catch (e) {
      if (refused(e)) throw e;
      this.ctx.reporter.warn(
        `initial sync failed: ${inert(describeError(e).summary)}; will retry with the next change or check`,
      );
      // Treat every file as pending so nothing is lost while the server is away.
      const local = await readLocal(this.ctx, { projects: this.options.projects });
      for (const f of local.files) this.pending.add(f.path);
      this.schedule(1000);
    }
    this.sayWatching();
    const everySeconds = this.options.interval ?? 30;
    if (everySeconds > 0) this.checks = setInterval(() => this.checkWorkspaceNow(), everySeconds * 1000);
  }

  /** Resolves when `signal` aborts, or throws when watching cannot go on (a refused token). */
  async untilStopped(signal: AbortSignal | undefined): Promise<void> {
    await new Promise<void>((resolve) => {
      this.endWatch = resolve;
      if (signal?.aborted || this.fatal) return resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    if (this.fatal) throw this.fatal;
  }

  /** Starts nothing new, lets the running batch or check finish, and saves the sync state. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.checks) clearInterval(this.checks);
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
    await saveState(this.ctx.settings.root, this.ctx.state).catch(() => undefined);
  }

  /** A file event at `absPath`: a dashboard file of a selected project becomes a pending change. */
  noticeChange(absPath: string): void {
    if (this.stopped) return;
    const { settings } = this.ctx;
    const parts = relative(settings.dir, absPath).split(sep);
    if (!isDashboardPath(parts.join('/'))) return;
    if (!isSelected(parts[0]!, projectIdOf(parts[0]!, settings.projects), this.options.projects)) return;
    this.pending.add(displayPath(relative(this.ctx.cwd, absPath)));
    if (!this.firstPendingAt) this.firstPendingAt = Date.now();
    // Wait for the writes to settle, but never more than 2 s behind a continuous stream of events.
    this.schedule(Date.now() - this.firstPendingAt > 2000 ? 0 : (this.options.settleMs ?? 200));
  }

  private stopWith(e: unknown): void {
    this.fatal ??= e;
    this.endWatch();
  }

  private sayWatching(): void {
    this.ctx.reporter.info(watchingLine(this.ctx.dirShown, this.files.size, this.ctx.reporter));
  }

  private folderOf(folder: string): ProjectFolder {
    const { settings } = this.ctx;
    return {
      folder,
      projectId: projectIdOf(folder, settings.projects),
      path: displayPath(relative(this.ctx.cwd, join(settings.dir, folder))),
    };
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) this.running = this.runBatch().finally(() => (this.running = undefined));
      else this.schedule(50);
    }, delayMs);
  }

  private checkWorkspaceNow(): void {
    if (this.running) return;
    this.running = this.checkWorkspace()
      .catch((e: unknown) =>
        refused(e)
          ? this.stopWith(e)
          : this.ctx.reporter.warn(`remote check failed: ${inert(describeError(e).summary)}`),
      )
      .finally(() => (this.running = undefined));
  }

  /** Syncs the pending paths; on failure keeps them pending and tries again later, backing off. */
  private async runBatch(): Promise<void> {
    if (this.stopped || this.pending.size === 0) return;
    const paths = [...this.pending].sort();
    this.pending.clear();
    this.firstPendingAt = 0;
    try {
      const acted = await this.processBatch(paths);
      this.backoffMs = 0;
      await saveState(this.ctx.settings.root, this.ctx.state);
      if (acted) this.sayWatching();
    } catch (e) {
      for (const p of paths) this.pending.add(p);
      if (refused(e)) return this.stopWith(e);
      this.backoffMs = Math.min(30_000, this.backoffMs ? this.backoffMs * 2 : 1000);
      this.ctx.reporter.warn(
        `${inert(errorToText(e))}; ${paths.length} pending ${paths.length === 1 ? 'change' : 'changes'} kept, retrying in ${this.backoffMs / 1000} s`,
      );
      if (!this.stopped) this.schedule(this.backoffMs);
    }
  }

  /** Counts what an execution did and remembers the ids and bytes of what it synced. */
  private tally(outcomes: ActionOutcome[]): void {
    const summary = summarizeOutcomes(outcomes);
    this.result.created += summary.created;
    this.result.updated += summary.updated;
    this.result.deleted += summary.deleted;
    this.result.failed += summary.failed;
    for (const outcome of outcomes) {
      if (outcome.outcome === 'done' && 'path' in outcome.action && outcome.id) {
        const path = outcome.action.path;
        const fileHash = this.ctx.synced[outcome.id]?.fileHash;
        if (fileHash) this.syncedBytes.set(path, fileHash);
        // The index learns the id now, so a delete that comes before the write-back's event still knows it.
        const entry = this.files.get(path);
        if (entry)
          this.files.set(path, {
            ...entry,
            id: outcome.id,
            fileId: entry.fileId ?? outcome.id,
            ...(fileHash ? { byteHash: fileHash } : {}),
          });
      }
    }
  }

  /**
   * Start: a full plan and apply of the folder; invalid files are reported and skipped, and a
   * project with an invalid file is never pruned (its dashboard might be the one that looks orphaned).
   */
  private async syncEverything(): Promise<void> {
    const { ctx } = this;
    const local = await readLocal(ctx, { projects: this.options.projects, light: true });
    for (const p of local.problems) ctx.reporter.warn(problemLine(p));
    const bad = new Set(local.problems.map((p) => p.path));
    for (const p of bad) this.invalid.add(p);
    const files = withWorkspaceIds(
      ctx,
      local.files.filter((f) => !bad.has(f.path)),
    );
    // Unmanaged dashboards are only reported at start: watch deletes nothing it did not see the file
    // of deleted (apply --prune shows such deletes first, and asks).
    const loaded = await planFiles(ctx, files, local.folders, { prune: false, force: false });
    for (const f of files) {
      this.files.set(f.path, f);
      this.syncedBytes.set(f.path, f.byteHash);
    }
    // A dashboard changed in the workspace since the last sync (drift) is reverted at start only with
    // --self-heal, as at every interval check: otherwise it is reported and left for pull.
    if (!this.options.selfHeal) {
      const drifted = loaded.plan.actions.filter((a) => a.kind === 'update' && a.reason === 'drift');
      for (const a of drifted)
        if ('path' in a)
          ctx.reporter.warn(
            `changed in the workspace: ${a.path} ${quoted(a.name)} differs from its file (dashsync pull takes it; --self-heal reverts it)`,
          );
      loaded.plan.actions = loaded.plan.actions.filter((a) => !drifted.includes(a));
    }
    this.tally(await executePlan(ctx, loaded, { force: false }));
    const notDeleted = this.options.prune
      ? '; watch does not delete it (dashsync apply --prune does, after showing it)'
      : '';
    for (const unmanaged of loaded.plan.unmanaged)
      ctx.reporter.info(
        `${ctx.reporter.style.dim(`not managed here (no file): ${unmanaged.folder}/ ${quoted(unmanaged.name)}${notDeleted}`)}`,
      );
  }

  /** Syncs the changed paths; true when it did or reported anything. */
  async processBatch(paths: string[]): Promise<boolean> {
    this.result.batches++;
    const { changed, acted } = await this.readChangedFiles(paths);
    // Files that fail the cross-file checks (a copied file with the same id...) are reported and skipped.
    const problems = crossCheck([...this.files.values()]);
    const blocked = new Set(problems.map((p) => p.path));
    for (const p of problems) if (paths.includes(p.path)) this.ctx.reporter.warn(problemLine(p));
    // An id held by two files blocks both (the check names only one of them): neither is synced
    // until one of them loses the id, as validate and plan refuse the folder.
    for (const path of this.holdersOfSharedIds()) {
      if (!blocked.has(path) && paths.includes(path))
        this.ctx.reporter.warn(`${path}: not synced: its id is also in another file (dashsync validate shows which)`);
      blocked.add(path);
    }
    const toSync = changed.filter((f) => !blocked.has(f.path));
    // Deleted files are handled first, and kept until they are: a failure of either half (the server
    // away) retries both, so no delete is forgotten.
    if (this.deleted.size) await this.deleteRemovedFiles();
    if (toSync.length === 0) return acted;
    const loaded = await planFiles(this.ctx, toSync, [], { prune: false, force: false });
    const outcomes = await executePlan(this.ctx, loaded, { force: false });
    this.tally(outcomes);
    const failedPaths = outcomes
      .filter((x) => x.outcome === 'failed' && x.action.kind !== 'error' && 'path' in x.action)
      .map((x) => (x.action as { path: string }).path);
    for (const p of failedPaths) {
      this.syncedBytes.delete(p);
      this.files.delete(p);
    }
    if (failedPaths.length)
      throw new Error(`${failedPaths.length} ${failedPaths.length === 1 ? 'change' : 'changes'} failed`);
    return true;
  }

  /** Paths of the files whose id another file holds too. */
  private holdersOfSharedIds(): string[] {
    const byId = new Map<string, string[]>();
    for (const f of this.files.values())
      if (f.fileId !== undefined) byId.set(f.fileId, [...(byId.get(f.fileId) ?? []), f.path]);
    return [...byId.values()].filter((held) => held.length > 1).flat();
  }

  /** Reads each changed path: deleted, invalid, unchanged (our own write-back), or a change to sync. */
  private async readChangedFiles(paths: string[]): Promise<{ changed: LocalFile[]; acted: boolean }> {
    const { ctx } = this;
    let acted = false;
    const changed: LocalFile[] = [];
    for (const path of paths) {
      const absPath = join(ctx.cwd, path);
      const folder = path.slice(ctx.dirShown === '.' ? 0 : ctx.dirShown.length + 1).split('/')[0]!;
      if (!existsSync(absPath)) {
        const previous = this.files.get(path);
        this.files.delete(path);
        this.syncedBytes.delete(path);
        this.invalid.delete(path);
        if (previous) this.deleted.set(path, previous);
        acted = true;
        continue;
      }
      this.deleted.delete(path);
      const bytes = await readFile(absPath).catch(() => undefined);
      if (!bytes) continue;
      const hash = byteHash(bytes);
      if (this.syncedBytes.get(path) === hash && this.files.get(path)?.byteHash === hash) continue;
      const read = await readDashboardFile(
        absPath,
        path,
        this.folderOf(folder),
        ctx.settings.variables,
        appReading(ctx.settings),
      );
      if (Array.isArray(read)) {
        this.files.delete(path);
        for (const p of read) ctx.reporter.warn(problemLine(p));
        this.invalid.add(path);
        acted = true;
        continue;
      }
      if (this.invalid.delete(path)) {
        ctx.reporter.info(`${path}: valid again`);
        acted = true;
      }
      const file = withWorkspaceIds(ctx, [read])[0]!;
      this.files.set(path, file);
      // Our own id write-back (or a touch without a change): refresh the index, nothing to sync.
      if (this.syncedBytes.get(path) === hash) continue;
      const synced = file.id !== undefined ? ctx.synced[file.id] : undefined;
      // Unchanged since the last sync, in the same project folder (a rename there is no change). A
      // file moved to another project's folder goes to the plan, which says what is wrong with it.
      if (
        synced &&
        synced.hash === file.contentHash &&
        (synced.path === undefined || posix.dirname(synced.path) === posix.dirname(path))
      ) {
        this.syncedBytes.set(path, hash);
        continue;
      }
      changed.push(file);
    }
    return { changed, acted };
  }

  /**
   * Deletes the dashboards whose files were deleted, through the same plan and executor as
   * `apply --prune`, so the same guards hold: a dashboard changed in the workspace since the last
   * sync is skipped as a conflict, a project whose folder was emptied is refused, and a folder that
   * is gone (a branch switch) deletes nothing.
   */
  private async deleteRemovedFiles(): Promise<void> {
    const { ctx, deleted } = this;
    // A deleted file whose id reappears in another file was moved or renamed: nothing to delete.
    const liveIds = new Set([...this.files.values()].flatMap((f) => (f.id ? [f.id] : [])));
    for (const [path, f] of deleted) if (f.id === undefined || liveIds.has(f.id)) deleted.delete(path);
    if (!this.options.prune) {
      for (const f of deleted.values())
        ctx.reporter.info(
          `${ctx.reporter.style.dim(`${f.path} deleted locally; ${quoted(f.name)} stays in the workspace (--prune deletes it)`)}`,
        );
      deleted.clear();
      return;
    }
    const folders: ProjectFolder[] = [];
    for (const name of new Set([...deleted.values()].map((f) => f.folder))) {
      // A project holding an invalid file is never pruned: its deletes wait until the file is valid.
      if ([...this.invalid].some((p) => p.startsWith(`${this.folderOf(name).path}/`))) continue;
      if (existsSync(join(ctx.settings.dir, name))) folders.push(this.folderOf(name));
      else {
        const lost = [...deleted].filter(([, f]) => f.folder === name);
        ctx.reporter.warn(
          `the folder ${this.folderOf(name).path} is gone; its ${lost.length} ${lost.length === 1 ? 'dashboard stays' : 'dashboards stay'} in the workspace (dashsync apply --prune deletes what has no file, after showing it)`,
        );
        for (const [path] of lost) deleted.delete(path);
      }
    }
    if (folders.length === 0) return;
    const inFolders = new Set(folders.map((f) => f.folder));
    const files = [...this.files.values()].filter((f) => inFolders.has(f.folder));
    const loaded = await planFiles(ctx, files, folders, { prune: true, force: false });
    const ids = new Set([...deleted.values()].map((f) => f.id!));
    const actions = loaded.plan.actions.filter(
      (a) => (a.kind === 'delete' && ids.has(a.id)) || (a.kind === 'error' && a.name === '' && inFolders.has(a.folder)),
    );
    const outcomes = await executePlan(ctx, { ...loaded, plan: { ...loaded.plan, actions } }, { force: false });
    this.tally(outcomes);
    const retry = new Set(
      outcomes
        .filter((x) => x.outcome === 'failed' && x.action.kind === 'delete')
        .map((x) => (x.action as { id: string }).id),
    );
    // Decided (done, skipped, refused, or already gone from the workspace): forgotten; failed: kept.
    for (const [path, f] of deleted) if (inFolders.has(f.folder) && !retry.has(f.id!)) deleted.delete(path);
    if (retry.size) throw new Error(`${retry.size} ${retry.size === 1 ? 'delete' : 'deletes'} failed`);
  }

  /** Reports dashboards changed or created in the workspace; with self-heal, reverts the changes. */
  async checkWorkspace(): Promise<void> {
    const { ctx } = this;
    const { reporter } = ctx;
    const listed = await ctx.client.listAll();
    const files = [...this.files.values()];
    const fileById = new Map(files.flatMap((f) => (f.id ? [[f.id, f] as const] : [])));
    const projects = new Set(files.map((f) => f.projectId));
    const heal: LocalFile[] = [];
    for (const summary of listed) {
      if (!projects.has(summary.projectId)) continue;
      const file = fileById.get(summary.id);
      const entry = ctx.synced[summary.id];
      const seen = this.reported.has(summary.id) && this.reported.get(summary.id) === summary.updatedAt;
      if (!file) {
        if (!seen && !remoteUnchangedSince(entry, summary.updatedAt))
          reporter.info(
            reporter.style.yellow(
              `created in the workspace, no file: ${inert(summary.projectId)}/ ${quoted(summary.name)} (id ${inert(summary.id)}); dashsync pull brings it in`,
            ),
          );
        this.reported.set(summary.id, summary.updatedAt);
        continue;
      }
      if (remoteUnchangedSince(entry, summary.updatedAt) || (seen && !this.options.selfHeal)) continue;
      const dashboard = await ctx.client.get(summary.projectId, summary.id);
      if (!dashboard) continue;
      if (file.contentHash === contentHash(dashboard)) {
        // Seen equal by content: updated_at comes from the get that showed it, not the earlier list.
        recordSeenEqual(ctx.synced, summary.id, file, dashboard.updatedAt);
        continue;
      }
      if (this.options.selfHeal) heal.push(file);
      else {
        reporter.info(
          reporter.style.yellow(
            `changed in the workspace: ${file.path} ${quoted(dashboard.name)} differs from its file (dashsync pull takes it; --self-heal reverts it)`,
          ),
        );
        this.reported.set(summary.id, summary.updatedAt);
      }
    }
    if (heal.length) {
      const loaded = await planFiles(ctx, heal, [], { prune: false, force: true });
      this.tally(await executePlan(ctx, loaded, { force: true }));
    }
    await saveState(ctx.settings.root, ctx.state);
  }
}
