import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash } from '../core/canonical.js';
import type { DashboardContent, JsonObject } from '../core/types.js';
import { appendingFile, enterFence, removeFile } from './fsutil.js';
import { MAX_STATE_BYTES, readRegularFile } from './regular-file.js';
import type { ReadRule } from './regular-file.js';
import type { Appender, Fence } from './fsutil.js';

/*
 * The content both sides held at the last sync, beside the sync state that records its hash
 * (state.ts owns both; this is its store of contents): `.dashsync/base/`, one pack file per run that
 * kept new contents, a line `<hash> <json>` per content, written as they are kept. The sync state
 * keeps only hashes, so that a plan of 10,000 unchanged dashboards reads none of this; the packs
 * are read only when a dashboard changed on both sides since, for the three-way comparison. A
 * content whose line is missing or damaged (a crash tore it, or it no longer has its hash) is no
 * base: that dashboard is compared as without one, as before. One file per run, not per content:
 * creating a thousand small files was most of a cold plan's system time, and a CI cache restores
 * one file faster than thousands.
 */

/** Folder of the base contents, inside the state folder. */
const BASE_DIR = 'base';

/** A pack's name: random, so that two runs never write the same one. */
const PACK = /^[0-9a-f]{16}\.pack$/;
/** A content's file in the store's first form (one file per content), still read. */
const SINGLE = /^([0-9a-f]{16,64})\.json$/;
const HASH = /^[0-9a-f]{16,64}$/;

/** Past this many packs, the older ones are merged into one holding only what the state refers to. */
const MAX_PACKS = 8;
/** Packs younger than this are left alone by a merge: another run may be about to refer to them. */
const FRESH_MS = 60 * 1000;

/** How a pack is read: a regular file of the folder itself (never through a link, never a pipe), its size capped. */
const PACK_RULE: ReadRule = {
  maxBytes: MAX_STATE_BYTES,
  kind: 'a pack of base contents',
  linkProblem: 'a symbolic link: dashsync reads no base content through a link',
};

const newPackName = (): string => `${randomBytes(8).toString('hex')}.pack`;

/** The store of base contents of one folder's sync state. */
export class BaseStore {
  // This run's pack, opened at the first content kept; undefined once it could not be.
  private pack: Appender | undefined | false;
  // Whether the store's folder was looked at (whether it holds anything).
  private checked = false;
  // Every stored content's JSON texts by hash (each copy found, in the order read), read on the first load().
  private lines: Map<string, string[]> | undefined;

  /** `stored`: hashes the sync state referred to when read (their contents are stored already). */
  constructor(
    private readonly stateDir: string,
    private readonly fence: Fence,
    private readonly stored: Set<string> = new Set(),
  ) {}

  private get dir(): string {
    return join(this.stateDir, BASE_DIR);
  }

  /**
   * Keeps a content both sides were seen holding (best effort: a base that cannot be written only
   * means a later conflict on it is told as without one).
   */
  keep(content: DashboardContent, hashed: string | { hash: string; json: string } = contentHash(content)): void {
    const hash = typeof hashed === 'string' ? hashed : hashed.hash;
    if (!HASH.test(hash)) return;
    // What the state referred to is stored already, unless the store is gone (deleted, or a state
    // older than the store): then everything kept is written.
    if (!this.checked) {
      this.checked = true;
      if (!this.names().some((name) => PACK.test(name) || SINGLE.test(name))) this.stored.clear();
    }
    if (this.stored.has(hash)) return;
    const pack = this.openPack();
    if (!pack) return;
    this.stored.add(hash);
    // The canonical JSON hashed, where the caller has it; else the content as it is.
    const json =
      typeof hashed === 'string' ? JSON.stringify({ name: content.name, definition: content.definition }) : hashed.json;
    this.lines?.set(hash, [json, ...(this.lines.get(hash) ?? [])]);
    try {
      pack.append(`${hash} ${json}\n`);
    } catch {
      this.pack = false;
    }
  }

  // This run's pack, made at the first content it keeps.
  private openPack(): Appender | false {
    if (this.pack === undefined) {
      try {
        this.pack = appendingFile(this.dir, newPackName(), this.fence);
      } catch {
        this.pack = false;
      }
    }
    return this.pack;
  }

