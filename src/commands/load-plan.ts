import { contentHash } from '../core/canonical.js';
import { claimRemotes, computePlan } from '../core/plan.js';
import type { Claim, ProjectFolder } from '../core/plan.js';
import type { LocalFile, Plan, RemoteDashboard, RemoteSummary, SyncBase } from '../core/types.js';
import { FileError, UsageError } from '../errors.js';
import type { FolderContents } from '../local/folder.js';
import { mapPool } from '../util/pool.js';
import { readLocal, withWorkspaceIds } from './context.js';
import type { Context, RemoteContext } from './context.js';

/** A plan together with what it was computed from, for apply to act on. */
export interface LoadedPlan {
  plan: Plan;
  local: FolderContents;
  remote: RemoteSummary[];
  details: Map<string, RemoteDashboard>;
}

/** Reads and validates the files; any invalid file stops everything before a single request. */
export async function readValidFolder(ctx: Context, projects?: string[]): Promise<FolderContents> {
  const local = await readLocal(ctx, projects);
  if (local.problems.length) throw new FileError(local.problems, 'fix these files (dashsync validate lists every problem) and run again');
  if (!local.exists) throw new UsageError(`the dashboards folder ${ctx.dirShown} does not exist`, 'run dashsync pull to bring a workspace into it, or point --dir at your dashboards');
  return local;
}

/** Fetches the definitions of the claimed dashboards, with the configured concurrency. */
export async function fetchClaimed(ctx: RemoteContext, claims: Claim[]): Promise<Map<string, RemoteDashboard>> {
  const wanted = claims.flatMap((c) => (c.via === 'id' || c.via === 'name' ? [{ projectId: c.file.projectId, id: c.remoteId }] : []));
  const got = await mapPool(wanted, ctx.settings.concurrency, (w) => ctx.client.get(w.projectId, w.id));
  const details = new Map<string, RemoteDashboard>();
  for (const d of got) if (d) details.set(d.id, d);
  return details;
}

/** Loads files and workspace and computes the plan: the shared first half of plan and apply. */
export async function loadPlan(ctx: RemoteContext, o: { projects?: string[]; prune: boolean; force: boolean }): Promise<LoadedPlan> {
  const local = await readValidFolder(ctx, o.projects);
  if (o.projects?.length && local.folders.length === 0) ctx.reporter.warn(`no project folder in ${ctx.dirShown} matches --project ${o.projects.join(', ')}`);
  local.files = withWorkspaceIds(ctx, local.files);
  return { ...(await planFiles(ctx, local.files, local.folders, o)), local };
}

/**
 * Compares the given files with the workspace: one list request, a get for each dashboard a file
 * claims, then the pure plan. Deletions are planned only in `folders`. Dashboards found equal on
 * both sides are recorded in the sync state.
 */
export async function planFiles(ctx: RemoteContext, files: LocalFile[], folders: ProjectFolder[], o: { prune: boolean; force: boolean }): Promise<Omit<LoadedPlan, 'local'>> {
  const projectIds = new Set(folders.map((f) => f.projectId));
  const all = files.length || folders.length ? await ctx.client.listAll() : [];
  const claims = claimRemotes(files, all);
  const details = await fetchClaimed(ctx, claims);
  const remote = all.filter((r) => projectIds.has(r.projectId));
  const base = new Map<string, SyncBase>(Object.entries(ctx.base));
  const plan = computePlan({ folders, claims, remote, details, base, prune: o.prune, force: o.force });
  // Dashboards seen equal on both sides are in sync now: record that, so later runs can tell drift.
  const updatedAt = new Map(all.map((r) => [r.id, r.updatedAt]));
  const changed = new Set(plan.actions.flatMap((a) => ('path' in a ? [a.path] : [])));
  for (const c of claims) {
    if ((c.via === 'id' || c.via === 'name') && !changed.has(c.file.path) && details.has(c.remoteId)) {
      const u = updatedAt.get(c.remoteId);
      ctx.base[c.remoteId] = { hash: contentHash(c.file), path: c.file.path, fileHash: c.file.byteHash, ...(u ? { updatedAt: u } : {}) };
    }
  }
  return { plan, remote: all, details };
}
