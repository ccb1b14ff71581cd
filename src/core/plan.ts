import type {
  Action,
  DashboardContent,
  LocalFile,
  Plan,
  RemoteDashboard,
  RemoteSummary,
  SyncBase,
  Unmanaged,
  UpdateReason,
} from './types.js';
import { conflictOf } from './conflicts.js';

/** A project folder that exists locally (and is selected), with or without files in it. */
export interface ProjectFolder {
  folder: string;
  projectId: string;
  /** Display path of the folder, e.g. `dashboards/sales`. */
  path: string;
}

/** How a file was matched to a remote dashboard. */
export type Claim =
  | { file: LocalFile; via: 'id' | 'name'; remoteId: string }
  | { file: LocalFile; via: 'none' }
  | { file: LocalFile; via: 'missing-id' }
  | { file: LocalFile; via: 'ambiguous'; count: number }
  | { file: LocalFile; via: 'other-project'; otherProjectId: string };

/**
 * Matches each file to the remote dashboard it manages: by `id` when it has one, else by an exact
 * `name` match inside its project (so that a re-run after a lost id write-back adopts instead of
 * creating a duplicate). Pure; the caller fetches the definitions of the claimed ids.
 */
export function claimRemotes(files: LocalFile[], remote: RemoteSummary[]): Claim[] {
  const byId = new Map<string, RemoteSummary[]>();
  for (const r of remote) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const claimedIds = new Set(files.filter((f) => f.id !== undefined).map((f) => `${f.projectId}\u0000${f.id}`));
  const named = new Map<string, RemoteSummary[]>();
  for (const r of remote) {
    if (claimedIds.has(`${r.projectId}\u0000${r.id}`)) continue;
    const key = `${r.projectId}\u0000${r.name}`;
    named.set(key, [...(named.get(key) ?? []), r]);
  }
  const byName = (file: LocalFile): RemoteSummary[] => named.get(`${file.projectId}\u0000${file.name}`) ?? [];
  return files.map((file): Claim => {
    if (file.id !== undefined) {
      const hits = byId.get(file.id) ?? [];
      if (hits.some((r) => r.projectId === file.projectId)) return { file, via: 'id', remoteId: file.id };
      const other = hits[0];
      if (other) return { file, via: 'other-project', otherProjectId: other.projectId };
      // Not here under its id: a namesake nobody claims is the same dashboard, created here under
      // another id (a workspace that refused the id, and a crash before that was recorded).
      const namesakes = byName(file);
      if (namesakes.length === 1) return { file, via: 'name', remoteId: namesakes[0]!.id };
      return { file, via: 'missing-id' };
    }
    const sameName = byName(file);
    const only = sameName[0];
    if (sameName.length === 1 && only) return { file, via: 'name', remoteId: only.id };
    if (sameName.length > 1) return { file, via: 'ambiguous', count: sameName.length };
    return { file, via: 'none' };
  });
}

/** A project that holds several dashboards with the name of a file's dashboard: likely duplicates. */
export interface Namesakes {
  path: string;
  projectId: string;
  name: string;
  ids: string[];
}

/**
 * Files whose project holds more than one dashboard with the file's name (two deploys at once, say,
 * each creating it): worth a warning the same day, since the API offers no lock to prevent it.
 */
export function findNamesakes(claims: Claim[], remote: RemoteSummary[]): Namesakes[] {
  const byName = new Map<string, string[]>();
  for (const r of remote) {
    const key = `${r.projectId}\u0000${r.name}`;
    byName.set(key, [...(byName.get(key) ?? []), r.id]);
  }
  const out: Namesakes[] = [];
  for (const c of claims) {
    if (c.via !== 'id' && c.via !== 'name') continue;
    const ids = byName.get(`${c.file.projectId}\u0000${c.file.name}`) ?? [];
    if (ids.length > 1)
      out.push({ path: c.file.path, projectId: c.file.projectId, name: c.file.name, ids: [...ids].sort() });
  }
  return out.sort((a, b) => cmp(a.path, b.path));
}

