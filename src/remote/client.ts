import { routePath } from '../api/routes.js';
import type { ApiFlavour } from '../api/routes.js';
import type { BookmarkRequest } from '../api/versions.js';
import type { AppVersion, DashboardsApi, SaveOptions } from '../contract/client.js';
import type { DashboardContent, Json, JsonObject, RemoteDashboard, RemoteSummary } from '../core/types.js';
import { withoutOwnFields } from '../core/app.js';
import { MAX_NESTING, nestsTooDeep } from '../core/canonical.js';
import { compareText } from '../core/compare.js';
import { ApiError } from '../errors.js';
import { definedOnly } from '../util/defined.js';
import { createOnce, lookWindowFor } from './create.js';
import type { ClientIdsLearnt } from './create.js';
import { noApiAt } from './http-errors.js';
import { HttpTransport } from './http.js';
import { normalizeBaseUrl } from './url.js';
import type { HttpOptions } from './http.js';
import { asString, readList, protocolError, readDefinition, readGot, readSavedId, shown } from './shapes.js';
import type { Call } from './shapes.js';

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

const META = new Set(['id', 'project_id', 'projectId', 'name', 'created_at', 'updated_at', 'createdAt', 'updatedAt']);

// An app sent with its definition's fields inline: those fields, less the metadata.
function inlineDefinition(app: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(app).filter(([key]) => !META.has(key))) as JsonObject;
}

/** The five documented calls over HTTP, each with `scope`, Bearer auth and encoded path segments. */
export class DashboardsClient implements DashboardsApi {
  private readonly http: HttpTransport;
  /** How this server treats ids chosen by the client, learnt from the creates of this run. */
  private readonly clientIds: ClientIdsLearnt = { value: 'unknown' };

  constructor(private readonly opts: ClientOptions) {
    this.http = new HttpTransport({ ...opts, connections: opts.concurrency ?? 8 });
  }

  private get scopeQuery(): Record<string, string> {
    return { scope: this.opts.scope };
  }

  private get api(): ApiFlavour {
    return this.opts.api ?? 'dashboards';
  }

  // A GET as errors name it: with its query, as the transport's own errors name it.
  private getCall(path: string): Call {
    return { ...this.call('GET', path), path: `${path}?${new URLSearchParams(this.scopeQuery).toString()}` };
  }

  // A call as errors about its answer name it; they quote the answer, so they are redacted.
  private call(method: string, path: string): Call {
    return { method, path, redact: (text) => this.http.redact(text), api: this.api };
  }

  private list(path: string, data: unknown, projectOfPath?: string): RemoteSummary[] {
    const call = this.getCall(path);
    return readList(data, call, projectOfPath);
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
    return this.projectRows(projectId, true);
  }

  // A project's list; `earns`: whether its success adds to the command's retry budget (see CallOptions).
  private async projectRows(projectId: string, earns: boolean): Promise<RemoteSummary[]> {
    const path = routePath(this.api, 'listProject', { project: projectId });
    try {
      return this.list(path, (await this.http.call('GET', path, this.scopeQuery, { earns })).data, projectId);
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
    const call = this.getCall(path);
    const summary = readGot(data, call, { projectId, id });
    const fields = data as Record<string, unknown>;
    // Liberal: an app answered with its definition's fields inline, as it is saved, is read too.
    const inline = this.api === 'apps' && !('definition' in fields) ? inlineDefinition(fields) : undefined;
    const definition = inline && Object.keys(inline).length ? inline : readDefinition(fields.definition);
    if (!definition)
      throw protocolError(
        call,
        `the dashboard has no definition (an object): ${'definition' in fields ? shown(fields.definition) : 'none sent'}`,
      );
    // Refused before anything walks it: the walks are recursive, and no file could hold it anyway.
    if (nestsTooDeep(definition)) throw protocolError(call, `the definition nests deeper than ${MAX_NESTING} levels`);
    return {
      ...summary,
      // An app's definition holds its own id and name: they are the app's id and name, kept once.
      definition: this.api === 'apps' ? withoutOwnFields(definition) : definition,
    };
  }

  async save(
    projectId: string,
    dashboard: DashboardContent & { id?: string },
    knownIds?: ReadonlySet<string>,
    options: SaveOptions = {},
  ): Promise<string> {
    const path = routePath(this.api, 'save', { project: projectId });
    const call = this.call('POST', path);
    const { name, definition } = dashboard;
    const bodyWith = (id: string | undefined): object => {
      const withId = definedOnly({ id });
      return this.api === 'apps'
        ? // The app is the definition with the app's own id (only that one: never an id the
          // definition happens to hold) and name inside.
          { scope: this.opts.scope, app: { ...withoutOwnFields(definition), ...withId, name } }
        : { scope: this.opts.scope, dashboard: { ...withId, name, definition: definition as Json } };
    };
    // A save naming an id the workspace lacks creates too (or, on a server that assigns its own
    // ids, makes a new one): it is made as every create is, never twice (create.ts).
    const creating = dashboard.id === undefined || (knownIds !== undefined && !knownIds.has(dashboard.id));
    if (!creating) {
      const { data } = await this.http.call('POST', path, {}, { body: bodyWith(dashboard.id) });
      return readSavedId(data, call, dashboard.id);
    }
    return createOnce(
      {
        send: async (id) => {
          const { data } = await this.http.call('POST', path, {}, { body: bodyWith(id), once: true });
          try {
            return readSavedId(data, call);
          } catch (e) {
            // A 2xx that names no id: the server made it (or not), and only its list can tell which.
            throw e instanceof ApiError ? e.with({ outcomeUnknown: true }) : e;
          }
        },
        list: () => this.projectRows(projectId, false),
        debug: (line) => this.opts.onDebug?.(this.http.redact(line)),
        attempts: this.http.retry.attempts,
        mayRetry: () => this.http.budget.take(),
        lookWindowMs: lookWindowFor(this.opts.requestTimeoutMs ?? 30_000),
        learnt: this.clientIds,
      },
      {
        name,
        ...definedOnly({ wantedId: dashboard.id, knownIds, onDoubt: options.onDoubt }),
      },
    );
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
    const call = this.getCall(path);
    if (!Array.isArray(items)) throw protocolError(call, 'the response holds no list of versions');
    const rows = items.map((item): AppVersion => {
      const row = (item ?? {}) as Record<string, unknown>;
      const versionId = asString(row.version_id) ?? asString(row.versionId) ?? asString(row.id);
      if (!versionId) throw protocolError(call, `a listed version has no version_id: ${shown(item)}`);
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
          restoredFrom: typeof row.restored_from === 'number' ? row.restored_from : undefined,
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

  async restore(projectId: string, id: string, versionId: string): Promise<{ number?: number }> {
    const path = routePath('apps', 'restore', { project: projectId, id, version: versionId });
    const data = (await this.http.call('POST', path, this.scopeQuery)).data as { version?: unknown } | null;
    return typeof data?.version === 'number' ? { number: data.version } : {};
  }

  async unpublish(projectId: string, id: string): Promise<void> {
    await this.http.call('POST', routePath('apps', 'unpublish', { project: projectId, id }), this.scopeQuery);
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
