import { relative } from 'node:path';
import chokidar from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { openRemote } from '../open-run.js';
import type { CommonOptions } from '../open-run.js';
import type { ActionEvent } from '../events.js';
import { watchReporter } from './notices.js';
import { WatchSession } from './session.js';

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
  /** Called with every action event that ends (the CLI's --json prints them as JSON lines). */
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

/**
 * Syncs the folder to the workspace continuously: a full apply at start, then every change as it
 * lands, batched, with id write-backs that do not trigger another round. Ends when `signal` aborts.
 */
export async function watch(options: WatchOptions = {}): Promise<WatchResult> {
  const session = await openWatchSession(options);
  const watcher = await watchFolder(session.folderPath, (absPath) => session.noticeChange(absPath));
  try {
    await session.start();
    await session.untilStopped(options.signal);
  } finally {
    await session.stop();
    await watcher.close();
    await session.close();
  }
  return session.result;
}

/**
 * Opens a watch session (settings, client, lock, sync state) without watching the files: watch()
 * feeds it file events; tests and scripts may call its steps directly. Close it with stop() and close().
 */
export async function openWatchSession(options: WatchOptions = {}): Promise<WatchSession> {
  const opened = await openRemote(options, 'watch');
  return new WatchSession({ ...opened, reporter: watchReporter(opened.reporter, options.onEvent) }, options);
}

/** Watches the dashboards folder for added, changed and deleted files; resolves once it is ready. */
async function watchFolder(folder: string, onFileEvent: (absPath: string) => void): Promise<FSWatcher> {
  // Hidden files and folders (our .dashsync/, editors' swap files) are not dashboards.
  const watcher = chokidar.watch(folder, {
    ignoreInitial: true,
    depth: 1,
    ignored: (p: string) => /(^|[/\\])\.[^/\\]+$/.test(relative(folder, p)) && p !== folder,
  });
  watcher.on('add', onFileEvent).on('change', onFileEvent).on('unlink', onFileEvent);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return watcher;
}
