import { contentHash, hashedContent } from '../core/canonical.js';
import { claimRemotes, copiesFor, findCopies, findNamesakes } from '../core/claims.js';
import { computePlan } from '../core/plan.js';
import type { Claim } from '../core/claims.js';
import { filesOnlyScope, relativeToFolder, runScope } from '../core/selection.js';
import type { RunScope, Selection } from '../core/selection.js';
import type { ProjectFolder } from '../core/types.js';
import type {
  DashboardContent,
  DriftPolicy,
  LocalFile,
  Plan,
  RemoteDashboard,
  RemoteSummary,
  SyncBase,
} from '../core/types.js';
import { FileError, InterruptedError, UsageError } from '../errors.js';
import type { FolderContents } from '../local/folder.js';
import { definedOnly } from '../util/defined.js';
import { mapPool } from '../util/pool.js';
import { baseContentOf, doubtsOf, keepBase, recordSeenEqual, unchangedSince } from '../local/state.js';
import { quote } from '../core/words.js';
import { projectFolderNames } from '../local/folder.js';
import type { Context, RemoteContext } from './open-run.js';
import { withFileDiffs } from './file-text.js';
import { loadFile, readLocal, withWorkspaceIds } from './read-local.js';
import type { ReadLocalOptions } from './read-local.js';
import { requireSelectedFolders } from './selection.js';

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
  signal?: AbortSignal,
): Promise<ClaimedRemotes> {
  const updatedAt = new Map(listed.map((summary) => [summary.id, summary.updatedAt]));
  const hashes = new Map<string, string>();
  const details = new Map<string, RemoteDashboard>();
  const wanted: Array<{ file: LocalFile; id: string }> = [];
  let skipped = 0;
  for (const claim of claims) {
    if (claim.via !== 'id' && claim.via !== 'name') continue;
    const baseline = ctx.synced[claim.remoteId];
    const now = { contentHash: claim.file.contentHash, updatedAt: updatedAt.get(claim.remoteId) };
    if (baseline && unchangedSince(baseline, now)) {
      hashes.set(claim.remoteId, baseline.hash);
      skipped++;
    } else {
      wanted.push({ file: claim.file, id: claim.remoteId });
    }
  }
  const bar = ctx.reporter.progress?.('reading the workspace', wanted.length);
  await mapPool(
    wanted,
    ctx.settings.concurrency,
    async (want) => {
      const dashboard = await ctx.client.get(want.file.projectId, want.id);
      bar?.tick();
      if (!dashboard) return;
      const hashed = hashedContent(dashboard);
      hashes.set(dashboard.id, hashed.hash);
      if (hashed.hash !== want.file.contentHash) details.set(dashboard.id, dashboard);
      // Seen equal to its file: the base of a later three-way comparison.
      else keepBase(ctx.state, dashboard, hashed);
    },
    signal,
  );
  bar?.stop();
  // Stopped part way: a plan made of what was read would be wrong, and nothing was changed yet.
  if (signal?.aborted) throw new InterruptedError('interrupted while reading the workspace: nothing was changed');
  return { hashes, details, skipped };
}

/** How plan and apply plan: the selection, and the flags that decide what the plan does. */
export interface LoadPlanOptions {
  selection: Selection;
  prune: boolean;
  force: boolean;
  drift?: DriftPolicy;
  adopt?: boolean;
  /** Ctrl-C or SIGTERM: stop reading the workspace (nothing was changed yet). */
  signal?: AbortSignal | undefined;
}

/** Loads files and workspace and computes the plan: the shared first half of plan and apply. */
export async function loadPlan(ctx: RemoteContext, options: LoadPlanOptions): Promise<LoadedPlan> {
  const { selection } = options;
  // Files without an id are about to be created: their definitions are kept, not read twice.
  const local = await readValidFolder(ctx, { scope: runScope(selection), light: true, keepNew: true });
  if (selection.projects.length)
    requireSelectedFolders(selection.projects, local.folders, projectFolderNames(ctx.settings.dir), ctx.dirShown);
  local.files = withWorkspaceIds(ctx, local.files);
  local.outside = withWorkspaceIds(ctx, local.outside);
  const scope = runScope(selection, local.blocked);
  const planned = await planFiles(ctx, local.files, local.folders, { ...options, scope, outside: local.outside });
  return { ...planned, plan: await withFileDiffs(ctx, planned.plan), local };
}

