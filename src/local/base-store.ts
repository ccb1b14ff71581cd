import { readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, contentHash } from '../core/canonical.js';
import type { DashboardContent, JsonObject } from '../core/types.js';
import { writeContentFile } from './fsutil.js';
import type { Fence } from './fsutil.js';

/*
 * The content both sides held at the last sync, beside the sync state that records its hash
 * (state.ts owns both; this is its store of contents): `.dashsync/base/<hash>.json`, one file per
 * distinct content, written once. The sync state keeps only hashes, so that a plan of 10,000
 * unchanged dashboards reads none of this; a content is read back only for a dashboard changed on
 * both sides since, for the three-way comparison. A file that is missing or damaged (its content
 * no longer has its hash) is no base: that dashboard is compared as without one, as before.
 */

/** Folder of the base contents, inside the state folder. */
const BASE_DIR = 'base';

/** Contents no record refers to any more are removed once they are this old (another run may be writing them). */
const UNREFERENCED_GRACE_MS = 60 * 60 * 1000;

/** The store of base contents of one folder's sync state. */
export class BaseStore {
  private present: Set<string> | undefined;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly stateDir: string,
    private readonly fence: Fence,
  ) {}

  private get dir(): string {
    return join(this.stateDir, BASE_DIR);
  }

  // The hashes already stored, listed once per run.
  private async stored(): Promise<Set<string>> {
    if (!this.present) {
      const names = await readdir(this.dir).catch(() => [] as string[]);
      this.present = new Set(names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)));
    }
    return this.present;
  }

  /**
   * Keeps a content both sides were seen holding (best effort: a base that cannot be written only
   * means a later conflict on it is told as without one). Written in the background; flush() waits.
   */
  keep(content: DashboardContent, hash = contentHash(content)): void {
    const text = canonicalJson({ name: content.name, definition: content.definition });
    const write = (async () => {
      const present = await this.stored();
      if (present.has(hash)) return;
      present.add(hash);
      await writeContentFile(join(this.dir, `${hash}.json`), text, this.fence);
    })().catch(() => undefined);
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
  }

  /** The content stored under `hash`, if it is there whole. */
  async load(hash: string): Promise<DashboardContent | undefined> {
    if (!/^[0-9a-f]{16,64}$/.test(hash)) return undefined;
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, `${hash}.json`), 'utf8')) as {
        name?: unknown;
        definition?: unknown;
      };
      if (typeof parsed.name !== 'string' || parsed.definition === null || typeof parsed.definition !== 'object')
        return undefined;
      const content = { name: parsed.name, definition: parsed.definition as JsonObject };
      return contentHash(content) === hash ? content : undefined;
    } catch {
      return undefined;
    }
  }

  /** Waits for the writes under way. */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing]);
  }

  /** Removes the contents no record refers to (older than an hour, so another run's fresh ones stay). */
  async prune(referenced: ReadonlySet<string>): Promise<void> {
    const now = Date.now();
    for (const hash of await this.stored()) {
      if (referenced.has(hash)) continue;
      const path = join(this.dir, `${hash}.json`);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs > UNREFERENCED_GRACE_MS) {
        await unlink(path).catch(() => undefined);
        this.present?.delete(hash);
      }
    }
  }
}
