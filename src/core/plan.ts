import { copiesFor, copiesMessage } from './claims.js';
import type { Claim, Copies } from './claims.js';
import { compareText } from './compare.js';
import { DEFAULT_DRIFT, withDriftPolicy } from './drift.js';
import { compareThreeWay, verdictOf } from './three-way.js';
import type {
  Action,
  DashboardContent,
  DriftPolicy,
  LocalFile,
  Plan,
  ProjectFolder,
  RemoteSummary,
  RemoteDashboard,
  SyncBase,
  Unmanaged,
} from './types.js';
import { emptiedProjectRefusal } from './prune-guards.js';
import { relativeToFolder } from './selection.js';
import type { RunScope } from './selection.js';
import { whoChanged } from './who-changed.js';
import { definedOnly } from '../util/defined.js';

/** Everything computePlan needs; all plain data. */
export interface PlanInput {
  folders: ProjectFolder[];
  /**
   * The claims of every file read, in the run or not: a dashboard claimed by a file outside the run
   * is invisible to it (neither planned nor pruned nor unmanaged).
   */
  claims: Claim[];
  /** What the run covers (see core/selection.ts); absent: every file and project. */
  scope?: RunScope;
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
  /**
   * The content both sides held at the last sync, by dashboard id, where the sync state kept it:
   * needed only for the dashboards both sides changed since (the three-way comparison).
   */
  baseContent?: Map<string, DashboardContent>;
  prune: boolean;
  force: boolean;
  /** What apply does with drift; default revert. */
  drift?: DriftPolicy;
  /** The files of the run may adopt a namesake whose content differs (`--adopt`). */
  adopt?: boolean;
  /** Who refuses to empty a project with --prune: apply (the default) or watch, whose remedies differ. */
  runner?: 'apply' | 'watch';
  /** Dashboards the server made more than once for an earlier create of dashsync's: a file of one is an error. */
  copies?: readonly Copies[];
}

// A file whose dashboard the sync state knew, but the workspace no longer has: deleted there since.
function deletedSince(
  id: string,
  file: LocalFile,
  base: Map<string, SyncBase>,
): { deletedRemotely?: 'drift' | 'conflict' } {
  const baseline = base.get(id);
  if (!baseline || !baseline.hash) return {};
  return { deletedRemotely: file.contentHash === baseline.hash ? 'drift' : 'conflict' };
}

// The file's content, which the caller must have loaded for every file that is to be saved.
function contentOf(file: LocalFile): DashboardContent {
  if (!file.definition) throw new Error(`internal: ${file.path} is needed but was not loaded`);
  return { name: file.name, definition: file.definition };
}

