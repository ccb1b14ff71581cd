import type { DashboardContent, Json, JsonObject, RemoteDashboard, RemoteSummary } from '../core/types.js';
import { withoutOwnFields } from '../core/app.js';
import { ApiError } from '../errors.js';
import { HttpTransport } from './http.js';
import type { HttpOptions } from './http.js';

/** The Dashboards API as dashsync uses it. Implemented over HTTP by DashboardsClient. */
export interface DashboardsApi {
  /** Every dashboard of the workspace (metadata only). */
  listAll(): Promise<RemoteSummary[]>;
  /** The dashboards of one project (metadata only). */
  listProject(projectId: string): Promise<RemoteSummary[]>;
  /** One dashboard with its definition, or undefined when the server has none by that id. */
  get(projectId: string, id: string): Promise<RemoteDashboard | undefined>;
  /**
   * Creates (no id) or updates (id) a dashboard and returns its id. A create whose outcome is
   * unknown (connection dropped after sending) is checked against the project's list before it is
   * tried again, so it never makes a duplicate: `knownIds` are the project's ids before the create.
   */
  save(
    projectId: string,
    dashboard: DashboardContent & { id?: string },
    knownIds?: ReadonlySet<string>,
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
}

/** One version checkpoint of an app, as the versions route lists it. */
export interface AppVersion {
  versionId: string;
  createdAt?: string;
  bookmarked: boolean;
  label?: string;
}

/** Options of the HTTP client. */
export interface ClientOptions extends Omit<HttpOptions, 'connections'> {
  scope: 'user' | 'organization';
  /**
   * Which API: `dashboards` (the original paths), or `apps`, their documented successor, where a
   * save sends the definition itself as `app`, with the app's id and name inside, and a get's
   * definition is returned without them (they are the app's `id` and `name`).
   */
  api?: 'dashboards' | 'apps';
  /** Requests in flight at once; also the size of the connection pool. */
  concurrency?: number;
}

const enc = encodeURIComponent;

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function protocolError(method: string, path: string, message: string): ApiError {
  return new ApiError({
    kind: 'protocol',
    method,
    path,
    status: 200,
    serverMessage: message,
    suggestion: 'the server does not answer as the Dashboards API documents',
  });
}

function toSummary(item: unknown, fallbackProject: string | undefined, where: string): RemoteSummary {
  const o = (item ?? {}) as Record<string, unknown>;
  const id = asString(o.id);
  const projectId = asString(o.project_id) ?? asString(o.projectId) ?? fallbackProject;
  if (!id || !projectId)
    throw protocolError(
      'GET',
      where,
      `a listed dashboard has no ${id ? 'project_id' : 'id'}: ${JSON.stringify(item)?.slice(0, 200)}`,
    );
  const updatedAt = asString(o.updated_at) ?? asString(o.updatedAt);
  return { id, projectId, name: asString(o.name) ?? '', ...(updatedAt ? { updatedAt } : {}) };
}

function toDefinition(v: unknown): JsonObject {
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return {};
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
}

const META = new Set(['id', 'project_id', 'projectId', 'name', 'created_at', 'updated_at', 'createdAt', 'updatedAt']);

function inlineDefinition(o: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !META.has(k))) as JsonObject;
}

/** The five documented calls over HTTP, each with `scope`, Bearer auth and encoded path segments. */
export class DashboardsClient implements DashboardsApi {
  private readonly http: HttpTransport;

  constructor(private readonly opts: ClientOptions) {
    this.http = new HttpTransport({ ...opts, connections: opts.concurrency ?? 8 });
  }

  private get q(): Record<string, string> {
    return { scope: this.opts.scope };
  }

  private get api(): string {
    return this.opts.api ?? 'dashboards';
  }

  private list(path: string, data: unknown, fallbackProject?: string): RemoteSummary[] {
    const items = Array.isArray(data)
      ? data
      : ((data as { dashboards?: unknown; apps?: unknown } | null)?.dashboards ??
        (data as { apps?: unknown } | null)?.apps);
    if (!Array.isArray(items)) throw protocolError('GET', path, 'the list response holds no array of dashboards');
    return items.map((i) => toSummary(i, fallbackProject, path));
  }

  async listAll(): Promise<RemoteSummary[]> {
    const path = `/${this.api}/list`;
    return this.list(path, (await this.http.call('GET', path, this.q)).data);
  }

  async listProject(projectId: string): Promise<RemoteSummary[]> {
    const path = `/${this.api}/${enc(projectId)}/list`;
    try {
      return this.list(path, (await this.http.call('GET', path, this.q)).data, projectId);
    } catch (e) {
      // A project with no dashboards may not exist yet for the server.
      if (e instanceof ApiError && e.kind === 'not-found') return [];
      throw e;
    }
  }

