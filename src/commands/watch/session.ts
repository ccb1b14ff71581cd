import { relative, sep } from 'node:path';
import type { ActionOutcome } from '../../contract/execution.js';
import type { WatchOptions } from '../../contract/options.js';
import type { WatchResult } from '../../contract/results.js';
import type { WatchNotice } from '../../contract/watch.js';
import { ApiError, DriftError, describeError, errorToText } from '../../errors.js';
import type { DriftPolicy } from '../../core/types.js';
import { isDashboardPath } from '../../local/dashboard-paths.js';
import type { RunScope } from '../../core/selection.js';
import { projectIdOf } from '../../local/folder.js';
import { displayPath } from '../../local/fsutil.js';
import { saveState } from '../../local/state.js';
import { summarizeOutcomes } from '../execute.js';
import type { RemoteContext } from '../open-run.js';
import { readLocal } from '../read-local.js';
import { syncChangedPaths } from './batch.js';
import { tell } from './notices.js';
import { syncWholeFolder } from './start.js';
import { WatchedFolder } from './watched-folder.js';
import type { WatchStep } from './watched-folder.js';
import { WorkspaceCheck } from './workspace-check.js';
import { GitFollower, resyncAfterCheckout } from './checkout.js';

/**
 * A rejected token or a forbidden scope will not heal by waiting, nor drift under --drift fail:
 * watch stops (exit 1).
 */
const hopeless = (e: unknown): boolean =>
  (e instanceof ApiError && (e.kind === 'unauthorized' || e.kind === 'forbidden')) || e instanceof DriftError;

/** The longest wait between retries of a failing batch. */
const MAX_BACKOFF_MS = 30_000;

/**
 * One run of `watch`: syncs the folder once (start), then each batch of changed files as they
 * settle (syncChanges), checks the workspace for remote changes now and then (checkWorkspace),
 * and saves the sync state when it ends (stop). Every save and delete goes through the shared
 * planner and executor, so watch keeps the guards of apply.
 */
export class WatchSession {
  readonly result: WatchResult = { batches: 0, created: 0, updated: 0, deleted: 0, failed: 0 };
  /** Changed paths not yet synced. */
  readonly pending = new Set<string>();
  private readonly folder = new WatchedFolder();
  private readonly workspaceCheck = new WorkspaceCheck();
  private readonly step: WatchStep;

  private batchTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  /** The batch or check under way: only one runs at a time. */
  private running: Promise<void> | undefined;
  private backoffMs = 0;
  /** The git repository the folder is in, followed for checkouts; absent outside one. */
  private git: GitFollower | undefined;
  private stopped = false;
  private fatal: unknown;
  private endWatch = (): void => {};

  constructor(
    private readonly ctx: RemoteContext,
    private readonly options: WatchOptions,
    scope: RunScope,
    drift: DriftPolicy,
  ) {
    this.step = {
      ctx,
      options,
      scope,
      drift,
      folder: this.folder,
      record: (outcomes) => this.record(outcomes),
      tell: (notice) => this.tell(notice),
    };
  }

  /** The dashboards folder this session syncs (absolute). */
  get folderPath(): string {
    return this.ctx.settings.dir;
  }

