/**
 * The shapes every part of dashsync agrees on. Edges (local files, the HTTP API) convert to and from
 * these at their border; the core only ever sees these.
 */

/** A project folder that exists locally (and is selected), with or without files in it. */
export interface ProjectFolder {
  folder: string;
  projectId: string;
  /** Display path of the folder, e.g. `dashboards/sales`. */
  path: string;
}

/** Plain JSON value, as the API sends and receives it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** The part of a dashboard that is compared and synced: what a file says and what a save sends. */
export interface DashboardContent {
  name: string;
  definition: JsonObject;
}

/**
 * The steps after an app's save (apps only): publish it to its viewers, bookmark the checkpoint the
 * save made. Asked by flags (`--publish`, `--bookmark`) for every app, or by an app file's own
 * `publish:` and `bookmark:` keys for that app (core/deploy.ts combines them).
 */
export interface DeployOptions {
  /** Publish the app after its save (a file's `publish: false` keeps its app a draft under --publish). */
  publish?: boolean;
  /** Bookmark each new checkpoint with this label (e.g. the commit SHA), so it is kept for good. */
  bookmark?: string;
}

/**
 * One dashboard file on disk, validated. Its definition is loaded only where it is needed (a file
 * unchanged since it was last read, or equal to its remote dashboard, is known by its hash alone):
 * this keeps memory flat however many dashboards there are.
 */
export interface LocalFile {
  name: string;
  /** The rendered definition, when loaded. */
  definition?: JsonObject;
  /** contentHash() of the rendered name and definition. */
  contentHash: string;
  /** Path relative to the working directory, with forward slashes, as shown to users. */
  path: string;
  /** Folder name under --dir. */
  folder: string;
  /** Project id the folder resolves to. */
  projectId: string;
  /** The dashboard's id in the workspace at hand: the file's `id`, or what the id map says for it. */
  id?: string;
  /** The `id` key as written in the file, when the file has one. */
  fileId?: string;
  /** Hash of the file's bytes, to notice edits made while dashsync runs. */
  byteHash: string;
  /** The file's content before its `${{ var.NAME }}` placeholders were rendered, when it has any. */
  template?: DashboardContent;
  /** Where the `id` (or, without one, the `name`) is written, for messages. */
  idPos?: { line: number; col: number };
  /** The file's own `publish:` and `bookmark:` keys (apps), where it has them: they are not content. */
  deploy?: DeployOptions;
}

/** Metadata of a remote dashboard, as the list calls return it. */
export interface RemoteSummary {
  id: string;
  projectId: string;
  name: string;
  updatedAt?: string;
}

/** A remote dashboard with its definition, as a get returns it. */
export interface RemoteDashboard extends RemoteSummary, DashboardContent {}

/** What both sides held at the last successful sync of one dashboard (from the sync state). */
export interface SyncBase {
  /** contentHash() of the content both sides agreed on. */
  hash: string;
  /** The server's updated_at at that time, when it gives one. */
  updatedAt?: string;
}

/**
 * Why an update is needed, when the sync state can tell. `merge`: both sides changed since the last
 * sync, in different places (known only where the sync state kept what both held then).
 */
export type UpdateReason = 'local-edit' | 'drift' | 'conflict' | 'merge' | 'unknown';

/**
 * What apply does with drift (a dashboard changed in the workspace while its file did not): revert
 * it to the file, keep it (skip it, and say so), or fail the run naming it.
 */
export type DriftPolicy = 'revert' | 'keep' | 'fail';

/** The drift policies, in the order help texts list them. */
export const DRIFT_POLICIES: readonly DriftPolicy[] = ['revert', 'keep', 'fail'];

/** One place in a dashboard (`name`, `definition.widgets[0].query`) as each side holds it; absent: undefined. */
export interface PathValues {
  path: string;
  base?: Json;
  yours?: Json;
  theirs?: Json;
}

/**
 * What each side changed since the last sync, by path in the content (core/three-way.ts): the file
 * (yours) and the workspace (theirs).
 */
export interface ThreeWay {
  /** Places only the file changed. */
  yours: string[];
  /** Places only the workspace changed. */
  theirs: string[];
  /** Places both changed the same way. */
  both: string[];
  /** Places changed two ways: the conflicts, with what base, yours and theirs hold there. */
  conflicts: PathValues[];
}

/**
 * One step of a plan. `fileId` is the id written in the file, when it has one; it differs from the
 * workspace's id only where that workspace gave the dashboard another id (see the id map).
 */
