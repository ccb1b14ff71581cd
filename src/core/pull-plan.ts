import { claimRemotes } from './claims.js';
import { compareText } from './compare.js';
import { CONFLICT_WORDS } from './conflicts.js';
import { emptiedProjectRefusal } from './prune-guards.js';
import type { RunScope } from './selection.js';
import { uniqueFileName } from './slug.js';
import type { LocalFile, RemoteSummary, SyncBase, ThreeWay } from './types.js';
import { verdictOf } from './three-way.js';
import { quote } from './words.js';
import { unchangedSince, whoChanged } from './who-changed.js';

/*
 * Pull's planner, pure, in two phases so that memory stays flat however many dashboards there are:
 * planPull decides from the list, the files and the sync state what to fetch (and the names of new
 * files), what to remove and what to report; then decidePull decides each fetched dashboard alone,
 * and the command writes it and lets it go. Apply's planner is plan.ts; the guards of --prune are
 * the same in both directions (prune-guards.ts), and so is the selection (selection.ts).
 */

/** What pull did, or chose not to do, to one file. */
export interface PullChange {
  kind: 'new' | 'updated' | 'merged' | 'linked' | 'removed' | 'kept' | 'gone-remotely' | 'deleted-locally' | 'refused';
  path: string;
  id: string;
  name: string;
  message?: string;
}

/** What both sides held at the last sync, and the file it was synced with. */
export interface PullBase extends SyncBase {
  path?: string;
}

/** Everything planPull needs; all plain data. */
export interface PullInput {
  /** The valid files in the run. */
  files: LocalFile[];
  /** Files read but outside the run: their dashboards are not pulled, into them or anywhere. */
  outside: LocalFile[];
  scope: RunScope;
  /** Every dashboard the workspace lists. */
  listed: RemoteSummary[];
  /** The sync state, by dashboard id. */
  synced: Readonly<Record<string, PullBase>>;
  /** The folder each project's new files go to, by project id (projects without one get none). */
  folders: ReadonlyMap<string, string>;
  /** Projects whose id cannot be a folder name, with why and the fix: their dashboards are refused. */
  unfoldable?: ReadonlyMap<string, string>;
  /** Names already in each folder, lowercased; new names are added as they are given. */
  taken: Map<string, Set<string>>;
  /** The dashboards folder as paths show it (`dashboards`, or `.`). */
  dirShown: string;
  prune: boolean;
  force: boolean;
}

/** A dashboard to fetch: with the file that holds it, or the path of the new file it becomes. */
export interface PullFetch {
  summary: RemoteSummary;
  file?: LocalFile;
  newPath?: string;
}

/** Phase 1 of a pull: what to fetch, remove and report. */
export interface PullPlan {
  /** In a fixed order (project, name, id), so that new files' names never depend on timing. */
  fetch: PullFetch[];
  /** Files whose dashboards were deleted in the workspace, to remove (with --prune). */
  removals: Array<{ file: LocalFile; message: string }>;
  /** What is reported without a fetch: files kept, gone from the workspace, deleted locally, refused. */
  changes: PullChange[];
  /** Files unchanged on both sides since the last sync: not fetched. */
  unchanged: number;
}

const inProject = (projectId: string, id: string): string => `${projectId}\u0000${id}`;

/**
 * Phase 1 of pull. Files are matched to dashboards as plan matches them (claimRemotes, with every
 * file read, so a file outside the run keeps its dashboard out of it); a dashboard no file claims
 * becomes a new file where the run covers its whole project, unless the sync state knows it had a
 * file here that is gone (deleted locally: kept deleted unless `force`). Files whose dashboards
 * the workspace deleted are removed with `prune`, under the guards apply's prune has.
 */
