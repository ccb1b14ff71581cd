import type { DeployOptions } from '../core/deploy.js';
import type { DriftPolicy } from '../core/types.js';
import type { DashboardsApi } from './client.js';
import type { CommentFlags, CommentRenderer } from './comment.js';
import type { Confirm } from './confirm.js';
import type { PreviewPages } from './preview.js';
import type { ActionEvent } from './execution.js';
import type { Reporter } from './reporter.js';

/*
 * What each command takes. The CLI (cli/) parses flags into these; a library caller builds them
 * directly. Every key is optional where a default exists, so a caller passes only what it needs.
 */

/** Settings given on the command line; every one optional (config/resolve.ts resolves them). */
export interface GlobalFlags {
  url?: string;
  token?: string;
  scope?: string;
  dir?: string;
  config?: string;
  env?: string;
  concurrency?: number | string;
  debug?: boolean;
}

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
  /**
   * Limit to these project folders and dashboard files, paths relative to `cwd` inside the
   * dashboards folder (`dashboards/sales`, `dashboards/sales/revenue.yaml`); all when absent.
   */
  paths?: string[];
  /** Leave out the files (and folders) these globs match, relative to the dashboards folder; added to `exclude:`. */
  excludes?: string[];
  /** An API client to use instead of one built from the settings (tests, scripts). */
  client?: DashboardsApi;
  /** Where human output goes; default: nowhere. */
  reporter?: Reporter;
  /**
   * Ctrl-C or SIGTERM: once aborted, the command starts no new work, lets what is in flight finish,
   * records it (sync state, ids written back) and ends with InterruptedError or an interrupted result.
   */
  signal?: AbortSignal;
}

/** Options of `dashsync publish` and `dashsync unpublish` (apps). */
export interface PublishOptions extends CommonOptions {
  /** Publish each selected app's draft, or take each back to draft only. */
  run: 'publish' | 'unpublish';
  /** Skip the confirmation. */
  yes?: boolean;
  /** Asks the user to confirm; absent (no terminal) and without `yes`, the run refuses and changes nothing. */
  confirm?: Confirm;
}

/** Options of `plan`. */
export interface PlanOptions extends CommonOptions, DeployOptions {
  /** Delete remote dashboards that have no file, in the selected project folders. */
  prune?: boolean;
  /** With prune: allow emptying a project whose folder has no files. */
  force?: boolean;
  /** Also write the plan to this file, for `apply FILE`. */
  out?: string;
  /** What to do with drift (changed in the workspace alone); default `drift:` of dashsync.yaml, else revert. */
  drift?: DriftPolicy;
  /** Let the files of the run adopt a namesake whose content differs (replacing it). */
  adopt?: boolean;
  /** Read the dashboards folder as it was at this git commit (branch, tag, HEAD~1), not from the working tree. */
  ref?: string;
}

/** Options of `apply`. */
export interface ApplyOptions extends CommonOptions, DeployOptions {
  prune?: boolean;
  /** Apply updates in conflict; allow pruning a project whose folder is empty. */
  force?: boolean;
  /** Skip the confirmation. */
  yes?: boolean;
  /** What to do with drift (changed in the workspace alone); default `drift:` of dashsync.yaml, else revert. */
  drift?: DriftPolicy;
  /** Let the files of the run adopt a namesake whose content differs (replacing it). */
  adopt?: boolean;
  /**
   * Asks the user to confirm; resolves true to go ahead. Absent (no terminal) and without `yes`,
   * apply refuses and changes nothing.
   */
  confirm?: Confirm;
  /**
   * A plan saved by `plan --out`: apply exactly it (with its options, without asking), or refuse
   * with "stale plan" if the files or the workspace moved since.
   */
  planFile?: string;
  /**
   * Deploy the dashboards folder as it was at this git commit (a rollback: `HEAD~1`), read with git's
   * plumbing; settings from the working tree, and no file of the working tree written.
   */
  ref?: string;
}

/** Options of `history`: the app file whose versions are listed. */
export interface HistoryOptions extends CommonOptions {
  file: string;
}

/** Options of `restore`: the app file, and which version to bring back (exactly one of `version` and `bookmark`). */
export interface RestoreOptions extends CommonOptions {
  file: string;
  /** The version's number, as history shows it. */
  version?: number;
  /** The label of a bookmarked version (the newest version with it). */
  bookmark?: string;
  /** Restore even when the file has edits not applied (they are overwritten). */
  force?: boolean;
  /** Publish the restored version to the app's viewers. */
  publish?: boolean;
}