export type Action =
  | {
      kind: 'create';
      path: string;
      projectId: string;
      folder: string;
      name: string;
      local: DashboardContent;
      /** Set when the file names an id the workspace does not have. */
      recreateId?: string;
      fileId?: string;
      /**
       * The sync state says the dashboard was deleted in the workspace since the last sync: 'drift'
       * when the file is unchanged since, 'conflict' when it was edited too.
       */
      deletedRemotely?: 'drift' | 'conflict';
      /** contentHash() of `local`. */
      localHash: string;
      /**
       * byteHash of the file as planned: an edit saved meanwhile is noticed before it is recorded as
       * synced.
       */
      fileHash?: string;
      /** The file's own steps after the save (apps): see LocalFile.deploy. */
      deploy?: DeployOptions;
    }
  | {
      kind: 'update';
      path: string;
      projectId: string;
      folder: string;
      id: string;
      name: string;
      local: DashboardContent;
      remote: DashboardContent;
      reason: UpdateReason;
      /** Matched by name, not by id: the id gets recorded. */
      adopt: boolean;
      /**
       * With adopt: the content differs, and the run was asked to adopt this file's namesake
       * (`--adopt`). Without it, an adoption that would replace another dashboard is a conflict.
       */
      adoptAsked?: boolean;
      /** With adopt: when the dashboard it would replace was last changed, as the list says. */
      namesakeUpdatedAt?: string;
      /** Both sides changed since the last sync and the sync state kept the base: what each changed. */
      threeWay?: ThreeWay;
      fileId?: string;
      /** contentHash() of `local`. */
      localHash: string;
      /** contentHash() of `remote`. */
      remoteHash: string;
      fileHash?: string;
      /**
       * The YAML diff on the file's own lines: the workspace's content written as pull would write
       * it into this file, to the file as it is. Set by the command that read the file; without it
       * the plan shows a diff of two normalised renderings.
       */
      diff?: string;
      deploy?: DeployOptions;
    }
  | {
      kind: 'link';
      path: string;
      projectId: string;
      folder: string;
      id: string;
      name: string;
      fileId?: string;
      /** The content hash both sides share. */
      hash: string;
      fileHash?: string;
      deploy?: DeployOptions;
    }
  | {
      kind: 'delete';
      projectId: string;
      folder: string;
      id: string;
      name: string;
      /** Changed in the workspace since the last sync: skipped unless forced. */
      conflict?: boolean;
      /** As listed. */
      updatedAt?: string;
    }
  | { kind: 'error'; path: string; projectId: string; folder: string; name: string; message: string };

/** The kinds of action a plan holds. */
export type ActionKind = Action['kind'];

/** A remote dashboard that no file claims and that is not going to be deleted. */
export interface Unmanaged {
  projectId: string;
  folder: string;
  id: string;
  name: string;
}

/** The result of comparing files with the workspace: what apply would do. */
export interface Plan {
  actions: Action[];
  unmanaged: Unmanaged[];
  /** Files already equal to their remote dashboard. */
  unchanged: number;
  /** Planned with --force: conflicts are carried out too (else apply skips them). */
  force?: boolean;
  /** The drift policy it was planned with; absent: revert (plans made before drift had one). */
  drift?: DriftPolicy;
  /**
   * Drift that the policy (keep, fail) holds out of `actions`: what reverting it would do, for the
   * plan to show. Under revert, drift is in `actions` (core/drift.ts tells it apart).
   */
  drifted?: Action[];
  /**
   * apps: the apps this plan does not save whose publishing was asked (--publish, or `publish: true`
   * in the file), each with what its viewers see; apply publishes those whose viewers are behind
   * (core/deploy.ts, pendingPublishes). Absent where publishing was not asked: learning it costs a
   * versions call per app.
   */
  publishing?: AppPublish[];
}

/**
 * What the viewers of an app see compared with its draft (the newest version): nothing (never
 * published, or unpublished), the draft itself, or an older version (the draft is ahead). `draft`
 * and `published` are version numbers.
 */
export interface PublishStatus {
  state: 'unpublished' | 'published' | 'draft-ahead';
  draft: number;
  published?: number;
}

/** An app of the workspace, held by a file, and its publish state. */
export interface AppPublish {
  path: string;
  projectId: string;
  folder: string;
  id: string;
  name: string;
  status: PublishStatus;
}

/** A problem found in a file: shown as `path:line:col: message`. */
export interface Problem {
  path: string;
  line: number;
  col: number;
  message: string;
}

/** Which workspace a plan is for: where, in which scope and API, and through which environment. */
export interface Workspace {
  url: string;
  scope: string;
  /** dashboards or apps; absent in plans saved by dashsync before 0.2, which only knew dashboards. */
  api?: string;
  env?: string;
}
