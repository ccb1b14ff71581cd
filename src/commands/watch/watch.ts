import { relative } from 'node:path';
import chokidar from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { WatchOptions } from '../../contract/options.js';
import type { WatchResult } from '../../contract/results.js';
import { runScope } from '../../core/selection.js';
import { openRemote } from '../open-run.js';
import { requireSelectedFolders, selectionOf } from '../selection.js';
import { projectFolderNames } from '../../local/folder.js';
import { projectFolderOf } from './watched-folder.js';
import { watchReporter } from './notices.js';
import { WatchSession } from './session.js';
import { driftPolicy } from '../../core/drift.js';
import type { DriftPolicy } from '../../core/types.js';
import { UsageError } from '../../errors.js';

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
  let selection;
  try {
    watchDrift(options, opened.settings.drift);
    selection = selectionOf(opened, options, { mustExist: true });
    const folders = projectFolderNames(opened.settings.dir);
    const present = folders.map((folder) => projectFolderOf(opened, folder));
    requireSelectedFolders(selection.projects, present, folders, opened.dirShown);
  } catch (e) {
    await opened.close();
    throw e;
  }
  const ctx = { ...opened, reporter: watchReporter(opened.reporter, options.onEvent) };
  return new WatchSession(ctx, options, runScope(selection), watchDrift(options, opened.settings.drift));
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

/** watch's drift policy: --self-heal is --drift revert, so one rule decides (core/drift.ts). */
function watchDrift(options: WatchOptions, configured: DriftPolicy | undefined): DriftPolicy {
  if (options.selfHeal && options.drift !== undefined && options.drift !== 'revert')
    throw new UsageError(
      `--self-heal is --drift revert, and --drift ${options.drift} was given too`,
      'give one of them',
    );
  return driftPolicy(options.selfHeal ? 'revert' : options.drift, configured, 'watch');
}