  /** Syncs the whole folder; if the server is away, every file waits as a pending change instead. */
  async start(): Promise<void> {
    this.git = await GitFollower.open(this.ctx.settings.root, this.ctx.cwd);
    if (this.git) this.step.keepIdAside = this.git.keepIdAside;
    try {
      await syncWholeFolder(this.step);
      await saveState(this.ctx.settings.root, this.ctx.state);
    } catch (e) {
      if (hopeless(e)) throw e;
      this.tell({ kind: 'start-failed', message: describeError(e).summary });
      // Treat every file as pending so nothing is lost while the server is away.
      const local = await readLocal(this.ctx, { scope: this.step.scope, quiet: true });
      for (const f of local.files) this.pending.add(f.path);
      this.scheduleBatch(1000);
    }
    this.sayWaiting();
    const everySeconds = this.options.interval ?? 30;
    if (everySeconds > 0) this.checkTimer = setInterval(() => this.checkWorkspaceSoon(), everySeconds * 1000);
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
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.running) await this.running;
    await saveState(this.ctx.settings.root, this.ctx.state).catch(() => undefined);
  }

  /** Ends the session: closes the context (the lock, the client) and says what watch did. */
  async close(): Promise<void> {
    await this.ctx.close();
    this.tell({ kind: 'stopped', result: this.result, pendingChanges: this.pending.size });
  }

  /** A file event at `absPath`: a dashboard file in the run becomes a pending change. */
  noticeChange(absPath: string): void {
    if (this.stopped) return;
    const { settings } = this.ctx;
    const parts = relative(settings.dir, absPath).split(sep);
    if (!isDashboardPath(parts.join('/'))) return;
    if (!this.step.scope.hasFile(parts.join('/'), projectIdOf(parts[0]!, settings.projects))) return;
    this.pending.add(displayPath(relative(this.ctx.cwd, absPath)));
    if (!this.firstPendingAt) this.firstPendingAt = Date.now();
    // Wait for the writes to settle, but never more than 2 s behind a continuous stream of events.
    this.scheduleBatch(Date.now() - this.firstPendingAt > 2000 ? 0 : (this.options.settleMs ?? 200));
  }

  /** Syncs the changed paths (display paths); true when it did or reported anything. Throws when a change failed. */
  async syncChanges(paths: string[]): Promise<boolean> {
    this.result.batches++;
    return syncChangedPaths(this.step, paths);
  }

  // After a checkout: the folder read again whole and synced as at start; nothing deleted for it.
  private async resync(paths: string[], head: string): Promise<boolean> {
    this.result.batches++;
    await resyncAfterCheckout(this.step, paths, head);
    return true;
  }

  /** Reports dashboards changed or created in the workspace; with self-heal, reverts the changes. */
  async checkWorkspace(): Promise<void> {
    await this.workspaceCheck.run(this.step);
  }

  private tell(notice: WatchNotice): void {
    tell(this.ctx.reporter, notice);
  }

  private sayWaiting(): void {
    this.tell({ kind: 'waiting', dir: this.ctx.dirShown, filesInSync: this.folder.files.size });
  }

  private stopWith(e: unknown): void {
    this.fatal ??= e;
    this.endWatch();
  }

  /**
   * Counts what an execution did, remembers the ids and bytes of what it synced, then takes the
   * steps after the saves as each app's file asks (watch takes no --publish: a file says it). A
   * failed step is told and counted; the save stands, so the batch is not retried for it.
   */
  private async record(outcomes: ActionOutcome[]): Promise<void> {
    const summary = summarizeOutcomes(outcomes);
    this.result.created += summary.created;
    this.result.updated += summary.updated;
    this.result.deleted += summary.deleted;
    this.result.failed += summary.failed;
    this.folder.learnFrom(outcomes, this.ctx.synced);
    for (const { outcome, action, id } of outcomes)
      if (outcome === 'done' && action.kind === 'create' && id && this.ctx.pendingIds.get(action.path) === id)
        this.tell({ kind: 'id-kept', path: action.path, id });
    const deployed = await this.ctx.flavour.afterSaves(this.ctx, outcomes, {});
    this.result.failed += deployed.filter((app) => app.message !== undefined).length;
  }

  private scheduleBatch(delayMs: number): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      if (!this.running) this.running = this.runPendingBatch().finally(() => (this.running = undefined));
      else this.scheduleBatch(50);
    }, delayMs);
  }

  private checkWorkspaceSoon(): void {
    if (this.running) return;
    this.running = this.checkWorkspace()
      .catch((e: unknown) =>
        hopeless(e) ? this.stopWith(e) : this.tell({ kind: 'check-failed', message: describeError(e).summary }),
      )
      .finally(() => (this.running = undefined));
  }

  /** Syncs the pending paths; on failure keeps them pending and tries again later, backing off. */
  private async runPendingBatch(): Promise<void> {
    if (this.stopped || this.pending.size === 0) return;
    // While git changes the work tree, its changes are not the user's yet: wait for it to finish.
    if (this.git?.atWork()) return this.scheduleBatch(200);
    const paths = [...this.pending].sort();
    this.pending.clear();
    this.firstPendingAt = 0;
    try {
      const head = await this.git?.moved();
      const acted = head !== undefined ? await this.resync(paths, head) : await this.syncChanges(paths);
      this.backoffMs = 0;
      await saveState(this.ctx.settings.root, this.ctx.state);
      if (acted) this.sayWaiting();
    } catch (e) {
      for (const p of paths) this.pending.add(p);
      if (hopeless(e)) return this.stopWith(e);
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : 1000);
      this.tell({
        kind: 'batch-failed',
        message: errorToText(e),
        pendingChanges: paths.length,
        retryInMs: this.backoffMs,
      });
      if (!this.stopped) this.scheduleBatch(this.backoffMs);
    }
  }
}
