import { claimRemotes } from '../core/claims.js';
import { runScope } from '../core/selection.js';
import type { RemoteSummary } from '../core/types.js';
import type { MigrateOptions } from '../contract/options.js';
import { FileError } from '../errors.js';
import type { RemoteContext } from './open-run.js';
import { readLocal, withWorkspaceIds } from './read-local.js';
import { selectionOf } from './selection.js';

/*
 * migrate's selection: it uses no folder, but paths and excludes name files of the dashboards
 * folder, so they select the source dashboards those files hold (by id in the source, as the
 * source's id map knows them, or by name), and, in a folder target, those of the project no file
 * holds. A dashboard held by an excluded file is not copied, and its copy in the target is never
 * pruned: the same rule as apply's, on the source's side.
 */

/** Ids of the source dashboards in the run; undefined when no path, --exclude or exclude: narrows it. */
export async function migrateSelection(
  source: RemoteContext,
  options: MigrateOptions,
  sourceListed: RemoteSummary[],
): Promise<Set<string> | undefined> {
  // migrate's --project is its SRC=DST pairs, not a selection of folders.
  const asked = { ...options, projects: [] };
  if (!options.paths?.length && !options.excludes?.length && source.settings.exclude.length === 0) return undefined;
  const selection = selectionOf(source, asked, { mustExist: true });
  const local = await readLocal(source, { scope: runScope(selection), light: true });
  if (local.problems.length)
    throw new FileError(local.problems, 'fix these files first: migrate must know which dashboard each file holds');
  const files = withWorkspaceIds(source, local.files);
  const outside = withWorkspaceIds(source, local.outside);
  const scope = runScope(selection, local.blocked);
  const claims = claimRemotes([...files, ...outside], sourceListed);
  const inRun = new Set<string>();
  const held = new Set<string>();
  claims.forEach((claim, index) => {
    if (claim.via !== 'id' && claim.via !== 'name') return;
    (index < files.length ? inRun : held).add(claim.remoteId);
  });
  const folderOf = new Map(Object.entries(source.settings.projects).map(([folder, id]) => [id, folder]));
  for (const summary of sourceListed) {
    if (inRun.has(summary.id) || held.has(summary.id)) continue;
    const folder = folderOf.get(summary.projectId) ?? summary.projectId;
    if (scope.hasUnclaimed(summary, folder, summary.projectId)) inRun.add(summary.id);
  }
  return inRun;
}
