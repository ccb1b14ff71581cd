import { contentHash } from '../core/canonical.js';
import type { Action } from '../core/types.js';
import { saves, wantsDeploy } from '../core/deploy.js';
import type { DeployOptions } from '../core/deploy.js';
export type { DeployOptions } from '../core/deploy.js';
export { wantsDeploy } from '../core/deploy.js';
import type { AppVersion } from '../remote/client.js';
import { UsageError, errorToText } from '../errors.js';
import type { Context, RemoteContext } from './context.js';
import type { ActionOutcome } from './execute.js';

/*
 * What a deploy does after the saves, in apps mode: a draft saved by apply does not reach the
 * viewers of a published app until it is published, and every save makes a version checkpoint that
 * is pruned after 50 others unless bookmarked. Run after the executor, on its outcomes.
 */

/** What became of the deploy steps of one saved app. */
export interface DeployOutcome {
  path: string;
  projectId: string;
  id: string;
  /** The checkpoint the save made, when it was looked up (for --bookmark). */
  versionId?: string;
  bookmarked?: boolean;
  published?: boolean;
  /** Why a step failed. */
  message?: string;
  /** The app no longer held what this run saved (someone else saved after): neither step was taken. */
  changed?: boolean;
}

/** Refuses deploy options where they mean nothing: the dashboards API has no versions. */
export function checkDeployOptions(ctx: Context, o: DeployOptions): void {
  if (!wantsDeploy(o)) return;
  if (ctx.settings.api !== 'apps')
    throw new UsageError(
      `${o.publish ? '--publish' : '--bookmark'} needs the /apps API: versions and publishing are apps' own`,
      'set api: apps in dashsync.yaml',
    );
  if (o.bookmark !== undefined && o.bookmark.trim() === '')
    throw new UsageError('--bookmark needs a label, e.g. --bookmark "$GITHUB_SHA"');
}

/** Thrown when the app no longer holds what this run saved: someone else saved after us. */
class ChangedAfterSave extends Error {}

/**
 * Bookmarks the checkpoint each successful save made and publishes the app, as asked: only apps
 * whose save was done (an unchanged app makes no checkpoint and is not republished). Before either
 * step, one get proves the app still holds exactly what this run saved (its content hash): another
 * writer's save right after ours would otherwise have its checkpoint bookmarked and its draft
 * published under our label. The versions are listed before that get, so the newest checkpoint then
 * is ours whenever the get still shows our content. (Publish has no version parameter: a save by
 * someone else between the get and the publish is a window the API leaves open.) Each app is
 * reported like a save; a failure of one is reported and counted, the others go on.
 */
export async function deployApps(
  ctx: RemoteContext,
  outcomes: ActionOutcome[],
  o: DeployOptions,
): Promise<DeployOutcome[]> {
  if (!wantsDeploy(o)) return [];
  const { client, reporter } = ctx;
  const done = outcomes.filter((r) => r.outcome === 'done' && r.id !== undefined && saves(r.action));
  const results: DeployOutcome[] = [];
  for (const r of done) {
    const a = r.action as Extract<Action, { kind: 'create' | 'update' }>;
    const out: DeployOutcome = { path: a.path, projectId: a.projectId, id: r.id! };
    let step = o.bookmark !== undefined ? 'bookmark' : 'publish';
    try {
      let newest: AppVersion | undefined;
      if (o.bookmark !== undefined) {
        if (!client.versions || !client.bookmark) throw new Error('this client cannot bookmark versions');
        newest = (await client.versions(a.projectId, out.id))[0];
        if (!newest) throw new Error('the app lists no version to bookmark');
      }
      const now = await client.get(a.projectId, out.id);
      if (!now || contentHash(now) !== contentHash(a.local))
        throw new ChangedAfterSave(
          now ? 'changed by someone else after the save' : 'deleted by someone else after the save',
        );
      if (o.bookmark !== undefined && newest) {
        out.versionId = newest.versionId;
        await client.bookmark!(a.projectId, out.id, newest.versionId, o.bookmark);
        out.bookmarked = true;
        reporter.show({ type: 'bookmarked', path: a.path, versionId: newest.versionId, label: o.bookmark });
      }
      if (o.publish) {
        step = 'publish';
        if (!client.publish) throw new Error('this client cannot publish');
        await client.publish(a.projectId, out.id);
        out.published = true;
        reporter.show({ type: 'published', path: a.path, id: out.id });
      }
    } catch (e) {
      // As sent: the result carries the server's words; the terminal reporter makes them inert.
      out.message = errorToText(e);
      const skipped = [o.bookmark !== undefined ? 'not bookmarked' : '', o.publish ? 'not published' : '']
        .filter(Boolean)
        .join(', ');
      const message = e instanceof ChangedAfterSave ? `${out.message}: ${skipped}` : `${step} failed: ${out.message}`;
      if (e instanceof ChangedAfterSave) out.changed = true;
      reporter.event({ phase: 'failed', action: a, message });
    }
    results.push(out);
  }
  return results;
}
