import { compareText } from './compare.js';
import type { LocalFile, RemoteSummary } from './types.js';

/** How a file was matched to a remote dashboard. */
export type Claim =
  | { file: LocalFile; via: 'id' | 'name'; remoteId: string }
  | { file: LocalFile; via: 'none' }
  | { file: LocalFile; via: 'missing-id' }
  | { file: LocalFile; via: 'ambiguous'; count: number }
  | { file: LocalFile; via: 'other-project'; otherProjectId: string };

// Keys of the maps below: a dashboard id or name is unique only within its project.
const inProject = (projectId: string, idOrName: string): string => `${projectId}\u0000${idOrName}`;

/**
 * Matches each file to the remote dashboard it manages: by `id` when it has one, else by an exact
 * `name` match inside its project (so that a re-run after a lost id write-back adopts instead of
 * creating a duplicate). Pure; the caller fetches the definitions of the claimed ids.
 */
export function claimRemotes(files: LocalFile[], remote: RemoteSummary[]): Claim[] {
  const byId = new Map<string, RemoteSummary[]>();
  for (const dashboard of remote) byId.set(dashboard.id, [...(byId.get(dashboard.id) ?? []), dashboard]);
  const claimedIds = new Set(
    files.filter((file) => file.id !== undefined).map((file) => inProject(file.projectId, file.id!)),
  );
  const unclaimedByName = new Map<string, RemoteSummary[]>();
  for (const dashboard of remote) {
    if (claimedIds.has(inProject(dashboard.projectId, dashboard.id))) continue;
    const key = inProject(dashboard.projectId, dashboard.name);
    unclaimedByName.set(key, [...(unclaimedByName.get(key) ?? []), dashboard]);
  }
  const namesakesOf = (file: LocalFile): RemoteSummary[] =>
    unclaimedByName.get(inProject(file.projectId, file.name)) ?? [];
  return files.map((file): Claim => {
    if (file.id !== undefined) {
      const hits = byId.get(file.id) ?? [];
      if (hits.some((hit) => hit.projectId === file.projectId)) return { file, via: 'id', remoteId: file.id };
      const other = hits[0];
      if (other) return { file, via: 'other-project', otherProjectId: other.projectId };
      // Not here under its id: a namesake nobody claims is the same dashboard, created here under
      // another id (a workspace that refused the id, and a crash before that was recorded).
      const namesakes = namesakesOf(file);
      if (namesakes.length === 1) return { file, via: 'name', remoteId: namesakes[0]!.id };
      return { file, via: 'missing-id' };
    }
    const sameName = namesakesOf(file);
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
  const idsByName = new Map<string, string[]>();
  for (const dashboard of remote) {
    const key = inProject(dashboard.projectId, dashboard.name);
    idsByName.set(key, [...(idsByName.get(key) ?? []), dashboard.id]);
  }
  const found: Namesakes[] = [];
  for (const claim of claims) {
    if (claim.via !== 'id' && claim.via !== 'name') continue;
    const { file } = claim;
    const ids = idsByName.get(inProject(file.projectId, file.name)) ?? [];
    if (ids.length > 1)
      found.push({ path: file.path, projectId: file.projectId, name: file.name, ids: [...ids].sort() });
  }
  return found.sort((left, right) => compareText(left.path, right.path));
}

/** A create that the server made more than once: the dashboard dashsync recorded, and the copies. */
export interface Copies {
  projectId: string;
  name: string;
  /** The id dashsync recorded for it, when the workspace still has it. */
  keep?: string;
  /** The other dashboards of that name that appeared with it. */
  copies: string[];
}

/**
 * Earlier creates whose answer was lost (`doubts`: each with the id dashsync recorded) that the
 * workspace now holds more than once: the server committed a late attempt as well.
 */
export function findCopies(
  doubts: ReadonlyArray<{ projectId: string; name: string; id: string }>,
  remote: RemoteSummary[],
): Copies[] {
  const found = new Map<string, Copies>();
  for (const doubt of doubts) {
    const key = inProject(doubt.projectId, doubt.name);
    if (found.has(key)) continue;
    const same = remote.filter((row) => row.projectId === doubt.projectId && row.name === doubt.name);
    if (same.length < 2) continue;
    const keep = same.some((row) => row.id === doubt.id) ? doubt.id : undefined;
    const copies = same.map((row) => row.id).filter((id) => id !== keep);
    found.set(key, { projectId: doubt.projectId, name: doubt.name, ...(keep ? { keep } : {}), copies: copies.sort() });
  }
  return [...found.values()];
}

/** The copies found of the dashboard of this project and name, if any. */
export function copiesFor(all: readonly Copies[], projectId: string, name: string): Copies | undefined {
  return all.find((found) => found.projectId === projectId && found.name === name);
}

/** What a user is told about copies: why they exist and what to delete. */
export function copiesMessage(found: Copies): string {
  const ids = [...(found.keep ? [found.keep] : []), ...found.copies];
  const what =
    `project ${found.projectId} holds ${ids.length} dashboards named ${JSON.stringify(found.name)} (ids ${ids.join(', ')}): ` +
    'the server committed more than one attempt of a dashsync create whose answer was lost';
  return found.keep
    ? `${what}; keep ${found.keep} (the one dashsync recorded) and delete ${found.copies.join(', ')} in the workspace`
    : `${what}; keep one of them (put its id in the file) and delete the others in the workspace`;
}
