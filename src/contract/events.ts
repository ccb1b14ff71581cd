import type { DeployOptions } from '../core/deploy.js';
import type { AppHistory, GitCommit } from '../core/history.js';
import type { AppPublish, Plan, Problem } from '../core/types.js';
import type { CommentOutcome } from './comment.js';
import type { PreviewAgainst } from './preview.js';
import type { Noun } from '../core/words.js';
import type { ExecutionSummary } from './execution.js';
import type { ExportResult, HeldApp, ImportResult, PublishSummary, PullChange, PullLiteral } from './results.js';
import type { WatchNotice } from './watch.js';

/*
 * What commands tell while they run, as data. A command never makes text for the user: it emits
 * these events and returns a result, and report/ decides how each looks (terminal, --json,
 * Markdown). A new kind of output is a new event here and a case in report/.
 */

/** A command's steps that the user sees, each with what it is about. */
export type CommandEvent =
  /** A plan was made. `confirming`: it is about to be put to the user, so it is shown whole. */
  | {
      type: 'plan';
      plan: Plan;
      /** How the folder (or, for migrate, the target environment) is named to the user. */
      dir: string;
      prune: boolean;
      /** migrate: the environment copied from. */
      source?: string;
      deploy?: DeployOptions;
      confirming: boolean;
      /** The folder has no project folders but the workspace has this many dashboards. */
      unmanagedRemote?: { count: number; scope: string };
    }
  /** migrate, before its plan: what is copied (`noun`: what the target's API calls them) from where to where. */
  | { type: 'migrating'; count: number; noun: Noun; from: string; fromUrl: string; to: string; toUrl: string }
  /**
   * plan --out wrote the plan to `file`. `errors`: apply would refuse it; `conflicts`: apply would
   * skip them (and fail).
   */
  /** `namesakes`: of the conflicts, the adoptions that would replace another dashboard (only --adopt takes them). */
  | { type: 'plan-saved'; file: string; errors: number; conflicts: number; namesakes: number }
  /** The user declined the confirmation: nothing was changed. */
  | { type: 'cancelled'; run: 'apply' | 'migrate' | 'publish' | 'unpublish' }
  /** A plan was carried out (or interrupted part way). */
  | { type: 'executed'; run: 'apply' | 'migrate'; summary: ExecutionSummary; interrupted: boolean }
  /** apps: a saved app was bookmarked (`label`) as version `versionId`. */
  | { type: 'bookmarked'; path: string; versionId: string; label: string }
  /** apps: a saved app was published. */
  | { type: 'published'; path: string; id: string }
  /** apps: an app was taken back to draft only (`dashsync unpublish`). */
  | { type: 'unpublished'; path: string; id: string }
  /** apps: publishing (or unpublishing) an app that was not saved in this run failed. */
  | { type: 'step-failed'; path: string; step: 'publish' | 'unpublish'; message: string }
  /**
   * `dashsync publish` and `unpublish`, before they act: each selected app held by a file and its
   * publish state, the apps they leave alone and why (`held`), and whether it is about to be confirmed.
   */
  | {
      type: 'publish-plan';
      run: 'publish' | 'unpublish';
      apps: AppPublish[];
      held: HeldApp[];
      confirming: boolean;
    }
  /** `dashsync publish` and `unpublish`, at the end: how many apps were published (or unpublished), failed, not started. */
  | { type: 'publish-done'; run: 'publish' | 'unpublish'; summary: PublishSummary; interrupted: boolean }
  /** validate's findings: every file it read, the problems, the warnings, and what the files hold (`noun`). */
  | { type: 'validated'; files: string[]; problems: Problem[]; warnings: Problem[]; noun: Noun }
  /**
   * pull's changes to the files, sorted by path, how many files it left as they were, and the
   * values it wrote literally; `notPulled`: interrupted, this many dashboards were not fetched.
   */
  | { type: 'pulled'; changes: PullChange[]; unchanged: number; literals: PullLiteral[]; notPulled?: number }
  /** init wrote the scaffold; `schemas`: the editor schema folder it named, and whether it exists yet. */
  | {
      type: 'initialized';
      created: string[];
      updated: string[];
      next: string[];
      schemas: { path: string; resolves: boolean };
    }
  /**
   * The emulator listens. Its token: made up for this run (shown), or given by flag or variable
   * (never shown).
   */
  | {
      type: 'serving';
      url: string;
      token: { random: string } | { given: 'flag' | 'variable' };
      dataFile?: { path: string; loaded: number };
      faults?: { latencyMs: number; failRate: number };
    }
  /** --ref: the folder's files are read as they were at this commit (settings from the working tree). */
  | { type: 'at-ref'; ref: string; commit: GitCommit; dir: string }
  /** history: an app's versions, newest first, beside the commits of its file. */
  | { type: 'history'; history: AppHistory }
  /** restore: the platform restored `from` as the newest version `as` (when told). */
  | { type: 'restored'; path: string; id: string; from: number; as?: number }
  /**
   * apply --ref: dashboards created from files that hold no id at that commit: their ids went into
   * no file (the working tree is not written).
   */
  | { type: 'ids-not-written'; ref: string; created: Array<{ path: string; id: string }> }
  /** comment: the plan was posted (or nothing was, outside a pull request). */
  | { type: 'commented'; comment: CommentOutcome }
  /** preview: the page is served at `url`, listing `files` files (read and compared with `against` next). */
  | { type: 'previewing'; url: string; files: number; against: PreviewAgainst }
  /** preview: the files were compared with the workspace (or it could not be read: `failed`). */
  | { type: 'preview-compared'; against: PreviewAgainst; changed: number; created: number; failed?: string }
  /** preview: a file was read again and redrawn (`gone`: it was deleted). */
  | { type: 'preview-redrawn'; at: Date; path: string; problems: number; changes: number; gone: boolean }
  /** watch: something it tells (see watch.ts), stamped with the moment it happened. */
  | { type: 'watch'; at: Date; notice: WatchNotice }
  /** import wrote an app file from a platform file. */
  | { type: 'imported'; imported: ImportResult }
  /** export wrote the catalog's JSON of an app file. */
  | { type: 'exported'; exported: ExportResult };
