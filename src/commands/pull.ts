import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PullOptions } from '../contract/options.js';
import type { PullResult } from '../contract/results.js';
import { planPull } from '../core/pull-plan.js';
import { runScope } from '../core/selection.js';
import type { RunScope, Selection } from '../core/selection.js';
import type { RemoteSummary } from '../core/types.js';
import { idAsFolderProblem } from '../core/slug.js';
import { nameList, quote } from '../core/words.js';
import { FileError, InterruptedError, UsageError } from '../errors.js';
import type { FolderContents } from '../local/folder.js';
import { projectIdOf } from '../local/folder.js';
import { saveState } from '../local/state.js';
import { openRemote } from './open-run.js';
import type { RemoteContext } from './open-run.js';
import { unlistedButThere } from './load-plan.js';
import { executePull } from './pull-write.js';
import { readLocal, withWorkspaceIds, writePendingIds } from './read-local.js';
import { requirePullableProjects, selectionOf } from './selection.js';

/**
 * Brings the workspace into the folder: new files for dashboards that have none (every project of
 * the workspace, or those the selection names), rewritten files for those changed in the workspace.
 * A file edited locally since the last sync (or, without a sync state, any file that differs) is
 * kept and reported unless `force`, and so is a file deleted locally. It reads top to bottom: open,
 * list, plan (core/pull-plan.ts), execute (pull-write.ts), record, show. Ctrl-C or SIGTERM
 * (`signal`): no new dashboard is fetched, those in flight are written and recorded, nothing is
 * removed, and it ends with InterruptedError after its summary.
 */
export async function pull(options: PullOptions = {}): Promise<PullResult> {
  const ctx = await openRemote(options, 'pull');
  try {
    return await pullIn(ctx, options);
  } finally {
    await ctx.close();
  }
}

/** pull in a run already open (restore writes the version it brought back as pull writes it). */
export async function pullIn(ctx: RemoteContext, options: PullOptions): Promise<PullResult> {
  const selection = selectionOf(ctx, options, { mustExist: false });
  // pull writes files: the ids watch kept aside go into theirs first.
  await writePendingIds(ctx);
  const local = await readPullable(ctx, selection);
  const listed = await ctx.client.listAll();
  // A list can lag behind the saves: a file whose id it lacks is asked for by id before pull
  // takes its dashboard for deleted (and --prune removes the file).
  listed.push(...(await unlistedButThere(ctx, local.files, listed)));
  requireTargets(ctx, selection, listed, local);
  const scope = runScope(selection, local.blocked);
  const { folders, unfoldable } = projectFolders(ctx, listed, local, scope);
  const planned = planPull({
    files: local.files,
    outside: local.outside,
    scope,
    listed,
    synced: ctx.synced,
    folders,
    unfoldable,
    taken: takenNames(ctx.settings.dir, folders),
    dirShown: ctx.dirShown,
    prune: options.prune === true,
    force: options.force === true,
  });
  const { notPulled, failure, ...result } = await executePull(ctx, planned, {
    force: options.force === true,
    signal: options.signal,
  });
  await saveState(ctx.settings.root, ctx.state);
  ctx.reporter.show({ type: 'pulled', ...result, ...(notPulled !== undefined ? { notPulled } : {}) });
  // What was written is recorded and shown above; then the failure that stopped the pull is told.
  if (failure !== undefined) throw failure;
  if (notPulled !== undefined)
    throw new InterruptedError(
      `interrupted: ${notPulled} ${notPulled === 1 ? 'dashboard was' : 'dashboards were'} not pulled`,
      'run dashsync pull again to finish',
    );
  return result;
}

// The files, which must all be valid: pull must know which dashboard each file holds.
async function readPullable(ctx: RemoteContext, selection: Selection): Promise<FolderContents> {
  const local = await readLocal(ctx, { scope: runScope(selection), light: true });
  if (local.problems.length)
    throw new FileError(local.problems, 'fix these files first: pull must know which dashboard each file holds');
  local.files = withWorkspaceIds(ctx, local.files);
  local.outside = withWorkspaceIds(ctx, local.outside);
  return local;
}

