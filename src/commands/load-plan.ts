import { contentHash } from '../core/canonical.js';
import { claimRemotes, findNamesakes } from '../core/claims.js';
import { computePlan } from '../core/plan.js';
import type { Claim } from '../core/claims.js';
import type { ProjectFolder } from '../core/types.js';
import type { LocalFile, Plan, RemoteDashboard, RemoteSummary, SyncBase } from '../core/types.js';
import { FileError, UsageError } from '../errors.js';
import type { FolderContents } from '../local/folder.js';
import { mapPool } from '../util/pool.js';
import { recordSeenEqual, unchangedSince } from '../local/state.js';
import { quote } from '../core/words.js';
import { loadFile, readLocal, withWorkspaceIds } from './context.js';
import type { Context, ReadLocalOptions, RemoteContext } from './context.js';
import { projectFolderNames, requireSelectedFolders } from './selection.js';

/** A plan together with what it was computed from, for apply to act on. */
export interface LoadedPlan {
  plan: Plan;
  local: FolderContents;
  remote: RemoteSummary[];
  /** Full content of the remote dashboards that differ from their files. */
  details: Map<string, RemoteDashboard>;
}

/** Reads and validates the files; any invalid file stops everything before a single request. */
export async function readValidFolder(ctx: Context, options: ReadLocalOptions = {}): Promise<FolderContents> {
  const local = await readLocal(ctx, options);
  if (local.problems.length)
    throw new FileError(local.problems, 'fix these files (dashsync validate lists every problem) and run again');
  if (!local.exists)
    throw new UsageError(
      `the dashboards folder ${ctx.dirShown} does not exist`,
      'run dashsync pull to bring a workspace into it, or point --dir at your dashboards',
    );
  return local;
}

/** What is known of the claimed remote dashboards: their hashes, and the content of those that differ. */
export interface ClaimedRemotes {
  hashes: Map<string, string>;
  details: Map<string, RemoteDashboard>;
  /** Requests saved: dashboards known unchanged since the last sync from the list alone. */
  skipped: number;
}

/**
 * Learns the content hash of every claimed dashboard. One that the list shows unchanged since the
 * last sync (same updated_at) while its file is unchanged too (same hash) needs no request; the
 * others are fetched with the configured concurrency, and only those that differ are kept whole.
 */
export async function fetchClaimed(
  ctx: RemoteContext,
  claims: Claim[],
  listed: RemoteSummary[],
): Promise<ClaimedRemotes> {
  const updatedAt = new Map(listed.map((r) => [r.id, r.updatedAt]));
  const hashes = new Map<string, string>();
  const details = new Map<string, RemoteDashboard>();
  const wanted: Array<{ file: LocalFile; id: string }> = [];
  let skipped = 0;
  for (const c of claims) {
    if (c.via !== 'id' && c.via !== 'name') continue;
    const b = ctx.synced[c.remoteId];
    if (b && unchangedSince(b, { contentHash: c.file.contentHash, updatedAt: updatedAt.get(c.remoteId) })) {
      hashes.set(c.remoteId, b.hash);
      skipped++;
    } else {
      wanted.push({ file: c.file, id: c.remoteId });
    }
  }
  const bar = ctx.reporter.progress?.('reading the workspace', wanted.length);
  await mapPool(wanted, ctx.settings.concurrency, async (w) => {
    const d = await ctx.client.get(w.file.projectId, w.id);
    bar?.tick();
    if (!d) return;
    const h = contentHash(d);
    hashes.set(d.id, h);
    if (h !== w.file.contentHash) details.set(d.id, d);
  });
  bar?.stop();
  return { hashes, details, skipped };
}