/** How planFiles plans. */
export interface PlanFilesOptions {
  prune: boolean;
  force: boolean;
  /** What the plan does with drift; default revert. */
  drift?: DriftPolicy | undefined;
  /** The files given may adopt a namesake with other content. */
  adopt?: boolean | undefined;
  /** Who plans: apply (the default) or watch, which words a refused prune its own way. */
  runner?: 'apply' | 'watch';
  /** What the run covers; absent: the files given, and every unclaimed dashboard of `folders`. */
  scope?: RunScope;
  /** Files read but outside the run: they claim their dashboards, which the run then never touches. */
  outside?: LocalFile[];
  /** Ctrl-C or SIGTERM: stop reading the workspace (nothing was changed yet). */
  signal?: AbortSignal | undefined;
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
  options: PlanFilesOptions,
): Promise<Omit<LoadedPlan, 'local'>> {
  const projectIds = new Set(folders.map((folder) => folder.projectId));
  const outside = options.outside ?? [];
  const listed = files.length || folders.length ? await ctx.client.listAll() : [];
  listed.push(...(await unlistedButThere(ctx, files, listed)));
  // Claims are made with every file read, so that no file of the run takes a dashboard that a file
  // outside it holds; only the run's own are fetched and planned.
  const allClaims = claimRemotes([...files, ...outside], listed);
  let claims = allClaims.slice(0, files.length);
  // Copies the server made of an earlier run's create whose answer was lost: an error in the plan.
  const copies = findCopies(doubtsOf(ctx.state, ctx.workspaceKey, new Date()), listed);
  for (const namesake of findNamesakes(claims, listed)) {
    if (copiesFor(copies, namesake.projectId, namesake.name)) continue;
    ctx.reporter.warn(
      `project ${namesake.projectId} holds ${namesake.ids.length} dashboards named ${quote(namesake.name)} ` +
        `(ids ${namesake.ids.join(', ')}), the name of ${namesake.path}: duplicates, from two deploys at once? ` +
        'Keep the one whose id is in the file and delete the others in the workspace',
    );
  }
  const { hashes, details, skipped } = await fetchClaimed(ctx, claims, listed, options.signal);
  if (skipped) ctx.reporter.debug(`${skipped} dashboards unchanged on both sides since the last sync: not fetched`);
  // Load the definitions of the files that will be saved: new ones and those that differ.
  const needsDefinition = (claim: Claim): boolean =>
    claim.via === 'none' ||
    claim.via === 'missing-id' ||
    ((claim.via === 'id' || claim.via === 'name') && hashes.get(claim.remoteId) !== claim.file.contentHash);
  const loaded = await mapPool(claims, 16, async (claim) =>
    needsDefinition(claim) ? { ...claim, file: await loadFile(ctx, claim.file) } : claim,
  );
  claims = loaded.map((claim, index) => claim ?? claims[index]!);
  const remoteInFolders = listed.filter((summary) => projectIds.has(summary.projectId));
  const everyClaim = [...claims, ...allClaims.slice(files.length)];
  if (options.prune) await hashUnprovenOrphans(ctx, everyClaim, remoteInFolders, hashes);
  const lastSynced = new Map<string, SyncBase>(Object.entries(ctx.synced));
  // Without a scope, the files given are the run (files outside it only claim).
  const inRun = new Set(files.map(relativeToFolder));
  const scope = options.scope ?? (outside.length ? filesOnlyScope((rel) => inRun.has(rel)) : undefined);
  const plan = computePlan({
    folders,
    claims: everyClaim,
    ...(scope ? { scope } : {}),
    remote: remoteInFolders,
    remoteHashes: hashes,
    details,
    base: lastSynced,
    baseContent: await bothChangedBases(ctx, claims, hashes),
    prune: options.prune,
    force: options.force,
    ...(options.drift !== undefined ? { drift: options.drift } : {}),
    ...(options.adopt ? { adopt: true } : {}),
    ...(options.runner ? { runner: options.runner } : {}),
    copies,
  });
  // Dashboards seen equal on both sides are in sync now: record that, so later runs can tell drift
  // and skip them.
  const updatedAt = new Map(listed.map((summary) => [summary.id, summary.updatedAt]));
  for (const claim of claims) {
    if (claim.via === 'id' && hashes.get(claim.remoteId) === claim.file.contentHash)
      recordSeenEqual(ctx.synced, claim.remoteId, claim.file, updatedAt.get(claim.remoteId));
  }
  return { plan, remote: listed, details };
}

