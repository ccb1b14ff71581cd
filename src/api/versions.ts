/*
 * An app's versions as the Apps API serves them: every save appends a numbered checkpoint with its
 * author; restore makes an old one the newest; a bookmark keeps one for good; publishing freezes one
 * for viewers until the next publish or an unpublish.
 */

/** Unbookmarked, unpublished checkpoints kept per app (older ones are pruned), as documented. */
export const KEPT_CHECKPOINTS = 50;

/** One version in the versions list (newest first): no definition. */
export interface VersionRow {
  version_id: string;
  /** 1 for an app's first save, one more for each save or restore after it. */
  version: number;
  created_at: string;
  /** The user whose token saved (or restored) it. */
  author: string;
  /** The app's name in that version. */
  name: string;
  bookmarked: boolean;
  label?: string;
  /** True for the version viewers of the published app see. */
  published: boolean;
  /** For a restore: the number of the version it brought back. */
  restored_from?: number;
}

/** The body of a bookmark call. */
export interface BookmarkRequest {
  bookmarked: boolean;
  label?: string;
}

/** The `data` of a publish: the version now published. */
export interface PublishAnswer {
  id: string;
  version_id: string;
  version: number;
}

/**
 * What viewers see compared with the draft (the newest version): nothing (never published, or
 * unpublished), the draft itself, or an older version (the draft is ahead).
 */
export type PublishState =
  | { state: 'unpublished' }
  | { state: 'published'; version: number }
  | { state: 'draft-ahead'; published: number; draft: number };

/** The publish state an app's versions list shows. */
export function publishStateOf(rows: readonly VersionRow[]): PublishState {
  const published = rows.find((row) => row.published);
  if (!published) return { state: 'unpublished' };
  const draft = Math.max(...rows.map((row) => row.version));
  return draft > published.version
    ? { state: 'draft-ahead', published: published.version, draft }
    : { state: 'published', version: published.version };
}
