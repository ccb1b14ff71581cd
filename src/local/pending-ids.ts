import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './fsutil.js';
import { STATE_DIR, stateFence } from './state.js';

/*
 * Ids that watch did not write into their files: a file git tracks, once written, would show as
 * changed and could block a `git checkout`. The id is kept here, in `.dashsync/pending-ids.json`
 * (ignored by git), by the file's path, and every command reads it as the file's id; the next
 * command that writes files (apply, pull) writes it into the file and forgets it.
 */

const FILE = 'pending-ids.json';

/** The ids kept for files, by path as commands show it (`dashboards/sales/revenue.yaml`). */
export class PendingIds {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly root: string,
    private readonly byPath: Map<string, string>,
  ) {}

  /** Loads the ids kept; none when the file is missing or damaged. */
  static async load(root: string): Promise<PendingIds> {
    const byPath = new Map<string, string>();
    try {
      const raw = JSON.parse(await readFile(join(root, STATE_DIR, FILE), 'utf8')) as { ids?: unknown };
      if (raw.ids && typeof raw.ids === 'object')
        for (const [path, id] of Object.entries(raw.ids)) if (typeof id === 'string' && id) byPath.set(path, id);
    } catch {
      // none kept, or damaged: those files are matched by name as any file without id
    }
    return new PendingIds(root, byPath);
  }

  /** The id kept for the file at `path`. */
  get(path: string): string | undefined {
    return this.byPath.get(path);
  }

  /** Every path with a kept id. */
  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** Keeps `id` for the file at `path` (written at once). */
  set(path: string, id: string): Promise<void> {
    if (this.byPath.get(path) === id) return this.chain;
    this.byPath.set(path, id);
    return this.save();
  }

  /** Forgets the id of the file at `path` (written into the file, or the file is gone). */
  forget(path: string): Promise<void> {
    if (!this.byPath.delete(path)) return this.chain;
    return this.save();
  }

  private save(): Promise<void> {
    const text = `${JSON.stringify({ version: 1, ids: Object.fromEntries(this.byPath) }, null, 2)}\n`;
    this.chain = this.chain.then(() =>
      writeFileAtomic(join(this.root, STATE_DIR, FILE), text, { fence: stateFence(this.root), durable: true }),
    );
    return this.chain;
  }
}