/**
 * The dashboards of files whose id the list lacks that the workspace has all the same, asked for by
 * id: a list can lag behind the saves (an eventually consistent server, a run right after an apply),
 * and such a file must not be taken for deleted (made again by plan, removed by pull --prune).
 */
export async function unlistedButThere(
  ctx: RemoteContext,
  files: LocalFile[],
  listed: RemoteSummary[],
): Promise<RemoteSummary[]> {
  const ids = new Set(listed.map((summary) => summary.id));
  const unlisted = files.filter((file) => file.id !== undefined && !ids.has(file.id));
  const found = await mapPool(unlisted, ctx.settings.concurrency, async (file) => {
    const dashboard = await ctx.client.get(file.projectId, file.id!);
    if (dashboard) ctx.reporter.debug(`${file.path}: id ${file.id} is not listed, but the workspace has it`);
    return (
      dashboard && {
        id: dashboard.id,
        projectId: dashboard.projectId,
        name: dashboard.name,
        ...definedOnly({ updatedAt: dashboard.updatedAt }),
      }
    );
  });
  return found.filter((summary): summary is RemoteSummary => summary !== undefined);
}

// A dashboard about to be pruned whose last sync recorded no updated_at (apply records none it has
// not proven) is fetched, so that a change made in the workspace since is seen by its content.
async function hashUnprovenOrphans(
  ctx: RemoteContext,
  claims: Claim[],
  remote: RemoteSummary[],
  hashes: Map<string, string>,
): Promise<void> {
  const claimed = new Set(
    claims.flatMap((claim) => (claim.via === 'id' || claim.via === 'name' ? [claim.remoteId] : [])),
  );
  const unproven = remote.filter(
    (summary) =>
      !claimed.has(summary.id) &&
      ctx.synced[summary.id]?.hash &&
      (ctx.synced[summary.id]!.updatedAt === undefined || summary.updatedAt === undefined),
  );
  await mapPool(unproven, ctx.settings.concurrency, async (summary) => {
    const dashboard = await ctx.client.get(summary.projectId, summary.id);
    if (dashboard) hashes.set(summary.id, contentHash(dashboard));
  });
}

// The base contents of the dashboards changed on both sides since the last sync (only those are
// read: a plan of thousands of unchanged dashboards reads none).
async function bothChangedBases(
  ctx: RemoteContext,
  claims: Claim[],
  hashes: Map<string, string>,
): Promise<Map<string, DashboardContent>> {
  const bases = new Map<string, DashboardContent>();
  const wanted = claims.flatMap((claim) => {
    if (claim.via !== 'id' && claim.via !== 'name') return [];
    const entry = ctx.synced[claim.remoteId];
    const remoteHash = hashes.get(claim.remoteId);
    const both = entry?.hash && remoteHash && entry.hash !== remoteHash && entry.hash !== claim.file.contentHash;
    return both && remoteHash !== claim.file.contentHash ? [claim.remoteId] : [];
  });
  await mapPool(wanted, 16, async (id) => {
    const content = await baseContentOf(ctx.state, ctx.synced[id]);
    if (content) bases.set(id, content);
  });
  return bases;
}