  async get(projectId: string, id: string): Promise<RemoteDashboard | undefined> {
    const path = `/${this.api}/${enc(projectId)}/${enc(id)}`;
    let data: unknown;
    try {
      data = (await this.http.call('GET', path, this.q)).data;
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'not-found') return undefined;
      throw e;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      throw protocolError('GET', path, 'the response holds no dashboard');
    const o = data as Record<string, unknown>;
    const updatedAt = asString(o.updated_at) ?? asString(o.updatedAt);
    return {
      id: asString(o.id) ?? id,
      projectId: asString(o.project_id) ?? projectId,
      name: asString(o.name) ?? '',
      // Liberal: an app answered with its definition's fields inline, as it is saved, is read too.
      // An app's definition holds its own id and name: they are the app's id and name, kept once.
      definition:
        this.api !== 'apps'
          ? toDefinition(o.definition)
          : withoutOwnFields('definition' in o ? toDefinition(o.definition) : inlineDefinition(o)),
      ...(updatedAt ? { updatedAt } : {}),
    };
  }

  async save(
    projectId: string,
    d: DashboardContent & { id?: string },
    knownIds?: ReadonlySet<string>,
  ): Promise<string> {
    const path = `/${this.api}/${enc(projectId)}/save`;
    const id = d.id !== undefined ? { id: d.id } : {};
    const body =
      this.api === 'apps'
        ? // The app is the definition with the app's own id (only that one: never an id the
          // definition happens to hold) and name inside.
          { scope: this.opts.scope, app: { ...withoutOwnFields(d.definition), ...id, name: d.name } }
        : { scope: this.opts.scope, dashboard: { ...id, name: d.name, definition: d.definition as Json } };
    // A save naming an id the workspace lacks creates too (or, on a server that assigns its own
    // ids, makes a new one): its unknown outcome is checked before any retry, like any create.
    const creating = d.id === undefined || (knownIds !== undefined && !knownIds.has(d.id));
    for (let tries = 1; ; tries++) {
      try {
        const { data } = await this.http.call('POST', path, {}, { body, once: creating });
        const id = asString((data as { id?: unknown } | null)?.id) ?? d.id;
        if (!id) throw protocolError('POST', path, 'the save response holds no id');
        return id;
      } catch (e) {
        if (!(e instanceof ApiError) || !e.outcomeUnknown || !creating || tries >= this.http.retry.attempts) throw e;
        // The create may have happened: look before trying again, so as never to make a duplicate.
        const now = await this.listProject(projectId);
        const made = now.filter((r) => r.name === d.name && !knownIds?.has(r.id));
        if (made.length === 1 && knownIds) return made[0]!.id;
        if (made.length > 0) throw e;
      }
    }
  }

  async delete(projectId: string, id: string): Promise<void> {
    const path = `/${this.api}/${enc(projectId)}/${enc(id)}`;
    try {
      await this.http.call('DELETE', path, this.q);
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'not-found') return;
      throw e;
    }
  }

  async versions(projectId: string, id: string): Promise<AppVersion[]> {
    const path = `/apps/${enc(projectId)}/${enc(id)}/versions`;
    const data = (await this.http.call('GET', path, this.q)).data;
    const items = Array.isArray(data) ? data : (data as { versions?: unknown } | null)?.versions;
    if (!Array.isArray(items)) throw protocolError('GET', path, 'the response holds no list of versions');
    const rows = items.map((v): AppVersion => {
      const o = (v ?? {}) as Record<string, unknown>;
      const versionId = asString(o.version_id) ?? asString(o.versionId) ?? asString(o.id);
      if (!versionId)
        throw protocolError('GET', path, `a listed version has no version_id: ${JSON.stringify(v)?.slice(0, 200)}`);
      const createdAt = asString(o.created_at) ?? asString(o.createdAt);
      const label = asString(o.label);
      return {
        versionId,
        bookmarked: o.bookmarked === true,
        ...(createdAt ? { createdAt } : {}),
        ...(label !== undefined ? { label } : {}),
      };
    });
    // Newest first, whatever order the server lists them in (when it gives times).
    return rows.every((r) => r.createdAt)
      ? rows.sort((a, b) => (a.createdAt! < b.createdAt! ? 1 : a.createdAt! > b.createdAt! ? -1 : 0))
      : rows;
  }

  async bookmark(projectId: string, id: string, versionId: string, label: string): Promise<void> {
    const path = `/apps/${enc(projectId)}/${enc(id)}/versions/${enc(versionId)}/bookmark`;
    await this.http.call('PATCH', path, this.q, { body: { bookmarked: true, label } });
  }

  async publish(projectId: string, id: string): Promise<void> {
    await this.http.call('POST', `/apps/${enc(projectId)}/${enc(id)}/publish`, this.q);
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
