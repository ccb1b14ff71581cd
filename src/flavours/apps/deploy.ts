import { contentHash } from '../../core/canonical.js';
import { labelProblem, saves, stepsFor, wantsDeploy } from '../../core/deploy.js';
import type { DeployOptions } from '../../core/deploy.js';
import type { AppVersion } from '../../contract/client.js';
import type { ActionOutcome, DeployOutcome } from '../../contract/execution.js';
import { UsageError, errorToText } from '../../errors.js';
import type { SaveSteps } from '../flavour.js';

/*
 * What a deploy does after the saves, in apps mode: a draft saved by apply does not reach the
 * viewers of a published app until it is published, and every save makes a version checkpoint that
 * is pruned after 50 others unless bookmarked. Run after the executor, on its outcomes, with the
 * steps each app's file and the flags ask for (core/deploy.ts, stepsFor).
 */

/** Refuses a --bookmark label the rule refuses (labelProblem), such as none at all (an empty "$GITHUB_SHA" in CI). */
export function checkAppSteps(flags: DeployOptions): void {
  if (flags.bookmark === undefined) return;
  const problem = labelProblem(flags.bookmark);
  if (problem === undefined) return;
  throw new UsageError(
    flags.bookmark.trim() === ''
      ? '--bookmark needs a label, e.g. --bookmark "$GITHUB_SHA"'
      : `--bookmark ${JSON.stringify(flags.bookmark.slice(0, 60))}${flags.bookmark.length > 60 ? '...' : ''}: the label ${problem}`,
  );
}

/** Thrown when the app no longer holds what this run saved: someone else saved after us. */
class ChangedAfterSave extends Error {}

/**
 * Bookmarks the checkpoint each successful save made and publishes the app, as its file or the
 * flags ask (stepsFor): only apps whose save was done (an unchanged app makes no checkpoint and is not republished). Before either
 * step, one get proves the app still holds exactly what this run saved (its content hash): another
 * writer's save right after ours would otherwise have its checkpoint bookmarked and its draft
 * published under our label. The versions are listed before that get, so the newest checkpoint then
 * is ours whenever the get still shows our content. (Publish has no version parameter: a save by
 * someone else between the get and the publish is a window the API leaves open.) Each app is
 * reported like a save; a failure of one is reported and counted, the others go on.
 */
export async function deployApps(
  io: SaveSteps,
  outcomes: ActionOutcome[],
  flags: DeployOptions,
): Promise<DeployOutcome[]> {
  const { client, reporter } = io;
  const deployed: DeployOutcome[] = [];
  for (const done of outcomes) {
    const save = done.action;
    if (done.outcome !== 'done' || done.id === undefined || !saves(save)) continue;
    const deploy = stepsFor(save, flags);
    if (!wantsDeploy(deploy)) continue;
    const app: DeployOutcome = { path: save.path, projectId: save.projectId, id: done.id };
    let step = deploy.bookmark !== undefined ? 'bookmark' : 'publish';
    try {
      let newest: AppVersion | undefined;
      if (deploy.bookmark !== undefined) {
        if (!client.versions || !client.bookmark) throw new Error('this client cannot bookmark versions');
        newest = (await client.versions(save.projectId, app.id))[0];
        if (!newest) throw new Error('the app lists no version to bookmark');
      }
      const now = await client.get(save.projectId, app.id);
      if (!now || contentHash(now) !== contentHash(save.local))
        throw new ChangedAfterSave(
          now ? 'changed by someone else after the save' : 'deleted by someone else after the save',
        );
      if (deploy.bookmark !== undefined && newest) {
        app.versionId = newest.versionId;
        await client.bookmark!(save.projectId, app.id, newest.versionId, deploy.bookmark);
        app.bookmarked = true;
        reporter.show({ type: 'bookmarked', path: save.path, versionId: newest.versionId, label: deploy.bookmark });
      }
      if (deploy.publish) {
        step = 'publish';
        if (!client.publish) throw new Error('this client cannot publish');
        await client.publish(save.projectId, app.id);
        app.published = true;
        reporter.show({ type: 'published', path: save.path, id: app.id });
      }
    } catch (e) {
      // As sent: the result carries the server's words; the terminal reporter makes them inert.
      app.message = errorToText(e);
      const skipped = [deploy.bookmark !== undefined ? 'not bookmarked' : '', deploy.publish ? 'not published' : '']
        .filter(Boolean)
        .join(', ');
      const message = e instanceof ChangedAfterSave ? `${app.message}: ${skipped}` : `${step} failed: ${app.message}`;
      if (e instanceof ChangedAfterSave) app.changed = true;
      reporter.event({ phase: 'failed', action: save, message });
    }
    deployed.push(app);
  }
  return deployed;
}
