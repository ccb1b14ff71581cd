import { API_NAMES, API_NOUNS, routePath } from '../api/routes.js';
import type { ApiFlavour } from '../api/routes.js';
import type { BookmarkRequest } from '../api/versions.js';
import type { AppVersion, DashboardsApi } from '../contract/client.js';
import type { DashboardContent, Json, JsonObject, RemoteDashboard, RemoteSummary } from '../core/types.js';
import { withoutOwnFields } from '../core/app.js';
import { compareText } from '../core/compare.js';
import { ApiError } from '../errors.js';
import { definedOnly } from '../util/defined.js';
import { noApiAt } from './http-errors.js';
import { HttpTransport } from './http.js';
import { normalizeBaseUrl } from './url.js';
import type { HttpOptions } from './http.js';

/** Options of the HTTP client. */
export interface ClientOptions extends Omit<HttpOptions, 'connections'> {
  scope: 'user' | 'organization';
  /**
   * Which API: `dashboards` (the original paths), or `apps`, their documented successor, where a
   * save sends the definition itself as `app`, with the app's id and name inside, and a get's
   * definition is returned without them (they are the app's `id` and `name`).
   */
  api?: ApiFlavour;
  /** Requests in flight at once; also the size of the connection pool. */
  concurrency?: number;
}

// A field the server sent as a string (or a number: some servers send numeric ids).
function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

// An answer of the wrong shape, as the call's API (`api`) would not give it: nothing of it is used.
function protocolError(method: string, path: string, message: string, api: ApiFlavour): ApiError {
  return new ApiError({
    kind: 'protocol',
    method,
    path,
    status: 200,
    serverMessage: message,
    suggestion: `the server does not answer as the ${API_NAMES[api]} documents`,
  });
}

// A list row as a RemoteSummary; snake_case or camelCase fields both read (liberal in what it takes).
// A row without an id or a project cannot be told apart from others: the list is refused whole,
// as any answer of the wrong shape is, before anything is planned, written or recorded from it.
function toSummary(item: unknown, fallbackProject: string | undefined, where: string, api: ApiFlavour): RemoteSummary {
  const row = (item ?? {}) as Record<string, unknown>;
  const id = asString(row.id);
  const projectId = asString(row.project_id) ?? asString(row.projectId) ?? fallbackProject;
  if (!id || !projectId)
    throw protocolError(
      'GET',
      where,
      `a listed ${API_NOUNS[api].one} has no ${id ? 'project_id' : 'id'}: ${JSON.stringify(item)?.slice(0, 200)}`,
      api,
    );
  const updatedAt = asString(row.updated_at) ?? asString(row.updatedAt);
  return { id, projectId, name: asString(row.name) ?? '', ...definedOnly({ updatedAt: updatedAt || undefined }) };
}

// A definition as sent: an object, or JSON text of one (some servers store it as text).
function toDefinition(sent: unknown): JsonObject {
  let definition = sent;
  if (typeof definition === 'string') {
    try {
      definition = JSON.parse(definition);
    } catch {
      return {};
    }
  }
  return definition !== null && typeof definition === 'object' && !Array.isArray(definition)
    ? (definition as JsonObject)
    : {};
}

const META = new Set(['id', 'project_id', 'projectId', 'name', 'created_at', 'updated_at', 'createdAt', 'updatedAt']);

// An app sent with its definition's fields inline: those fields, less the metadata.
function inlineDefinition(app: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(app).filter(([key]) => !META.has(key))) as JsonObject;
}

/** The five documented calls over HTTP, each with `scope`, Bearer auth and encoded path segments. */
export class DashboardsClient implements DashboardsApi {
  private readonly http: HttpTransport;

  constructor(private readonly opts: ClientOptions) {
    this.http = new HttpTransport({ ...opts, connections: opts.concurrency ?? 8 });
  }

  private get scopeQuery(): Record<string, string> {
    return { scope: this.opts.scope };
  }

  private get api(): ApiFlavour {
    return this.opts.api ?? 'dashboards';
  }

  private list(path: string, data: unknown, fallbackProject?: string): RemoteSummary[] {
    const items = Array.isArray(data)
      ? data
      : ((data as { dashboards?: unknown; apps?: unknown } | null)?.dashboards ??
        (data as { apps?: unknown } | null)?.apps);
    if (!Array.isArray(items))
      throw protocolError('GET', path, `the list response holds no array of ${API_NOUNS[this.api].many}`, this.api);
    return items.map((item) => toSummary(item, fallbackProject, path, this.api));
  }

  async listAll(): Promise<RemoteSummary[]> {
    const path = routePath(this.api, 'listAll');
    try {
      return this.list(path, (await this.http.call('GET', path, this.scopeQuery)).data);
    } catch (e) {
      // The first call of every run: a 404 here is a URL that leads to no API, not a missing project.
      if (e instanceof ApiError && e.kind === 'not-found')
        throw noApiAt(e, normalizeBaseUrl(this.opts.baseUrl), this.api);
      throw e;
    }
  }

  async listProject(projectId: string): Promise<RemoteSummary[]> {
    const path = routePath(this.api, 'listProject', { project: projectId });
    try {
      return this.list(path, (await this.http.call('GET', path, this.scopeQuery)).data, projectId);
    } catch (e) {
      // A project with no dashboards may not exist yet for the server.
      if (e instanceof ApiError && e.kind === 'not-found') return [];
      throw e;
    }
  }

