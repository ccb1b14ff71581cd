import { contentChanges, definitionChanges } from '../core/changes/index.js';
import { contentHash } from '../core/canonical.js';
import { compareText } from '../core/compare.js';
import type { DashboardContent, LocalFile, Plan, Problem, SyncBase } from '../core/types.js';
import type { PreviewAgainst, PreviewItem, PreviewStatus, PreviewView } from '../contract/preview.js';

/*
 * What the preview knows of each file: what it says (its last valid content), what it is compared
 * with, and the changes between the two. A file read again is compared with the same base: the
 * workspace as it was read at start (a file then equal to it stands for it), or the last sync.
 */

/** What a file is compared with: the workspace's content, or `new` (the workspace lacks it). */
type Base = { content: DashboardContent } | 'new';

const contentOf = (file: LocalFile): DashboardContent | undefined =>
  file.definition ? { name: file.name, definition: file.definition } : undefined;

/** The files of a preview and what each is compared with. */
export class PreviewItems {
  private readonly items = new Map<string, PreviewItem>();
  private readonly ids = new Map<string, string>();
  private readonly hashes = new Map<string, string>();
  private readonly bases = new Map<string, Base>();
  private synced: Record<string, SyncBase> | undefined;
  private mode: PreviewAgainst['what'] | 'pending' = 'pending';

  constructor(public against: PreviewAgainst) {}

  /** The files as listed, before they are read (see unread). */
  list(files: ReadonlyArray<{ path: string; folder: { folder: string } }>): void {
    for (const file of files)
      if (!this.items.has(file.path))
        this.items.set(file.path, {
          path: file.path,
          folder: file.folder.folder,
          status: 'pending',
          changes: [],
          problems: [],
          version: 0,
        });
  }

  /**
   * The files as the folder's read found them, and the problems of the others. A file already read
   * since it was listed (asked for, or saved meanwhile) is as that read found it.
   */
  load(files: LocalFile[], problems: Problem[]): void {
    const fresh = (path: string): boolean => !this.items.has(path) || this.unread(path);
    for (const file of files) if (fresh(file.path)) this.read(file.path, file);
    for (const [path, list] of groupByPath(problems)) {
      const item = this.items.get(path);
      // A problem between files (a shared id) goes beside the file's content.
      if (fresh(path) || (item && item.problems.length === 0)) this.read(path, [...(item?.problems ?? []), ...list]);
    }
  }

  /**
   * Compares with the workspace, as a plan of the files found it: an update holds the workspace's
   * content, a create says it has none; a file equal to it (or linked) stands for it as now read.
   */
  compareWithWorkspace(plan: Plan, against: PreviewAgainst): void {
    this.mode = 'workspace';
    this.against = against;
    const planned = new Map(plan.actions.flatMap((action) => ('path' in action ? [[action.path, action]] : [])));
    for (const item of this.items.values()) {
      const action = planned.get(item.path);
      if (action?.kind === 'update') this.bases.set(item.path, { content: action.remote });
      else if (action?.kind === 'create') this.bases.set(item.path, 'new');
      else if (item.content) this.bases.set(item.path, { content: item.content });
      if (action?.kind === 'error') item.message = action.message;
    }
    this.refreshAll();
  }

  /** True when the file is known by its name only: its content is still to be read. */
  unread(path: string): boolean {
    const item = this.items.get(path);
    return item !== undefined && !item.content && item.problems.length === 0;
  }

  /** Compares with the last sync's record: whether each file changed since, not what (it keeps no content). */
  compareWithLastSync(synced: Record<string, SyncBase> | undefined, against: PreviewAgainst): void {
    this.mode = synced ? 'last sync' : 'nothing';
    this.synced = synced;
    this.against = against;
    this.refreshAll();
  }

  /** A file read again: its content, its problems, or `gone`. Returns the item, or undefined when it went. */
  read(path: string, read: LocalFile | Problem[] | 'gone', folder?: string): PreviewItem | undefined {
    const previous = this.items.get(path);
    if (read === 'gone') {
      this.items.delete(path);
      this.ids.delete(path);
      this.hashes.delete(path);
      return undefined;
    }
    const item: PreviewItem = previous ?? {
      path,
      folder: folder ?? path.split('/').at(-2) ?? '',
      status: 'pending',
      changes: [],
      problems: [],
      version: 0,
    };
    if (Array.isArray(read)) item.problems = read;
    else {
      item.problems = [];
      item.folder = read.folder;
      item.name = read.name;
      const content = contentOf(read);
      if (content) item.content = content;
      if (read.fileId !== undefined) this.ids.set(path, read.fileId);
      else this.ids.delete(path);
      this.hashes.set(path, read.contentHash);
    }
    item.version++;
    this.items.set(path, item);
    this.refresh(item);
    return item;
  }

  /** One file, by path. */
  get(path: string): PreviewItem | undefined {
    return this.items.get(path);
  }

  /** How many files, and how many of them are invalid. */
  counts(): { files: number; invalid: number } {
    const all = [...this.items.values()];
    return { files: all.length, invalid: all.filter((item) => item.problems.length > 0).length };
  }

  /** The page's view: the files by project folder, sorted. */
  view(): PreviewView {
    const folders = new Map<string, PreviewItem[]>();
    for (const item of this.items.values()) folders.set(item.folder, [...(folders.get(item.folder) ?? []), item]);
    return {
      against: this.against,
      folders: [...folders]
        .sort(([left], [right]) => compareText(left, right))
        .map(([folder, items]) => ({ folder, items: items.sort((l, r) => compareText(l.path, r.path)) })),
    };
  }

  private refreshAll(): void {
    for (const item of this.items.values()) {
      item.version++;
      this.refresh(item);
    }
  }

  // The item's status and changes, from its content and its base.
  private refresh(item: PreviewItem): void {
    const content = item.content;
    const base = this.bases.get(item.path);
    let status: PreviewStatus = this.mode === 'pending' ? 'pending' : 'unknown';
    delete item.base;
    item.changes = [];
    if (!content) return void (item.status = status);
    if (this.mode === 'workspace' && base === 'new') {
      status = 'new';
      item.changes = definitionChanges(undefined, content.definition);
    } else if (this.mode === 'workspace' && base !== undefined && base !== 'new') {
      item.base = base.content;
      item.changes = contentChanges(base.content, content);
      status = contentHash(base.content) === contentHash(content) ? 'unchanged' : 'changed';
    } else if (this.mode === 'last sync') {
      const id = this.ids.get(item.path);
      const record = id !== undefined ? this.synced?.[id] : undefined;
      if (id === undefined) status = 'new';
      else if (record) status = record.hash === this.hashes.get(item.path) ? 'synced' : 'edited';
    }
    item.status = status;
  }
}

function groupByPath(problems: Problem[]): Map<string, Problem[]> {
  const byPath = new Map<string, Problem[]>();
  for (const problem of problems) byPath.set(problem.path, [...(byPath.get(problem.path) ?? []), problem]);
  return byPath;
}