/** Loads files and workspace and computes the plan: the shared first half of plan and apply. */
export async function loadPlan(
  ctx: RemoteContext,
  o: { projects?: string[]; prune: boolean; force: boolean },
): Promise<LoadedPlan> {
  // Files without an id are about to be created: their definitions are kept, not read twice.
  const local = await readValidFolder(ctx, { projects: o.projects, light: true, keepNew: true });
  if (o.projects?.length)
    requireSelectedFolders(o.projects, local.folders, projectFolderNames(ctx.settings.dir), ctx.dirShown);
  local.files = withWorkspaceIds(ctx, local.files);
  return { ...(await planFiles(ctx, local.files, local.folders, o)), local };
}

/**
 * Compares the given files with the workspace: one list request, a get for each claimed dashboard
 * that may have changed, the definitions of only the files that are to be saved, then the pure
 * plan. Deletions are planned only in `folders`. Dashboards equal on both sides are recorded in the
 * sync state.
 */
export async function planFiles(
  ctx: RemoteContext,
  files: LocalFile[],
  folders: ProjectFolder[],
  o: { prune: boolean; force: boolean },
): Promise<Omit<LoadedPlan, 'local'>> {
  const projectIds = new Set(folders.map((f) => f.projectId));
  const all = files.length || folders.length ? await ctx.client.listAll() : [];
  let claims = claimRemotes(files, all);
  for (const n of findNamesakes(claims, all)) {
    ctx.reporter.warn(
      `project ${n.projectId} holds ${n.ids.length} dashboards named ${quote(n.name)} (ids ${n.ids.join(', ')}), the name of ${n.path}: duplicates, from two deploys at once? Keep the one whose id is in the file and delete the others in the workspace`,
    );
  }
  const { hashes, details, skipped } = await fetchClaimed(ctx, claims, all);
  if (skipped) ctx.reporter.debug(`${skipped} dashboards unchanged on both sides since the last sync: not fetched`);
  // Load the definitions of the files that will be saved: new ones and those that differ.
  const needs = (c: Claim): boolean =>
    c.via === 'none' ||
    c.via === 'missing-id' ||
    ((c.via === 'id' || c.via === 'name') && hashes.get(c.remoteId) !== c.file.contentHash);
  const loaded = await mapPool(claims, 16, async (c) => (needs(c) ? { ...c, file: await loadFile(ctx, c.file) } : c));
  claims = loaded.map((c, i) => c ?? claims[i]!);
  const remote = all.filter((r) => projectIds.has(r.projectId));
  if (o.prune) await hashUnprovenOrphans(ctx, claims, remote, hashes);
  const base = new Map<string, SyncBase>(Object.entries(ctx.synced));
  const plan = computePlan({
    folders,
    claims,
    remote,
    remoteHashes: hashes,
    details,
    base,
    prune: o.prune,
    force: o.force,
  });
  // Dashboards seen equal on both sides are in sync now: record that, so later runs can tell drift
  // and skip them.
  const updatedAt = new Map(all.map((r) => [r.id, r.updatedAt]));
  for (const c of claims) {
    if (c.via === 'id' && hashes.get(c.remoteId) === c.file.contentHash)
      recordSeenEqual(ctx.synced, c.remoteId, c.file, updatedAt.get(c.remoteId));
  }
  return { plan, remote: all, details };
}

// A dashboard about to be pruned whose last sync recorded no updated_at (apply records none it has
// not proven) is fetched, so that a change made in the workspace since is seen by its content.
async function hashUnprovenOrphans(
  ctx: RemoteContext,
  claims: Claim[],
  remote: RemoteSummary[],
  hashes: Map<string, string>,
): Promise<void> {
  const claimed = new Set(claims.flatMap((c) => (c.via === 'id' || c.via === 'name' ? [c.remoteId] : [])));
  const unproven = remote.filter(
    (r) =>
      !claimed.has(r.id) &&
      ctx.synced[r.id]?.hash &&
      (ctx.synced[r.id]!.updatedAt === undefined || r.updatedAt === undefined),
  );
  await mapPool(unproven, ctx.settings.concurrency, async (r) => {
    const d = await ctx.client.get(r.projectId, r.id);
    if (d) hashes.set(r.id, contentHash(d));
  });
}