// Each --project and each folder path must name a project of the workspace or a folder here.
function requireTargets(
  ctx: RemoteContext,
  selection: Selection,
  listed: RemoteSummary[],
  local: FolderContents,
): void {
  const { settings } = ctx;
  const remote = new Set(listed.map((summary) => summary.projectId));
  if (selection.projects.length)
    requirePullableProjects(selection.projects, settings.projects, remote, local.folders, settings.scope);
  for (const folder of selection.paths.filter((path) => !path.includes('/'))) {
    if (existsSync(join(settings.dir, folder)) || remote.has(projectIdOf(folder, settings.projects))) continue;
    throw new UsageError(
      `${ctx.dirShown}/${folder}: no such folder, and no project ${quote(projectIdOf(folder, settings.projects))} ` +
        `in the workspace (scope ${settings.scope})`,
      remote.size ? `projects in the workspace: ${nameList([...remote].sort())}` : 'is --scope right?',
    );
  }
}

/**
 * The folder each project of the run is written to: its mapped name, its existing folder, or its
 * id where that may be a folder name (core/slug.ts: portable, and no case twin of a name already in
 * the dashboards folder or given to another project of the run). A project the run covers whose id
 * cannot be a folder name is `unfoldable`, with why and the fix (its dashboards are refused, the
 * others pulled); one the run does not cover is left alone.
 */
function projectFolders(
  ctx: RemoteContext,
  listed: RemoteSummary[],
  local: FolderContents,
  scope: RunScope,
): { folders: Map<string, string>; unfoldable: Map<string, string> } {
  const existing = new Map(local.folders.map((folder) => [folder.projectId, folder.folder]));
  const mapped = new Map(Object.entries(ctx.settings.projects).map(([folder, id]) => [id, folder]));
  const folders = new Map<string, string>();
  const unfoldable = new Map<string, string>();
  // The folder names other projects hold (mapped in dashsync.yaml, or there already), whatever the order.
  const holder = new Map([...mapped, ...existing].map(([id, folder]) => [folder, id]));
  const namesInDir = [...(existsSync(ctx.settings.dir) ? readdirSync(ctx.settings.dir) : []), ...holder.keys()];
  for (const projectId of [...new Set([...listed.map((summary) => summary.projectId), ...existing.keys()])].sort()) {
    const held = holder.get(projectId);
    const why =
      mapped.has(projectId) || existing.has(projectId)
        ? undefined
        : held !== undefined && held !== projectId
          ? `a folder of that name is project ${quote(held)}'s`
          : idAsFolderProblem(projectId, namesInDir);
    const folder = mapped.get(projectId) ?? existing.get(projectId) ?? (why === undefined ? projectId : undefined);
    if (folder !== undefined) {
      if (!scope.readsFolder(folder, projectId)) continue;
      folders.set(projectId, folder);
      namesInDir.push(folder);
    } else if (scope.readsFolder(projectId, projectId))
      unfoldable.set(
        projectId,
        `its project id cannot be used as a folder name (${why}): ` +
          `map a folder to it in dashsync.yaml: projects: { my-folder: ${quote(projectId)} }`,
      );
  }
  return { folders, unfoldable };
}

// The names already in each folder (lowercased, for case-insensitive file systems): new files take others.
function takenNames(dir: string, folders: ReadonlyMap<string, string>): Map<string, Set<string>> {
  const taken = new Map<string, Set<string>>();
  for (const folder of new Set(folders.values())) {
    const abs = join(dir, folder);
    taken.set(folder, new Set(existsSync(abs) ? readdirSync(abs).map((name) => name.toLowerCase()) : []));
  }
  return taken;
}