/** Everything computePlan needs; all plain data. */
export interface PlanInput {
  folders: ProjectFolder[];
  claims: Claim[];
  /** Every remote dashboard listed for the projects concerned (metadata). */
  remote: RemoteSummary[];
  /**
   * contentHash() of each claimed dashboard the workspace has, by id (fetched, or known unchanged
   * since the last sync). A claimed id absent here vanished meanwhile. With prune, also of the
   * unclaimed dashboards whose last sync recorded no updated_at (so only content can tell).
   */
  remoteHashes: Map<string, string>;
  /** Full content of the claimed dashboards whose hash differs from their file's, by id. */
  details: Map<string, RemoteDashboard>;
  /** What both sides held at the last sync, by dashboard id (empty without a sync state). */
  base: Map<string, SyncBase>;
  prune: boolean;
  force: boolean;
}

function reasonFor(id: string, localHash: string, remoteHash: string, base: Map<string, SyncBase>): UpdateReason {
  return whoChanged(base.get(id), localHash, remoteHash);
}

/**
 * Which side changed a dashboard whose file and workspace differ, judged against the last sync:
 * the one rule that plan (apply's direction) and pull both follow.
 */
export function whoChanged(b: SyncBase | undefined, localHash: string, remoteHash: string): UpdateReason {
  if (!b || !b.hash) return 'unknown';
  const localChanged = localHash !== b.hash;
  const remoteChanged = remoteHash !== b.hash;
  if (localChanged && remoteChanged) return 'conflict';
  return remoteChanged ? 'drift' : 'local-edit';
}

// A file whose dashboard the sync state knew, but the workspace no longer has: deleted there since.
function deletedSince(
  id: string,
  local: LocalFile,
  base: Map<string, SyncBase>,
): { deletedRemotely?: 'drift' | 'conflict' } {
  const b = base.get(id);
  if (!b || !b.hash) return {};
  return { deletedRemotely: local.contentHash === b.hash ? 'drift' : 'conflict' };
}

// The file's content, which the caller must have loaded for every file that is to be saved.
function contentOf(f: LocalFile): DashboardContent {
  if (!f.definition) throw new Error(`internal: ${f.path} is needed but was not loaded`);
  return { name: f.name, definition: f.definition };
}

function fileAction(claim: Claim, input: PlanInput): Action | 'unchanged' {
  const f = claim.file;
  const where = {
    path: f.path,
    projectId: f.projectId,
    folder: f.folder,
    name: f.name,
    ...(f.fileId !== undefined ? { fileId: f.fileId } : {}),
    ...(f.byteHash ? { fileHash: f.byteHash } : {}),
  };
  switch (claim.via) {
    case 'none':
      return { kind: 'create', ...where, local: contentOf(f), localHash: f.contentHash };
    case 'missing-id':
      return {
        kind: 'create',
        ...where,
        local: contentOf(f),
        localHash: f.contentHash,
        recreateId: f.id!,
        ...deletedSince(f.id!, f, input.base),
      };
    case 'ambiguous':
      return errorFor(
        f,
        `${claim.count} remote dashboards in project ${f.projectId} are named ${JSON.stringify(f.name)}; add the right one's id to the file`,
      );
    case 'other-project':
      return errorFor(
        f,
        `id ${f.id} belongs to project ${claim.otherProjectId}, not ${f.projectId}; move the file back, or remove its id to create a copy here`,
      );
    default: {
      const remoteHash = input.remoteHashes.get(claim.remoteId);
      if (remoteHash === undefined)
        return {
          kind: 'create',
          ...where,
          local: contentOf(f),
          localHash: f.contentHash,
          ...(f.id !== undefined ? { recreateId: f.id, ...deletedSince(f.id, f, input.base) } : {}),
        };
      const adopt = claim.via === 'name';
      if (remoteHash === f.contentHash)
        return adopt ? { kind: 'link', ...where, id: claim.remoteId, hash: remoteHash } : 'unchanged';
      const remote = input.details.get(claim.remoteId);
      if (!remote) throw new Error(`internal: dashboard ${claim.remoteId} differs but was not fetched`);
      const reason = reasonFor(remote.id, f.contentHash, remoteHash, input.base);
      return {
        kind: 'update',
        ...where,
        id: remote.id,
        local: contentOf(f),
        remote: { name: remote.name, definition: remote.definition },
        reason,
        adopt,
        localHash: f.contentHash,
        remoteHash,
      };
    }
  }
}

/**
 * Compares files with the workspace and returns the actions that bring the workspace in line with
 * the files. Remote dashboards no file claims are deleted only with `prune`, and only in the given
 * folders' projects. Pure and deterministic: the order of the inputs does not change the output.
 */
