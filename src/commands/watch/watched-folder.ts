import { join, relative } from 'node:path';
import type { ActionOutcome } from '../../contract/execution.js';
import type { WatchOptions } from '../../contract/options.js';
import type { WatchNotice } from '../../contract/watch.js';
import type { RunScope } from '../../core/selection.js';
import type { DriftPolicy, LocalFile, ProjectFolder } from '../../core/types.js';
import { projectIdOf } from '../../local/folder.js';
import { displayPath } from '../../local/fsutil.js';
import type { StateEntry } from '../../local/state.js';
import type { RemoteContext } from '../open-run.js';

/**
 * What a watch session knows of the folder between batches: the valid files as last read, the
 * bytes it last synced, the invalid files and the deletes not decided yet.
 */
export class WatchedFolder {
  /** The valid files as last read, by display path. */
  readonly files = new Map<string, LocalFile>();
  /** Byte hash of each file as last synced or written back, by display path: an event with it changes nothing. */
  readonly syncedBytes = new Map<string, string>();
  /** Paths of invalid files, reported once per content. */
  readonly invalid = new Set<string>();
  /** Files deleted locally whose remote delete is not decided yet, by display path. */
  readonly deleted = new Map<string, LocalFile>();
  /** Files outside the run (excluded, or beside a file target), as read at start: they keep their dashboards. */
  outside: LocalFile[] = [];

  /** Forgets everything known of the folder (a checkout changed it): the next read starts afresh. */
  reset(): void {
    this.files.clear();
    this.syncedBytes.clear();
    this.invalid.clear();
    this.deleted.clear();
  }

  /** Files read at start and planned: known, with the bytes they hold. */
  rememberRead(files: LocalFile[]): void {
    for (const f of files) {
      this.files.set(f.path, f);
      this.syncedBytes.set(f.path, f.byteHash);
    }
  }

  /** A file gone from disk: forgotten, and its dashboard's delete waits to be decided. */
  noteGone(path: string): void {
    const previous = this.files.get(path);
    this.forget(path);
    this.invalid.delete(path);
    if (previous) this.deleted.set(path, previous);
  }

  /** Forgets a file (its sync failed, so its next event syncs it again). */
  forget(path: string): void {
    this.files.delete(path);
    this.syncedBytes.delete(path);
  }

  /** Learns the ids and bytes of what an execution synced (the executor wrote them to the sync state). */
  learnFrom(outcomes: ActionOutcome[], synced: Record<string, StateEntry>): void {
    for (const outcome of outcomes) {
      if (outcome.outcome !== 'done' || !('path' in outcome.action) || !outcome.id) continue;
      const path = outcome.action.path;
      const fileHash = synced[outcome.id]?.fileHash;
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

  /** Paths of the files whose id another file holds too. */
  holdersOfSharedIds(): string[] {
    const byId = new Map<string, string[]>();
    for (const f of this.files.values())
      if (f.fileId !== undefined) byId.set(f.fileId, [...(byId.get(f.fileId) ?? []), f.path]);
    return [...byId.values()].filter((held) => held.length > 1).flat();
  }

  /** The ids the files hold (as this workspace knows them). */
  liveIds(): Set<string> {
    return new Set([...this.files.values()].flatMap((f) => (f.id ? [f.id] : [])));
  }

  /** True when a file under the folder shown as `folderPath` is invalid. */
  holdsInvalidFile(folderPath: string): boolean {
    return [...this.invalid].some((p) => p.startsWith(`${folderPath}/`));
  }
}

/** What each step of a watch session works with. */
export interface WatchStep {
  ctx: RemoteContext;
  options: WatchOptions;
  /** What the run covers: only its files are synced, only its projects' unclaimed dashboards reported. */
  scope: RunScope;
  folder: WatchedFolder;
  /** What watch does with drift: revert it (self-heal), keep it (report it), or fail (stop). */
  drift: DriftPolicy;
  /**
   * Counts what an execution did, remembers what it synced, and takes the steps that follow the
   * saves (apps: those the files' `publish:` and `bookmark:` ask for).
   */
  record(outcomes: ActionOutcome[]): Promise<void>;
  /** Shows a notice to the user. */
  tell(notice: WatchNotice): void;
  /** True for a file whose new id is kept aside rather than written (watch/checkout.ts). */
  keepIdAside?: (path: string) => Promise<boolean>;
}

/** A project folder (by its name under the dashboards folder) as the planner and the reader take it. */
export function projectFolderOf(ctx: RemoteContext, folder: string): ProjectFolder {
  const { settings } = ctx;
  return {
    folder,
    projectId: projectIdOf(folder, settings.projects),
    path: displayPath(relative(ctx.cwd, join(settings.dir, folder))),
  };
}

/** The executor's option that keeps new ids out of files git tracks, where the step follows git. */
export function keepAside(step: WatchStep): { keepIdAside?: (path: string) => Promise<boolean> } {
  return step.keepIdAside ? { keepIdAside: step.keepIdAside } : {};
}
