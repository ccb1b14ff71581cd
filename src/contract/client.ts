import type { DashboardContent, RemoteDashboard, RemoteSummary } from '../core/types.js';

/*
 * The API as commands use it: an interface here, so that commands, tests and scripts depend on
 * what a client does, not on the HTTP client (remote/client.ts implements it; tests pass an
 * in-memory one).
 */

/** The Dashboards API as dashsync uses it. Implemented over HTTP by DashboardsClient. */
export interface DashboardsApi {
  /** Every dashboard of the workspace (metadata only). */
  listAll(): Promise<RemoteSummary[]>;
  /** The dashboards of one project (metadata only). */
  listProject(projectId: string): Promise<RemoteSummary[]>;
  /** One dashboard with its definition, or undefined when the server has none by that id. */
  get(projectId: string, id: string): Promise<RemoteDashboard | undefined>;
  /**
   * Creates (no id, or an id not in `knownIds`) or updates (id) a dashboard and returns its id. A
   * create whose outcome is unknown (its answer lost or late) is looked for in the project's list
   * before it is sent again, so it never makes a duplicate: `knownIds` are the project's ids before
   * the create.
   */
  save(
    projectId: string,
    dashboard: DashboardContent & { id?: string },
    knownIds?: ReadonlySet<string>,
    options?: SaveOptions,
  ): Promise<string>;
  /** Deletes a dashboard; deleting one that is already gone is not an error. */
  delete(projectId: string, id: string): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
  /** An app's version checkpoints, newest first (/apps only). */
  versions?(projectId: string, id: string): Promise<AppVersion[]>;
  /** Bookmarks a version checkpoint (never pruned), with a label (/apps only). */
  bookmark?(projectId: string, id: string, versionId: string, label: string): Promise<void>;
  /** Publishes an app's current draft to its viewers (/apps only). */
  publish?(projectId: string, id: string): Promise<void>;
  /** Restores a version non-destructively: it becomes the newest, whose number is returned when told (/apps only). */
  restore?(projectId: string, id: string, versionId: string): Promise<{ number?: number }>;
  /** Takes an app back to draft only: its viewers see it no more (/apps only). */
  unpublish?(projectId: string, id: string): Promise<void>;
}

/** What a caller of save may ask to be told. */
export interface SaveOptions {
  /**
   * Called when a create's outcome was unknown at some point (an answer lost or late): the server
   * may still commit a copy of it later, which the caller looks for once its run is done.
   */
  onDoubt?: () => void;
}

/** One version checkpoint of an app, as the versions route lists it. */
export interface AppVersion {
  versionId: string;
  /** Its number (1 for the first save), when the server numbers versions. */
  number?: number;
  createdAt?: string;
  /** Who saved it, when the server says. */
  author?: string;
  bookmarked: boolean;
  label?: string;
  /** True for the version viewers of the published app see. */
  published?: boolean;
  /** For a restore: the number of the version it brought back. */
  restoredFrom?: number;
}