  async get(projectId: string, id: string): Promise<RemoteDashboard | undefined> {
    const path = routePath(this.api, 'get', { project: projectId, id });
    let data: unknown;
    try {
      data = (await this.http.call('GET', path, this.scopeQuery)).data;
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'not-found') return undefined;
      throw e;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      throw protocolError('GET', path, `the response holds no ${API_NOUNS[this.api].one}`, this.api);
    const fields = data as Record<string, unknown>;
    const updatedAt = asString(fields.updated_at) ?? asString(fields.updatedAt);
    return {
      id: asString(fields.id) ?? id,
      projectId: asString(fields.project_id) ?? projectId,
      name: asString(fields.name) ?? '',
      // Liberal: an app answered with its definition's fields inline, as it is saved, is read too.
      // An app's definition holds its own id and name: they are the app's id and name, kept once.
      definition:
        this.api !== 'apps'
          ? toDefinition(fields.definition)
          : withoutOwnFields('definition' in fields ? toDefinition(fields.definition) : inlineDefinition(fields)),
      ...definedOnly({ updatedAt: updatedAt || undefined }),
    };
  }

  async save(
    projectId: string,
    dashboard: DashboardContent & { id?: string },
    knownIds?: ReadonlySet<string>,
  ): Promise<string> {
    const path = routePath(this.api, 'save', { project: projectId });
    const { name, definition } = dashboard;
    const id = definedOnly({ id: dashboard.id });
    const body =
      this.api === 'apps'
        ? // The app is the definition with the app's own id (only that one: never an id the
          // definition happens to hold) and name inside.
          { scope: this.opts.scope, app: { ...withoutOwnFields(definition), ...id, name } }
        : { scope: this.opts.scope, dashboard: { ...id, name, definition: definition as Json } };
    // A save naming an id the workspace lacks creates too (or, on a server that assigns its own
    // ids, makes a new one): its unknown outcome is checked before any retry, like any create.
    const creating = dashboard.id === undefined || (knownIds !== undefined && !knownIds.has(dashboard.id));
    for (let tries = 1; ; tries++) {
      try {
        const { data } = await this.http.call('POST', path, {}, { body, once: creating });
        const savedId = asString((data as { id?: unknown } | null)?.id) ?? dashboard.id;
        if (!savedId) throw protocolError('POST', path, 'the save response holds no id', this.api);
        return savedId;
      } catch (e) {
        if (!(e instanceof ApiError) || !e.outcomeUnknown || !creating || tries >= this.http.retry.attempts) throw e;
        // The create may have happened: look before trying again, so as never to make a duplicate.
        const now = await this.listProject(projectId);
        const made = now.filter((listed) => listed.name === name && !knownIds?.has(listed.id));
        if (made.length === 1 && knownIds) return made[0]!.id;
        if (made.length > 0) throw e;
      }
    }
  }

  async delete(projectId: string, id: string): Promise<void> {
    const path = routePath(this.api, 'delete', { project: projectId, id });
    try {
      await this.http.call('DELETE', path, this.scopeQuery);
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'not-found') return;
      throw e;
    }
  }

  async versions(projectId: string, id: string): Promise<AppVersion[]> {
    const path = routePath('apps', 'versions', { project: projectId, id });
    const data = (await this.http.call('GET', path, this.scopeQuery)).data;
    const items = Array.isArray(data) ? data : (data as { versions?: unknown } | null)?.versions;
    if (!Array.isArray(items)) throw protocolError('GET', path, 'the response holds no list of versions', 'apps');
    const rows = items.map((item): AppVersion => {
      const row = (item ?? {}) as Record<string, unknown>;
      const versionId = asString(row.version_id) ?? asString(row.versionId) ?? asString(row.id);
      if (!versionId)
        throw protocolError(
          'GET',
          path,
          `a listed version has no version_id: ${JSON.stringify(item)?.slice(0, 200)}`,
          'apps',
        );
      const createdAt = asString(row.created_at) ?? asString(row.createdAt);
      const number = row.version ?? row.version_number;
      return {
        versionId,
        bookmarked: row.bookmarked === true,
        ...definedOnly({
          number: typeof number === 'number' && Number.isInteger(number) ? number : undefined,
          createdAt: createdAt || undefined,
          author: asString(row.author) || undefined,
          label: asString(row.label),
          published: typeof row.published === 'boolean' ? row.published : undefined,
        }),
      };
    });
    // Newest first, whatever order the server lists them in (when it gives times).
    return rows.every((row) => row.createdAt)
      ? rows.sort((left, right) => compareText(right.createdAt!, left.createdAt!))
      : rows;
  }

  async bookmark(projectId: string, id: string, versionId: string, label: string): Promise<void> {
    const path = routePath('apps', 'bookmark', { project: projectId, id, version: versionId });
    const body: BookmarkRequest = { bookmarked: true, label };
    await this.http.call('PATCH', path, this.scopeQuery, { body });
  }

  async publish(projectId: string, id: string): Promise<void> {
    await this.http.call('POST', routePath('apps', 'publish', { project: projectId, id }), this.scopeQuery);
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
