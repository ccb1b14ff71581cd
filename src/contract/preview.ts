import type { Change } from '../core/changes/index.js';
import type { DashboardContent, Problem } from '../core/types.js';

/*
 * What `dashsync preview` shows, as data, and the renderer of its pages (the CLI gives report/'s;
 * commands never make text). Nothing here holds a token: the page and its API carry the files'
 * content and what it is compared with, never a credential.
 */

/**
 * How a file stands against what it is compared with: `new` (not in the workspace), `changed`,
 * `unchanged`; offline, `edited` or `synced` since the last sync (which keeps no content: no
 * changes can be told), or `unknown` (nothing to compare with: just the drawing); `pending` while
 * the workspace is being read.
 */
export type PreviewStatus = 'new' | 'changed' | 'unchanged' | 'edited' | 'synced' | 'unknown' | 'pending';

/** One dashboard or app file, as the preview shows it. */
export interface PreviewItem {
  /** The file, as shown to users (`dashboards/sales/revenue.yaml`). */
  path: string;
  /** Its project folder. */
  folder: string;
  /** Its name, as the file says (known before its content is read). */
  name?: string;
  /** What the file says (the last valid content, while it is invalid); absent for a file never valid. */
  content?: DashboardContent;
  /** What it is compared with: the workspace's content. */
  base?: DashboardContent;
  status: PreviewStatus;
  /** What a person would say changed, base to file. */
  changes: Change[];
  /** Why the file does not read now (shown in place, over its last valid drawing). */
  problems: Problem[];
  /** What the plan says is wrong with it (a name matched by several dashboards...). */
  message?: string;
  /** Counts every change of the item: the page refetches what moved. */
  version: number;
}

/** What the page says the files are compared with. */
export interface PreviewAgainst {
  /** `workspace`: its content, read once at start; `last sync`: the sync state's record; `nothing`. */
  what: 'workspace' | 'last sync' | 'nothing';
  /** `https://.../api/v1 (scope user)`, or why there is no workspace. */
  words: string;
}

/** Everything the page shows: what the files are compared with, and the files by project folder. */
export interface PreviewView {
  /** The server's count of changes published when the view was taken (a page newer changes missed catches up). */
  version?: number;
  against: PreviewAgainst;
  /** Project folders, sorted, each with its files sorted by path. */
  folders: Array<{ folder: string; items: PreviewItem[] }>;
}

/** The pages of the preview: made by report/, served by the preview's server. */
export interface PreviewPages {
  /** The whole page: the list of files, and a place for each drawing (loaded as it scrolls into view). */
  page(view: PreviewView): string;
  /** The list of files alone (after a change, the page replaces its own). */
  list(view: PreviewView): string;
  /** The places of the drawings alone (after a file comes or goes). */
  places(view: PreviewView): string;
  /** One file: its state, its changes in words, its problems and its drawing. */
  item(item: PreviewItem): string;
  /** The page's script, served from the preview's own address. */
  readonly script: string;
}