/** Options of `pull`. */
export interface PullOptions extends CommonOptions {
  /** Remove files whose dashboards were deleted in the workspace. */
  prune?: boolean;
  /** Overwrite files edited locally (and remove them with prune). */
  force?: boolean;
}

/** Options of `watch`. */
export interface WatchOptions extends CommonOptions {
  /** Delete remotely the dashboards whose files are deleted (and, at start, those with no file). */
  prune?: boolean;
  /** Seconds between checks of the workspace for remote changes; 0 turns them off. Default 30. */
  interval?: number;
  /** Revert remote changes to the files' content instead of only reporting them: the same as `drift: 'revert'`. */
  selfHeal?: boolean;
  /** What to do with drift: revert it (self-heal), keep it (report it; the default), or fail (stop watching). */
  drift?: DriftPolicy;
  /** Quiet time after the last file event before a batch runs, in ms. Default 200. */
  settleMs?: number;
  /**
   * Called with every action event that ends, for a library caller that wants only those (every
   * notice, actions included, reaches the reporter as a `watch` event: the CLI's JSON lines).
   */
  onEvent?: (e: ActionEvent) => void;
}

/** Options of `migrate`: `publish` and `bookmark` are taken in the target, as apply takes them. */
export interface MigrateOptions extends CommonOptions, DeployOptions {
  /** Environment (under `environments:`) to copy from; only ever read. */
  from: string;
  /** Environment to copy into. */
  to: string;
  /**
   * `SRC=DST` project pairs, or single projects (ids, or folder names mapped in each environment);
   * all projects when absent.
   */
  projectPairs?: string[];
  prune?: boolean;
  force?: boolean;
  yes?: boolean;
  /** Only show the plan. */
  dryRun?: boolean;
  /** Asks the user to confirm; absent (no terminal) and without `yes`, migrate refuses. */
  confirm?: Confirm;
}

/** Options of `init`. */
export interface InitOptions {
  cwd?: string;
  /** API URL to write into dashsync.yaml. */
  url?: string;
  /** Overwrite an existing dashsync.yaml. */
  force?: boolean;
  reporter?: Reporter;
}

/** Options of `serve`, as the CLI gives them (strings are checked by the command). */
export interface ServeOptions {
  port?: string | number;
  host?: string;
  token?: string;
  data?: string;
  latency?: string | number;
  failRate?: string | number;
  faults?: string;
  seed?: string | number;
  clientIds?: string;
  maxInflight?: string | number;
  retryAfter?: string | number;
  env?: NodeJS.ProcessEnv;
  reporter?: Reporter;
}

/** Options of `import`: a catalog export (`<AppName>.json`) or a px app file to turn into an app file. */
export interface ImportOptions extends CommonOptions {
  /** The file to import, relative to `cwd`; its project folder comes from it or from `projects` (one). */
  file: string;
}

/** Options of `export`: an app file to write as the catalog's `<AppName>.json`. */
export interface ExportOptions extends CommonOptions {
  /** The app file, relative to `cwd`, inside the dashboards folder. */
  file: string;
  /** Where the JSON goes; default `<AppName>.json` where the command runs. */
  out?: string;
  /** Overwrite `out` when it exists. */
  force?: boolean;
}

/** Options of `comment`: the plan's (made afresh, or a saved plan made again), and where to post it. */
export interface CommentOptions extends CommonOptions, DeployOptions {
  prune?: boolean;
  force?: boolean;
  /** A plan saved by `plan --out`: made again with its options and workspace; refused when stale. */
  planFile?: string;
  /** Where to post, beside the CI's own variables. */
  target?: CommentFlags;
  /** The plan's Markdown (the CLI gives report/'s renderer). */
  render: CommentRenderer;
}

/** Options of `preview`: where it listens, what it compares with, and its pages. */
export interface PreviewOptions extends CommonOptions {
  /** Address to listen on; 127.0.0.1 unless told (another one is warned about). */
  host?: string;
  /** Port; 0 (a free one) unless told. */
  port?: string | number;
  /** Compare with the last sync only: ask the workspace nothing. */
  offline?: boolean;
  /** Quiet time after a file event before the file is read again, in ms. Default 50. */
  settleMs?: number;
  /** The page (the CLI gives report/'s). */
  pages: PreviewPages;
  /** Called with the page's address once it is served (the CLI's --open launches a browser). */
  open?: (url: string) => void;
  /** Aborting it stops the preview. */
  signal?: AbortSignal;
}
