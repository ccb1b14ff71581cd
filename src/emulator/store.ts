import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { KEPT_CHECKPOINTS } from '../api/versions.js';

/** A dashboard as the emulator keeps it. */
export interface StoredDashboard {
  id: string;
  project_id: string;
  name: string;
  definition: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  /** Version checkpoints of an app, oldest first: one per save (see checkpoint below, app-routes.ts). */
  versions?: StoredVersion[];
  /** The version viewers of the published app see, when it is published. */
  published_version_id?: string;
}

/** One version checkpoint of an app. */
export interface StoredVersion {
  version_id: string;
  /** 1 for the app's first save, one more for each save or restore after it. */
  number: number;
  /** The user whose token made it. */
  author: string;
  /** For a restore: the number of the version it brought back. */
  restored_from?: number;
  created_at: string;
  name: string;
  definition: Record<string, unknown>;
  bookmarked: boolean;
  label?: string;
}

/** How a save is recorded: as an app's new version (by `author`, maybe a restore), or not at all. */
export interface SaveOptions {
  versioned?: { author: string; restoredFrom?: number };
}

type Scopes = Record<string, Record<string, Record<string, StoredDashboard>>>;

/**
 * The emulator's data: scope -> project -> id -> dashboard. In memory, optionally persisted to one
 * JSON file, written whole to a temp file and renamed over the old one so a crash never tears it.
 * Concurrent changes share one write (group commit); each change resolves once it is on disk.
 */
export class Store {
  private data: Scopes = {};
  private lastStamp = 0;
  private dirty = false;
  private flushing: Promise<void> | undefined;

  constructor(private readonly file?: string) {
    if (file) {
      try {
        this.data = JSON.parse(readFileSync(file, 'utf8')) as Scopes;
        numberVersions(this.data);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          throw new Error(`cannot load ${file}: ${(e as Error).message}`, { cause: e });
      }
    }
  }

  private stamp(): string {
    // Strictly increasing, so every save changes updated_at even within one millisecond.
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }

  /** The dashboards of a scope, of one project when given. */
  list(scope: string, projectId?: string): StoredDashboard[] {
    const projects = this.data[scope] ?? {};
    const ids = projectId === undefined ? Object.keys(projects) : [projectId];
    return ids.flatMap((id) => Object.values(projects[id] ?? {}));
  }

  /** One dashboard, when the store has it. */
  get(scope: string, projectId: string, id: string): StoredDashboard | undefined {
    return this.data[scope]?.[projectId]?.[id];
  }

  /** Creates or updates a dashboard; with `versioned` (an app), appends a version checkpoint. */
  async save(
    scope: string,
    projectId: string,
    dashboard: { id?: string; name: string; definition: Record<string, unknown> },
    { versioned }: SaveOptions = {},
  ): Promise<StoredDashboard> {
    const project = ((this.data[scope] ??= {})[projectId] ??= {});
    const id = dashboard.id ?? randomUUID();
    const now = this.stamp();
    const previous = project[id];
    const { name, definition } = dashboard;
    const saved: StoredDashboard = {
      ...previous,
      id,
      project_id: projectId,
      name,
      definition,
      created_at: previous?.created_at ?? now,
      updated_at: now,
    };
    if (versioned) {
      const versions = previous?.versions ?? [];
      const version: StoredVersion = {
        version_id: randomUUID(),
        number: (versions[versions.length - 1]?.number ?? 0) + 1,
        author: versioned.author,
        ...(versioned.restoredFrom !== undefined ? { restored_from: versioned.restoredFrom } : {}),
        created_at: now,
        name,
        definition,
        bookmarked: false,
      };
      saved.versions = checkpoint(versions, version, saved.published_version_id);
    }
    project[id] = saved;
    await this.persist();
    return saved;
  }

  /** Deletes a dashboard; false when there was none. */
  async delete(scope: string, projectId: string, id: string): Promise<boolean> {
    const project = this.data[scope]?.[projectId];
    if (!project?.[id]) return false;
    delete project[id];
    if (Object.keys(project).length === 0) delete this.data[scope]![projectId];
    await this.persist();
    return true;
  }

  /** Changes a stored app in place (bookmark, publish) and persists it; false when there is none. */
  async change(scope: string, projectId: string, id: string, edit: (app: StoredDashboard) => void): Promise<boolean> {
    const app = this.get(scope, projectId, id);
    if (!app) return false;
    edit(app);
    await this.persist();
    return true;
  }

  /** Empties the store. */
  clear(): void {
    this.data = {};
  }

  /** Number of dashboards over all scopes. */
  count(): number {
    return Object.keys(this.data).reduce((count, scope) => count + this.list(scope).length, 0);
  }

  private persist(): Promise<void> {
    if (!this.file) return Promise.resolve();
    this.dirty = true;
    this.flushing ??= this.flush();
    return this.flushing;
  }

  // Writes until no change is left unwritten; every change made meanwhile rides on the next write.
  private async flush(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify(this.data));
        await rename(tmp, this.file!);
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

/**
 * The checkpoints after a save: the new one appended, and of the unbookmarked ones that are not the
 * published version only the newest KEPT_CHECKPOINTS kept.
 */
export function checkpoint(
  versions: StoredVersion[],
  next: StoredVersion,
  publishedId: string | undefined,
): StoredVersion[] {
  const all = [...versions, next];
  const kept = (version: StoredVersion): boolean => version.bookmarked || version.version_id === publishedId;
  // The oldest prunable checkpoints go first, until only KEPT_CHECKPOINTS of them are left.
  let prunable = all.filter((version) => !kept(version)).length - KEPT_CHECKPOINTS;
  return all.filter((version) => prunable <= 0 || kept(version) || prunable-- <= 0);
}

// Versions kept by an emulator from before versions had numbers and authors: numbered oldest first.
function numberVersions(data: Scopes): void {
  for (const projects of Object.values(data))
    for (const apps of Object.values(projects))
      for (const app of Object.values(apps))
        app.versions?.forEach((version, i) => {
          version.number ??= i + 1;
          version.author ??= 'unknown';
        });
}
