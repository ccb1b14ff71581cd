import { publishAsked, publishStatusOf } from '../core/deploy.js';
import type { AppPublish, DeployOptions, LocalFile } from '../core/types.js';
import { InterruptedError } from '../errors.js';
import { mapPool } from '../util/pool.js';
import type { LoadedPlan } from './load-plan.js';
import type { RemoteContext } from './open-run.js';

/*
 * What the viewers of each app see, learnt from its versions (a list row says nothing of it): one
 * versions call per app, so only where publishing is asked for it (--publish, a file's
 * `publish: true`, `dashsync publish` and `unpublish`), and only for the apps a plan does not save:
 * a saved app's draft is ahead by definition, and it is published after its save.
 */

/** An app of the workspace held by a file of the run, before its publish state is known. */
export type HeldByFile = Omit<AppPublish, 'status'> & { file: LocalFile };

/**
 * The apps of the run's files that the plan does not save: a file equal to its app (no action), or
 * one only linked to it. Files with another action (a create, an update, a conflict, an error) are
 * returned apart, with their action's kind.
 */
export function unsavedApps(loaded: LoadedPlan): {
  apps: HeldByFile[];
  others: Array<{ file: LocalFile; kind: string; id?: string }>;
} {
  const byPath = new Map(loaded.plan.actions.flatMap((action) => ('path' in action ? [[action.path, action]] : [])));
  const apps: HeldByFile[] = [];
  const others: Array<{ file: LocalFile; kind: string; id?: string }> = [];
  for (const file of loaded.local.files) {
    const action = byPath.get(file.path);
    const id = action?.kind === 'link' ? action.id : action ? undefined : file.id;
    const where = { path: file.path, projectId: file.projectId, folder: file.folder, name: file.name, file };
    if (id !== undefined) apps.push({ ...where, id });
    else others.push({ file, kind: action?.kind ?? 'create', ...(action?.kind === 'update' ? { id: action.id } : {}) });
  }
  return { apps, others };
}

/** Each app with its publish state, from its versions (with the run's concurrency). */
export async function withPublishStatus(
  ctx: RemoteContext,
  apps: readonly HeldByFile[],
  signal?: AbortSignal,
): Promise<AppPublish[]> {
  const { client } = ctx;
  if (apps.length && !client.versions) throw new Error('this client cannot list versions');
  const found = await mapPool(
    apps,
    ctx.settings.concurrency,
    async ({ file: _file, ...app }): Promise<AppPublish> => ({
      ...app,
      status: publishStatusOf(await client.versions!(app.projectId, app.id)),
    }),
    signal,
  );
  if (signal?.aborted) throw new InterruptedError('interrupted while reading the workspace: nothing was changed');
  return found.filter((app): app is AppPublish => app !== undefined);
}

/**
 * Adds to a loaded plan the publish state of the apps it does not save whose publishing is asked
 * (their file's `publish:`, else the flags): apply publishes those whose viewers are behind the
 * draft, so a publish that failed after an earlier save is completed by the next run.
 */
export async function learnPublishing(
  ctx: RemoteContext,
  loaded: LoadedPlan,
  flags: DeployOptions,
  signal?: AbortSignal,
): Promise<void> {
  const asked = unsavedApps(loaded).apps.filter((app) => publishAsked(app.file.deploy, flags));
  if (asked.length === 0) return;
  loaded.plan.publishing = await withPublishStatus(ctx, asked, signal);
}