export function planPull(input: PullInput): PullPlan {
  const { files, listed, synced } = input;
  const plan: PullPlan = { fetch: [], removals: [], changes: [], unchanged: 0 };
  const matched = new Map<string, LocalFile>();
  const held = new Set<string>();
  const gone: LocalFile[] = [];
  const claims = claimRemotes([...files, ...input.outside], listed);
  claims.forEach((claim, index) => {
    const { file } = claim;
    const inRun = index < files.length;
    const kept = (message: string): void =>
      void (inRun && plan.changes.push({ kind: 'kept', path: file.path, id: file.id ?? '', name: file.name, message }));
    switch (claim.via) {
      case 'id':
      case 'name':
        // A file whose id the workspace lacks is not re-linked by its name here: that is apply's to do.
        if (claim.via === 'name' && file.id !== undefined) return void (inRun && gone.push(file));
        held.add(inProject(file.projectId, claim.remoteId));
        if (inRun) matched.set(inProject(file.projectId, claim.remoteId), file);
        return;
      case 'other-project':
        held.add(inProject(claim.otherProjectId, file.id!));
        return kept(`the file is in the folder of project ${file.projectId}, the dashboard in ${claim.otherProjectId}`);
      case 'ambiguous':
        for (const namesake of listed)
          if (namesake.projectId === file.projectId && namesake.name === file.name)
            held.add(inProject(namesake.projectId, namesake.id));
        return kept(
          `${claim.count} dashboards in project ${file.projectId} are named ${JSON.stringify(file.name)}; ` +
            "none is pulled: add the right one's id to the file",
        );
      case 'missing-id':
        return void (inRun && gone.push(file));
      case 'none':
        return;
    }
  });
  for (const summary of [...listed].sort(byProjectNameAndId)) {
    const key = inProject(summary.projectId, summary.id);
    const file = matched.get(key);
    if (file) {
      const now = { contentHash: file.contentHash, updatedAt: summary.updatedAt };
      if (file.id === summary.id && unchangedSince(synced[summary.id], now)) plan.unchanged++;
      else plan.fetch.push({ summary, file });
    } else if (!held.has(key)) newFile(input, plan, summary);
  }
  planRemovals(input, plan, gone);
  plan.changes.sort((left, right) => compareText(left.path, right.path));
  return plan;
}

// A dashboard no file claims: a new file where the run covers its project, unless it was deleted locally.
function newFile(input: PullInput, plan: PullPlan, summary: RemoteSummary): void {
  const folder = input.folders.get(summary.projectId);
  const unfoldable = input.unfoldable?.get(summary.projectId);
  if (folder === undefined && unfoldable !== undefined) {
    const path = `project ${quote(summary.projectId)}`;
    return void plan.changes.push({ kind: 'refused', path, id: summary.id, name: summary.name, message: unfoldable });
  }
  const prefix = input.dirShown === '.' ? '' : `${input.dirShown}/`;
  const lastPath = input.synced[summary.id]?.path;
  // A file deleted locally and named as a target (pull --force FILE) is in the run by its own path.
  const named =
    lastPath !== undefined &&
    lastPath.startsWith(prefix) &&
    input.scope.hasFile(lastPath.slice(prefix.length), summary.projectId);
  if (folder === undefined || !(input.scope.hasUnclaimed(summary, folder, summary.projectId) || named)) return;
  const taken = input.taken.get(folder) ?? new Set<string>();
  input.taken.set(folder, taken);
  if (lastPath !== undefined && lastPath.startsWith(prefix)) {
    if (!input.force) {
      plan.changes.push({
        kind: 'deleted-locally',
        path: lastPath,
        id: summary.id,
        name: summary.name,
        message:
          'deleted locally (its file is gone); kept deleted: apply --prune deletes it in the workspace, pull --force brings the file back',
      });
      return;
    }
    // Brought back where it was, when that place is free.
    const name = lastPath.slice(lastPath.lastIndexOf('/') + 1);
    if (lastPath === `${prefix}${folder}/${name}` && !taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return void plan.fetch.push({ summary, newPath: lastPath });
    }
  }
  plan.fetch.push({ summary, newPath: `${prefix}${folder}/${uniqueFileName(summary.name, taken)}` });
}

// Files whose dashboards the workspace no longer has: reported, or removed with --prune, never
// where the workspace lists nothing of their project (the guard apply's prune has, mirrored).
function planRemovals(input: PullInput, plan: PullPlan, gone: LocalFile[]): void {
  const listedIn = new Map<string, number>();
  for (const summary of input.listed) listedIn.set(summary.projectId, (listedIn.get(summary.projectId) ?? 0) + 1);
  const byProject = new Map<string, LocalFile[]>();
  for (const file of gone) byProject.set(file.projectId, [...(byProject.get(file.projectId) ?? []), file]);
  for (const [projectId, projectFiles] of byProject) {
    const decisions = projectFiles.map((file) => ({
      file,
      removal: decideRemoval(file, input.synced[file.id!], { prune: input.prune, force: input.force }),
    }));
    const removals = decisions.filter((decision) => decision.removal.kind === 'remove').length;
    const sourceCount = listedIn.get(projectId) ?? 0;
    const refusal = input.prune
      ? emptiedProjectRefusal('pull', { projectId, sourceCount, removals }, input.force)
      : undefined;
    if (refusal) {
      const folderPath = projectFiles[0]!.path.slice(0, projectFiles[0]!.path.lastIndexOf('/'));
      plan.changes.push({ kind: 'refused', path: folderPath, id: '', name: '', message: refusal });
    }
    for (const { file, removal } of decisions) {
      const change = { path: file.path, id: file.id!, name: file.name };
      if (refusal)
        plan.changes.push({
          kind: 'kept',
          ...change,
          message: 'not in the workspace; not removed (see its project above)',
        });
      else if (removal.kind === 'remove') plan.removals.push({ file, message: removal.message });
      else plan.changes.push({ kind: removal.kind, ...change, message: removal.message });
    }
  }
}

