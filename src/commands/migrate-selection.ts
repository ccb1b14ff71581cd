import { existsSync } from 'node:fs';
import { claimRemotes } from '../core/claims.js';
import { runScope } from '../core/selection.js';
import type { DeployOptions, RemoteSummary } from '../core/types.js';
import type { MigrateOptions } from '../contract/options.js';
import { FileError } from '../errors.js';
import type { RemoteContext } from './open-run.js';
import { readLocal, withWorkspaceIds } from './read-local.js';
import { selectionOf } from './selection.js';

/*
 * What the dashboards folder says to migrate, which uses no folder of its own: paths and excludes
 * name files of the folder, so they select the source dashboards those files hold (by id in the
 * source, as the source's id map knows them, or by name), and, in a folder target, those of the
 * project no file holds. A dashboard held by an excluded file is not copied, and its copy in the
 * target is never pruned: the same rule as apply's, on the source's side. Where the files of the
 * flavour hold keys of their own (an app's publish:, bookmark:), the copy of the dashboard a file
 * holds takes that file's steps after its save, as apply does.
 */

/** What migrate learns from the folder. */
export interface MigrateFiles {
  /** Ids of the source dashboards in the run; undefined when no path, --exclude or exclude: narrows it. */
  selected: Set<string> | undefined;
  /** The steps after the save each file asks for its dashboard's copy, by source id. */
  steps: Map<string, DeployOptions>;
}

/** Reads the folder as the source knows it, when a selection narrows the run or files may hold steps. */
export async function migrateFiles(
  source: RemoteContext,
  options: MigrateOptions,
  sourceListed: RemoteSummary[],
): Promise<MigrateFiles> {
  // migrate's --project is its SRC=DST pairs, not a selection of folders.
  const asked = { ...options, projects: [] };
  const narrowed = Boolean(options.paths?.length || options.excludes?.length || source.settings.exclude.length);
  const keyed = Object.keys(source.flavour.reading.keys).length > 0 && existsSync(source.settings.dir);
  if (!narrowed && !keyed) return { selected: undefined, steps: new Map() };
  const selection = selectionOf(source, asked, { mustExist: true });
  const local = await readLocal(source, { scope: runScope(selection), light: true });
  if (local.problems.length && narrowed)
    throw new FileError(local.problems, 'fix these files first: migrate must know which dashboard each file holds');
  if (local.problems.length) {
    const count = new Set(local.problems.map((problem) => problem.path)).size;
    source.reporter.warn(
      `${count} ${count === 1 ? 'file' : 'files'} of ${source.dirShown} could not be read: ` +
        'their own keys (publish:, bookmark:) are not known to this migrate (dashsync validate lists the problems)',
    );
  }
  const files = withWorkspaceIds(source, local.files);
  const outside = withWorkspaceIds(source, local.outside);
  const scope = runScope(selection, local.blocked);
  const claims = claimRemotes([...files, ...outside], sourceListed);
  const inRun = new Set<string>();
  const held = new Set<string>();
  const steps = new Map<string, DeployOptions>();
  claims.forEach((claim, index) => {
    if (claim.via !== 'id' && claim.via !== 'name') return;
    (index < files.length ? inRun : held).add(claim.remoteId);
    if (claim.file.deploy) steps.set(claim.remoteId, claim.file.deploy);
  });
  if (!narrowed) return { selected: undefined, steps };
  const folderOf = new Map(Object.entries(source.settings.projects).map(([folder, id]) => [id, folder]));
  for (const summary of sourceListed) {
    if (inRun.has(summary.id) || held.has(summary.id)) continue;
    const folder = folderOf.get(summary.projectId) ?? summary.projectId;
    if (scope.hasUnclaimed(summary, folder, summary.projectId)) inRun.add(summary.id);
  }
  return { selected: inRun, steps };
}