// The action for one claimed file, or 'unchanged' when file and workspace already agree.
function fileAction(claim: Claim, input: PlanInput): Action | 'unchanged' {
  const file = claim.file;
  const where = {
    path: file.path,
    projectId: file.projectId,
    folder: file.folder,
    name: file.name,
    ...definedOnly({ fileId: file.fileId, fileHash: file.byteHash || undefined, deploy: file.deploy }),
  };
  // Which of the copies to keep is the user's call: nothing is done to the file's dashboard meanwhile.
  const copied = input.copies && copiesFor(input.copies, file.projectId, file.name);
  if (copied && claim.via !== 'other-project') return errorFor(file, copiesMessage(copied));
  // Built only where the action is a create: only then must the file's definition be loaded.
  const create = () => ({ kind: 'create' as const, ...where, local: contentOf(file), localHash: file.contentHash });
  switch (claim.via) {
    case 'none':
      return create();
    case 'missing-id':
      return { ...create(), recreateId: file.id!, ...deletedSince(file.id!, file, input.base) };
    case 'ambiguous':
      return errorFor(
        file,
        `${claim.count} remote dashboards in project ${file.projectId} are named ${JSON.stringify(file.name)}; ` +
          `add the right one's id to the file`,
      );
    case 'other-project':
      return errorFor(
        file,
        `id ${file.id} belongs to project ${claim.otherProjectId}, not ${file.projectId}; ` +
          'move the file back, or remove its id to create a copy here',
      );
    default: {
      const remoteHash = input.remoteHashes.get(claim.remoteId);
      if (remoteHash === undefined) {
        if (file.id === undefined) return create();
        return { ...create(), recreateId: file.id, ...deletedSince(file.id, file, input.base) };
      }
      const adopt = claim.via === 'name';
      if (remoteHash === file.contentHash)
        return adopt ? { kind: 'link', ...where, id: claim.remoteId, hash: remoteHash } : 'unchanged';
      const remote = input.details.get(claim.remoteId);
      if (!remote) throw new Error(`internal: dashboard ${claim.remoteId} differs but was not fetched`);
      const local = contentOf(file);
      const theirs = { name: remote.name, definition: remote.definition };
      let reason = whoChanged(input.base.get(remote.id), file.contentHash, remoteHash);
      // Both changed: where the base is known, only a place changed two ways is a conflict.
      const baseContent = reason === 'conflict' ? input.baseContent?.get(remote.id) : undefined;
      const threeWay = baseContent ? compareThreeWay(baseContent, local, theirs) : undefined;
      if (threeWay) reason = verdictOf(threeWay);
      return {
        kind: 'update',
        ...where,
        id: remote.id,
        local,
        remote: theirs,
        reason,
        adopt,
        ...(adopt
          ? definedOnly({ adoptAsked: input.adopt || undefined, namesakeUpdatedAt: remote.updatedAt || undefined })
          : {}),
        ...(threeWay ? { threeWay } : {}),
        localHash: file.contentHash,
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
  const { scope } = input;
  for (const claim of input.claims) {
    if (scope && !scope.hasFile(relativeToFolder(claim.file), claim.file.projectId)) continue;
    const action = fileAction(claim, input);
    if (action === 'unchanged') unchanged++;
    else actions.push(action);
  }
  const unmanaged: Unmanaged[] = [];
  const orphansByProject = unclaimedByProject(input);
  const filesByProject = new Map<string, number>();
  for (const { file } of input.claims)
    filesByProject.set(file.projectId, (filesByProject.get(file.projectId) ?? 0) + 1);
  for (const folder of input.folders) {
    const orphans = (orphansByProject.get(folder.projectId) ?? []).filter(
      (orphan) => !scope || scope.hasUnclaimed(orphan, folder.folder, folder.projectId),
    );
    if (orphans.length === 0) continue;
    const unmanagedRow = (orphan: RemoteSummary): Unmanaged => ({
      projectId: orphan.projectId,
      folder: folder.folder,
      id: orphan.id,
      name: orphan.name,
    });
    const refusal = input.prune
      ? emptiedProjectRefusal(
          input.runner ?? 'apply',
          {
            projectId: folder.projectId,
            sourceCount: filesByProject.get(folder.projectId) ?? 0,
            removals: orphans.length,
          },
          input.force,
        )
      : undefined;
    if (refusal) {
      actions.push(folderError(folder, refusal));
      unmanaged.push(...orphans.map(unmanagedRow));
      continue;
    }
    for (const orphan of orphans) {
      if (!input.prune) {
        unmanaged.push(unmanagedRow(orphan));
        continue;
      }
      actions.push({
        kind: 'delete',
        projectId: orphan.projectId,
        folder: folder.folder,
        id: orphan.id,
        name: orphan.name,
        ...definedOnly({
          conflict: changedSinceSync(orphan, input) || undefined,
          updatedAt: orphan.updatedAt || undefined,
        }),
      });
    }
  }
  actions.sort((left, right) => compareText(sortKey(left), sortKey(right)));
  unmanaged.sort(
    (left, right) =>
      compareText(left.folder, right.folder) || compareText(left.name, right.name) || compareText(left.id, right.id),
  );
  const drift = input.drift ?? DEFAULT_DRIFT;
  const split = withDriftPolicy(actions, drift);
  return {
    actions: split.actions,
    unmanaged,
    unchanged,
    ...definedOnly({ force: input.force || undefined }),
    ...(input.drift !== undefined ? { drift } : {}),
    ...(split.drifted.length ? { drifted: split.drifted } : {}),
  };
}

// The remote dashboards no file claims, by project.
function unclaimedByProject(input: PlanInput): Map<string, RemoteSummary[]> {
  const claimed = new Set<string>();
  for (const claim of input.claims)
    if (claim.via === 'id' || claim.via === 'name') claimed.add(`${claim.file.projectId}\u0000${claim.remoteId}`);
  const byProject = new Map<string, RemoteSummary[]>();
  for (const dashboard of input.remote)
    if (!claimed.has(`${dashboard.projectId}\u0000${dashboard.id}`))
      byProject.set(dashboard.projectId, [...(byProject.get(dashboard.projectId) ?? []), dashboard]);
  return byProject;
}

// Changed since the last sync: its content hash (when fetched) or its updated_at says so.
function changedSinceSync(orphan: RemoteSummary, input: PlanInput): boolean {
  const baseline = input.base.get(orphan.id);
  if (baseline === undefined) return false;
  const hash = input.remoteHashes.get(orphan.id);
  if (hash !== undefined) return hash !== baseline.hash;
  return baseline.updatedAt !== undefined && orphan.updatedAt !== undefined && baseline.updatedAt !== orphan.updatedAt;
}

// An error about a whole project folder (an empty folder with --prune most likely means a wrong
// --dir or a lost checkout, not "delete all"): shown at the folder, with no dashboard name.
function folderError(folder: ProjectFolder, message: string): Action {
  return { kind: 'error', path: folder.path, projectId: folder.projectId, folder: folder.folder, name: '', message };
}

// Actions on files sort by path; deletes (no file) by folder, then after the files of that folder.
function sortKey(action: Action): string {
  return 'path' in action ? action.path : `${action.folder}/\uffff${action.name}\u0000${action.id}`;
}

/** An `x` action: what is wrong with a file, shown in the plan; apply changes nothing while one exists. */
function errorFor(file: LocalFile, message: string): Action {
  return { kind: 'error', path: file.path, projectId: file.projectId, folder: file.folder, name: file.name, message };
}
