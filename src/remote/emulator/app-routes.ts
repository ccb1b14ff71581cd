import type { IncomingMessage } from 'node:http';
import { definedOnly } from '../../util/defined.js';
import type { Store, StoredDashboard, StoredVersion } from './store.js';

/*
 * The emulator's routes of an app's versions and publication (/apps only): list the checkpoints,
 * restore one (non-destructively: it becomes the newest), bookmark one, publish the current draft,
 * unpublish. Kept apart from dashboard-routes.ts, which serves the five routes both APIs share.
 */

/** An answer for the server to send. */
export interface RouteAnswer {
  code: number;
  message: string;
  data: unknown;
}

/** A version as the versions route lists it: no definition, newest first. */
function versionRow(app: StoredDashboard, version: StoredVersion): object {
  return {
    version_id: version.version_id,
    created_at: version.created_at,
    name: version.name,
    bookmarked: version.bookmarked,
    ...definedOnly({ label: version.label }),
    published: app.published_version_id === version.version_id,
  };
}

/**
 * Answers a versions or publication call, or undefined when `rest` (the path after /apps) is not
 * one. `readJson` reads the request body (undefined when it is not JSON).
 */
export async function appVersionRoute(
  req: IncomingMessage,
  rest: string[],
  scope: string,
  store: Store,
  readJson: () => Promise<unknown>,
): Promise<RouteAnswer | undefined> {
  const [projectId, id, what, versionId, verb] = rest as [
    string,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  const route =
    req.method === 'GET' && rest.length === 3 && what === 'versions'
      ? 'versions'
      : req.method === 'POST' && rest.length === 5 && what === 'versions' && verb === 'restore'
        ? 'restore'
        : req.method === 'PATCH' && rest.length === 5 && what === 'versions' && verb === 'bookmark'
          ? 'bookmark'
          : req.method === 'POST' && rest.length === 3 && (what === 'publish' || what === 'unpublish')
            ? what
            : undefined;
  if (!route) return undefined;
  const app = store.get(scope, projectId, id);
  if (!app) return { code: 404, message: `App '${id}' not found`, data: null };
  const versions = app.versions ?? [];
  switch (route) {
    case 'versions':
      return {
        code: 200,
        message: 'Versions listed successfully',
        data: [...versions].reverse().map((version) => versionRow(app, version)),
      };
    case 'publish': {
      const newest = versions[versions.length - 1];
      if (!newest) return { code: 409, message: `App '${id}' has no version to publish`, data: null };
      await store.change(scope, projectId, id, (changed) => void (changed.published_version_id = newest.version_id));
      return { code: 200, message: `App '${id}' published`, data: { id, version_id: newest.version_id } };
    }
    case 'unpublish':
      await store.change(scope, projectId, id, (changed) => void delete changed.published_version_id);
      return { code: 200, message: `App '${id}' unpublished`, data: { id } };
    default:
      break;
  }
  const version = versions.find((candidate) => candidate.version_id === versionId);
  if (!version) return { code: 404, message: `Version '${versionId}' of app '${id}' not found`, data: null };
  if (route === 'restore') {
    const restored = { id, name: version.name, definition: version.definition };
    const saved = await store.save(scope, projectId, restored, { versioned: true });
    return {
      code: 200,
      message: `Version '${versionId}' restored`,
      data: { id, version_id: saved.versions![saved.versions!.length - 1]!.version_id },
    };
  }
  const body = await readJson();
  const bookmark = (body ?? {}) as { bookmarked?: unknown; label?: unknown };
  if (typeof bookmark.bookmarked !== 'boolean')
    return { code: 400, message: "Field 'bookmarked' is required and must be true or false", data: null };
  if (bookmark.label !== undefined && typeof bookmark.label !== 'string')
    return { code: 400, message: "Field 'label' must be a string", data: null };
  await store.change(scope, projectId, id, () => {
    version.bookmarked = bookmark.bookmarked as boolean;
    if (typeof bookmark.label === 'string') version.label = bookmark.label;
  });
  return {
    code: 200,
    message: `Version '${versionId}' ${version.bookmarked ? 'bookmarked' : 'unbookmarked'}`,
    data: versionRow(app, version),
  };
}
