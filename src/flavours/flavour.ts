import type { ApiFlavour } from '../api/routes.js';
import type { DashboardsApi } from '../contract/client.js';
import type { ActionOutcome, DeployOutcome } from '../contract/execution.js';
import type { Reporter } from '../contract/reporter.js';
import type { AppPublish, DashboardContent, DeployOptions, JsonObject, Problem } from '../core/types.js';
import type { Noun } from '../core/words.js';
import type { FileReading } from '../local/file-reading.js';

/*
 * The API flavour of a run: what differs between a folder synced with the Dashboards API and one
 * synced with its successor, the Apps API, beyond the routes (api/routes.ts, which the client in
 * remote/ already follows). Two implementations, dashboards/ and apps/; index.ts picks one when a
 * run opens, from `api:` in the settings, and the commands pass it along instead of asking which
 * API they talk to. A difference between the two is a member here and a line in each.
 */

/** What only `validate` says of a folder's valid files: errors (which fail it) and warnings (which never do). */
export interface FileNotes {
  problems: Problem[];
  warnings: Problem[];
}

/** What the steps after the saves work with: the client, and the reporter they show their steps to. */
export interface SaveSteps {
  client: DashboardsApi;
  reporter: Reporter;
}

/** What `publishApps` does to each app: publish its draft, or take it back to draft only. */
export type PublishStep = 'publish' | 'unpublish';

/** One API flavour: dashboards, or apps. */
export interface Flavour {
  /** Which API the run talks to: the client's routes are api/routes.ts's for it. */
  readonly api: ApiFlavour;
  /** What its things are called in messages. */
  readonly noun: Noun;
  /**
   * File to content: the keys a file may hold (the file schema: apps add `publish:` and `bookmark:`,
   * which dashboards refuse), what is compared and saved, and the errors that stop a file offline.
   */
  readonly reading: FileReading;
  /** What the content read from files depends on besides their bytes: the file cache's fingerprint. */
  readingKey(): object;
  /**
   * Remote to file: the definition pull writes into a file of project folder `folder`
   * (`currentText`: the file's text, when it has one, whose way of naming projects is kept).
   */
  fileDefinition(definition: JsonObject, folder: string, currentText?: string): JsonObject;
  /**
   * A dashboard copied into another project by migrate: the content the copy holds, with each
   * project id it names mapped by `project` (undefined: kept).
   */
  copied(dashboard: DashboardContent, project: (id: string) => string | undefined): DashboardContent;
  /** Offline validation beyond reading: what `validate` alone says of the valid files at `paths`. */
  validateFiles(cwd: string, paths: string[]): Promise<FileNotes>;
  /** Refuses a command that works with an app's versions (history, restore) where the API keeps none. */
  requireVersions(command: string): void;
  /** Refuses the steps after the saves (--publish, --bookmark) where this API cannot take them. */
  checkSteps(flags: DeployOptions): void;
  /** Refuses `command` (import, export: the platform's app formats) where this API has no apps. */
  requireApps(command: string): void;
  /**
   * What happens after the saves, for the actions done: apps bookmark and publish as their files and
   * the flags ask (core/deploy.ts); dashboards, nothing. A failure of one is reported and returned.
   */
  afterSaves(io: SaveSteps, outcomes: ActionOutcome[], flags: DeployOptions): Promise<DeployOutcome[]>;
  /**
   * Publishes (or unpublishes) apps a run does not save: apply's apps whose viewers are behind, and
   * those of `dashsync publish` and `unpublish`. Dashboards: never reached (checkSteps refuses).
   */
  publishApps(
    io: SaveSteps & { concurrency: number; signal?: AbortSignal | undefined },
    apps: readonly AppPublish[],
    step: PublishStep,
  ): Promise<DeployOutcome[]>;
}