// The order pull visits dashboards in, and so names new files in: by project, name, then id.
function byProjectNameAndId(left: RemoteSummary, right: RemoteSummary): number {
  return (
    compareText(left.projectId, right.projectId) || compareText(left.name, right.name) || (left.id < right.id ? -1 : 1)
  );
}

/** What pull does with a file whose dashboard the workspace has. */
export type PullDecision =
  | { kind: 'unchanged' }
  /** Same content, and the file has no id yet: write the id. */
  | { kind: 'link' }
  /** Take the workspace's content. */
  | { kind: 'rewrite' }
  /** Both changed, in different places: merge the workspace's changes into the file. */
  | { kind: 'merge' }
  | { kind: 'kept'; message: string };

/**
 * Decides pull's step for one file and its remote dashboard, by the same rule plan follows in the
 * other direction (whoChanged): only a change made in the workspace alone (drift) is taken without
 * `force`; a local edit, a conflict, or a difference no sync record explains keeps the file.
 */
export function decidePull(
  file: { projectId: string; contentHash: string; id?: string },
  remote: { projectId: string; hash: string },
  base: SyncBase | undefined,
  { force }: { force: boolean },
  threeWay?: ThreeWay,
): PullDecision {
  if (file.projectId !== remote.projectId)
    return {
      kind: 'kept',
      message: `the file is in the folder of project ${file.projectId}, the dashboard in ${remote.projectId}`,
    };
  if (file.contentHash === remote.hash) return file.id === undefined ? { kind: 'link' } : { kind: 'unchanged' };
  const reason = whoChanged(base, file.contentHash, remote.hash);
  if (reason === 'drift' || force) return { kind: 'rewrite' };
  // Both changed, and the base is known: only a place changed two ways keeps the file as a conflict.
  const verdict = reason === 'conflict' && threeWay ? verdictOf(threeWay) : undefined;
  if (verdict === 'merge') return { kind: 'merge' };
  if (verdict === 'local-edit')
    return {
      kind: 'kept',
      message: 'edited locally, and it already holds the change made in the workspace; kept (apply sends it)',
    };
  const places = threeWay?.conflicts.length ? ` at ${threeWay.conflicts.map((c) => c.path).join(', ')}` : '';
  const message =
    reason === 'conflict'
      ? `CONFLICT: ${CONFLICT_WORDS['both-changed']}${places}; kept the local file ` +
        '(edit it to settle the conflict, then apply; pull --force takes theirs)'
      : reason === 'local-edit'
        ? 'edited locally and not applied yet; kept (apply sends it, pull --force discards it)'
        : 'differs from the workspace and there is no sync record to tell who changed it; ' +
          'kept the local file (pull --force takes theirs)';
  return { kind: 'kept', message };
}

/** What pull does with a file whose dashboard is no longer in the workspace. */
export type PullRemoval = { kind: 'gone-remotely' | 'kept' | 'remove'; message: string };

/**
 * A file whose dashboard was deleted in the workspace: reported without `prune`; kept when it was
 * edited locally since the last sync (unless `force`), the mirror of apply's deleted-remotely conflict.
 */
export function decideRemoval(
  file: { contentHash: string },
  base: SyncBase | undefined,
  { prune, force }: { prune: boolean; force: boolean },
): PullRemoval {
  if (!prune) {
    // A file edited since the last sync is removed only with --force too: say so.
    const edited = base !== undefined && file.contentHash !== base.hash;
    const flags = edited ? 'pull --prune --force (it was edited locally)' : 'pull --prune';
    return {
      kind: 'gone-remotely',
      message: `not in the workspace (deleted there?); file kept: ${flags} removes it, apply creates it again`,
    };
  }
  if (base && file.contentHash !== base.hash && !force)
    return {
      kind: 'kept',
      message:
        `${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ` +
        'kept (apply creates it again, pull --prune --force removes it)',
    };
  return { kind: 'remove', message: 'deleted in the workspace' };
}
