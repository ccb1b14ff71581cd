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
