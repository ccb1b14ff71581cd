/*
 * An app's history: its versions as the platform numbers them, beside the git commits that
 * deployed them. A deploy from CI bookmarks its checkpoint with the commit it ran for
 * (`apply --bookmark "$GITHUB_SHA"`), so a label that is a commit's hash, or the start of one,
 * ties the version to that commit.
 */

/** One commit, as `git log` tells it. */
export interface GitCommit {
  /** The full hash. */
  sha: string;
  author: string;
  /** ISO 8601, the author's date. */
  date: string;
  subject: string;
}

/** What a run at a git ref (`--ref`) reads its files from: the ref as given and the commit it names. */
export interface RefSnapshot {
  ref: string;
  commit: GitCommit;
}

/** One version of an app, as history shows it. */
export interface HistoryVersion {
  number?: number;
  versionId: string;
  createdAt?: string;
  author?: string;
  bookmarked: boolean;
  label?: string;
  published: boolean;
  /** For a restore: the number of the version it brought back. */
  restoredFrom?: number;
  /** The commit its bookmark label names, among the file's commits. */
  commit?: GitCommit;
}

/** `dashsync history <file>`: the app's versions beside its file's commits. */
export interface AppHistory {
  path: string;
  id: string;
  projectId: string;
  name: string;
  /** Newest first, each with the commit its label names. */
  versions: HistoryVersion[];
  /** The file's commits, newest first; empty outside a git repository. */
  commits: GitCommit[];
  /** False when the folder is not in a git repository (no commits to show). */
  inGit: boolean;
}

/** The shortest start of a hash taken as naming a commit (git's own default abbreviation). */
const MIN_HASH = 7;

/**
 * The commit a bookmark label names: a commit of the file whose hash starts with the label (7 to
 * 40 hex digits, any case), or whose hash the label starts with (a label such as "<sha> deploy").
 */
export function commitOfLabel(label: string | undefined, commits: readonly GitCommit[]): GitCommit | undefined {
  const word = label?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!word || word.length < MIN_HASH || !/^[0-9a-f]+$/.test(word)) return undefined;
  return commits.find((commit) => commit.sha.startsWith(word) || word.startsWith(commit.sha));
}

/** The versions, newest first, each with the commit its label names. */
export function matchVersionsToCommits<V extends Omit<HistoryVersion, 'commit'>>(
  versions: readonly V[],
  commits: readonly GitCommit[],
): Array<V & { commit?: GitCommit }> {
  return versions.map((version) => {
    const commit = commitOfLabel(version.label, commits);
    return commit ? { ...version, commit } : { ...version };
  });
}