export function computePlan(input: PlanInput): Plan {
  const actions: Action[] = [];
  let unchanged = 0;
  for (const claim of input.claims) {
    const a = fileAction(claim, input);
    if (a === 'unchanged') unchanged++;
    else actions.push(a);
  }
  const claimed = new Set<string>();
  for (const c of input.claims)
    if (c.via === 'id' || c.via === 'name') claimed.add(`${c.file.projectId}\u0000${c.remoteId}`);
  const unmanaged: Unmanaged[] = [];
  const byProject = new Map<string, RemoteSummary[]>();
  for (const r of input.remote)
    if (!claimed.has(`${r.projectId}\u0000${r.id}`))
      byProject.set(r.projectId, [...(byProject.get(r.projectId) ?? []), r]);
  const projectsWithFiles = new Set(input.claims.map((c) => c.file.projectId));
  for (const folder of input.folders) {
    const orphans = byProject.get(folder.projectId) ?? [];
    if (orphans.length === 0) continue;
    const hasFiles = projectsWithFiles.has(folder.projectId);
    if (input.prune && !hasFiles && !input.force) {
      actions.push({
        kind: 'error',
        path: folder.path,
        projectId: folder.projectId,
        folder: folder.folder,
        name: '',
        message: `--prune would delete ${orphans.length === 1 ? 'the only dashboard' : `all ${orphans.length} dashboards`} of project ${folder.projectId} because its folder has no dashboard files; add --force if that is what you want`,
      });
      for (const r of orphans)
        unmanaged.push({ projectId: r.projectId, folder: folder.folder, id: r.id, name: r.name });
      continue;
    }
    for (const r of orphans) {
      if (input.prune) {
        const b = input.base.get(r.id);
        // Changed since the last sync: its content hash (when fetched) or its updated_at says so.
        const hash = input.remoteHashes.get(r.id);
        const changedSince =
          b !== undefined &&
          (hash !== undefined
            ? hash !== b.hash
            : b.updatedAt !== undefined && r.updatedAt !== undefined && b.updatedAt !== r.updatedAt);
        actions.push({
          kind: 'delete',
          projectId: r.projectId,
          folder: folder.folder,
          id: r.id,
          name: r.name,
          ...(changedSince ? { conflict: true } : {}),
          ...(r.updatedAt ? { updatedAt: r.updatedAt } : {}),
        });
      } else unmanaged.push({ projectId: r.projectId, folder: folder.folder, id: r.id, name: r.name });
    }
  }
  actions.sort(compareActions);
  unmanaged.sort((a, b) => cmp(a.folder, b.folder) || cmp(a.name, b.name) || cmp(a.id, b.id));
  return { actions, unmanaged, unchanged, ...(input.force ? { force: true } : {}) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKey(a: Action): string {
  return 'path' in a ? a.path : `${a.folder}/\uffff${a.name}\u0000${a.id}`;
}

function compareActions(a: Action, b: Action): number {
  return cmp(sortKey(a), sortKey(b));
}

/** Counts of a plan's actions, as the summary line and the JSON output show them. */
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  link: number;
  error: number;
  conflict: number;
  unchanged: number;
  unmanaged: number;
}

/** Counts the actions of a plan. */
export function summarize(plan: Plan): PlanSummary {
  const s: PlanSummary = {
    create: 0,
    update: 0,
    delete: 0,
    link: 0,
    error: 0,
    conflict: 0,
    unchanged: plan.unchanged,
    unmanaged: plan.unmanaged.length,
  };
  for (const a of plan.actions) {
    // A conflict that apply will skip is counted as a conflict, not as work apply will do.
    if (isConflict(a)) {
      s.conflict++;
      if (!plan.force) continue;
    }
    s[a.kind]++;
  }
  return s;
}

/** True when applying the plan would change anything, remotely or in the files. */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.some((a) => a.kind !== 'error' && (plan.force || !isConflict(a)));
}

/** Conflicts that apply will skip (no --force): each fails the run, since that change is not deployed. */
export function skippedConflicts(plan: Plan): number {
  return plan.force ? 0 : plan.actions.filter(isConflict).length;
}

/** True for an action that would overwrite a change made on the other side since the last sync. */
export function isConflict(a: Action): boolean {
  return conflictOf(a) !== undefined;
}

/** An `x` action: what is wrong with a file, shown in the plan; apply changes nothing while one exists. */
function errorFor(f: LocalFile, message: string): Action {
  return { kind: 'error', path: f.path, projectId: f.projectId, folder: f.folder, name: f.name, message };
}
