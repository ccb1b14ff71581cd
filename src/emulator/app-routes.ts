import { publishStateOf } from '../api/versions.js';
import type { PublishAnswer, VersionRow } from '../api/versions.js';
import { definedOnly } from '../util/defined.js';
import type { ApiCall, RouteAnswer } from './call.js';
import type { StoredDashboard, StoredVersion } from './store.js';

/*
 * The emulator's routes of an app's versions and publication (/apps only): list the numbered
 * checkpoints, restore one (non-destructively: it becomes the newest, by the caller), bookmark one,
 * publish the current draft, unpublish. The five routes both APIs share are dashboard-routes.ts.
 */

/** A version as the versions route lists it: no definition. */
function versionRow(app: StoredDashboard, version: StoredVersion): VersionRow {
  return {
    version_id: version.version_id,
    version: version.number,
    created_at: version.created_at,
    author: version.author,
    name: version.name,
    bookmarked: version.bookmarked,
    ...definedOnly({ label: version.label }),
    published: app.published_version_id === version.version_id,
    ...definedOnly({ restored_from: version.restored_from }),
  };
}

/**
 * Answers a versions or publication call; undefined for any other route. `readJson` reads the
 * request body (undefined when it is not JSON).
 */
export async function appVersionRoute(
  call: ApiCall,
  readJson: () => Promise<unknown>,
): Promise<RouteAnswer | undefined> {
  const { route, queryScope: scope, store, user } = call;
  const { project: projectId, id, version: versionId } = route.params;
  if (!['versions', 'restore', 'bookmark', 'publish', 'unpublish'].includes(route.name)) return undefined;
  call.stats.versions++;
  const app = store.get(scope, projectId, id);
  if (!app) return { code: 404, message: `App '${id}' not found`, data: null };
  const versions = app.versions ?? [];
  const rows = [...versions].reverse().map((version) => versionRow(app, version));
  switch (route.name) {
    case 'versions':
      return { code: 200, message: 'Versions listed successfully', data: rows };
    case 'publish': {
      const newest = versions[versions.length - 1];
      if (!newest) return { code: 409, message: `App '${id}' has no version to publish`, data: null };
      const data: PublishAnswer = { id, version_id: newest.version_id, version: newest.number };
      // Publishing the draft viewers already see changes nothing, and says so.
      if (publishStateOf(rows).state === 'published')
        return { code: 200, message: `App '${id}' is already published (version ${newest.number})`, data };
      await store.change(scope, projectId, id, (changed) => void (changed.published_version_id = newest.version_id));
      return { code: 200, message: `App '${id}' published (version ${newest.number})`, data };
    }
    case 'unpublish':
      await store.change(scope, projectId, id, (changed) => void delete changed.published_version_id);
      return { code: 200, message: `App '${id}' unpublished`, data: { id } };
    default:
      break;
  }
  const version = versions.find((candidate) => candidate.version_id === versionId);
  if (!version) return { code: 404, message: `Version '${versionId}' of app '${id}' not found`, data: null };
  if (route.name === 'restore') {
    const restored = { id, name: version.name, definition: version.definition };
    const saved = await store.save(scope, projectId, restored, {
      versioned: { author: user, restoredFrom: version.number },
    });
    const newest = saved.versions![saved.versions!.length - 1]!;
    return {
      code: 200,
      message: `Version ${version.number} restored as version ${newest.number}`,
      data: { id, version_id: newest.version_id, version: newest.number },
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
    message: `Version ${version.number} ${version.bookmarked ? 'bookmarked' : 'unbookmarked'}`,
    data: versionRow(app, version),
  };
}