  /** The content stored under `hash`, if a copy of it is there whole. */
  async load(hash: string): Promise<DashboardContent | undefined> {
    if (!HASH.test(hash)) return undefined;
    this.lines ??= this.readAll();
    return wholeCopy(hash, this.lines.get(hash));
  }

  // The names in the store's folder (none when it is missing).
  private names(): string[] {
    try {
      return readdirSync(this.dir);
    } catch {
      return [];
    }
  }

  // Every content in the store, by hash (each copy: a damaged one never hides a whole one): the
  // packs' lines, and the single files of the first form. A store that is a link, or a pack that
  // is not a regular file of its own, is read as empty: no base is taken from outside the repository.
  private readAll(names = this.names()): Map<string, string[]> {
    if (this.pack) this.pack.flush();
    const lines = new Map<string, string[]>();
    const add = (hash: string, json: string): void => {
      const copies = lines.get(hash);
      if (copies) copies.push(json);
      else lines.set(hash, [json]);
    };
    try {
      if (!enterFence(this.dir, this.fence, { create: false })) return lines;
    } catch {
      return lines;
    }
    for (const name of names) {
      const single = SINGLE.exec(name);
      if (!single && !PACK.test(name)) continue;
      let text: string;
      try {
        text = readRegularFile(join(this.dir, name), PACK_RULE).toString('utf8');
      } catch {
        continue;
      }
      if (single) add(single[1]!, text);
      else
        for (const line of text.split('\n')) {
          const space = line.indexOf(' ');
          if (space > 0) add(line.slice(0, space), line.slice(space + 1));
        }
    }
    return lines;
  }

  /** Finishes this run's pack: what was kept is on disk. The next content kept starts another. */
  async flush(): Promise<void> {
    if (!this.pack) return;
    try {
      this.pack.close();
    } catch {
      // best effort, as above
    }
    this.pack = undefined;
  }

  /**
   * Past MAX_PACKS packs (or any file of the first form), merges the store's older files into one
   * pack holding only the contents `referenced` (by the sync state just written). Fresh packs are
   * left for another run that may be about to refer to them.
   */
  async prune(referenced: ReadonlySet<string>): Promise<void> {
    const names = this.names();
    const packs = names.filter((name) => PACK.test(name));
    if (packs.length <= MAX_PACKS && !names.some((name) => SINGLE.test(name))) return;
    const now = Date.now();
    const old: string[] = [];
    for (const name of names) {
      if (!PACK.test(name) && !SINGLE.test(name)) continue;
      const info = await stat(join(this.dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > FRESH_MS) old.push(name);
    }
    if (old.length < 2 && !old.some((name) => SINGLE.test(name))) return;
    // Only whole copies are carried over: a damaged line is dropped, never kept in place of a good one.
    const kept: string[] = [];
    for (const [hash, copies] of this.readAll(old)) {
      if (!referenced.has(hash)) continue;
      const content = wholeCopy(hash, copies);
      if (content) kept.push(`${hash} ${JSON.stringify({ name: content.name, definition: content.definition })}\n`);
    }
    // The merged pack is written whole before the old files go: a failure loses nothing.
    if (kept.length) {
      try {
        const merged = appendingFile(this.dir, newPackName(), this.fence);
        for (const line of kept) merged.append(line);
        merged.close();
      } catch {
        return;
      }
    }
    for (const name of old) await removeFile(join(this.dir, name), this.fence).catch(() => undefined);
    this.lines = undefined;
  }
}

// The first copy that is a whole content with this hash (a torn or altered one is passed over).
function wholeCopy(hash: string, copies: readonly string[] | undefined): DashboardContent | undefined {
  for (const text of copies ?? []) {
    try {
      const parsed = JSON.parse(text) as { name?: unknown; definition?: unknown };
      if (typeof parsed.name !== 'string' || parsed.definition === null || typeof parsed.definition !== 'object')
        continue;
      const content = { name: parsed.name, definition: parsed.definition as JsonObject };
      if (contentHash(content) === hash) return content;
    } catch {
      // the next copy
    }
  }
  return undefined;
}
