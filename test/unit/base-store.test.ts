import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../src/core/canonical.js';
import { loadState, recordSynced, saveState, syncedIn } from '../../src/local/state.js';
import type { DashboardContent } from '../../src/core/types.js';

// The store of base contents behind the sync state (src/local/base-store.ts), on a real folder.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dashsync-bases-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const content = (i: number): DashboardContent => ({
  name: `Dashboard ${i}`,
  definition: { widgets: [{ type: 'table', query: `SELECT ${i}` }], b: 1, a: { z: i, y: 'x' } },
});
const baseDir = (): string => join(root, '.dashsync', 'base');
const files = (): string[] => readdirSync(baseDir()).sort();

// One run: the state then refers to contents from..to-1 alone, which it keeps.
async function run(from: number, to: number): Promise<void> {
  const state = await loadState(root);
  state.workspaces = {};
  const entries = syncedIn(state, 'http://x#user');
  for (let i = from; i < to; i++) {
    recordSynced(entries, `id-${i}`, { hash: contentHash(content(i)) });
    state.bases!.keep(content(i));
  }
  await saveState(root, state);
}

describe('base contents', () => {
  it('a run that keeps a thousand contents writes one pack, and each is read back whole', async () => {
    await run(0, 1000);
    expect(files()).toHaveLength(1);
    expect(files()[0]).toMatch(/^[0-9a-f]{16}\.pack$/);
    const state = await loadState(root);
    for (const i of [0, 499, 999]) expect(await state.bases!.load(contentHash(content(i)))).toEqual(content(i));
    expect(await state.bases!.load(contentHash(content(1000)))).toBeUndefined();
  });

  it('what the state already refers to is not written again; a store that is gone is written afresh', async () => {
    await run(0, 10);
    await run(0, 10);
    expect(files()).toHaveLength(1);
    await run(0, 12);
    expect(files()).toHaveLength(2);
    rmSync(baseDir(), { recursive: true });
    await run(0, 12);
    expect(files()).toHaveLength(1);
    expect(readFileSync(join(baseDir(), files()[0]!), 'utf8').trim().split('\n')).toHaveLength(12);
  });

  it('a damaged line, or one whose content is not its hash, is no base', async () => {
    await run(0, 3);
    const pack = join(baseDir(), files()[0]!);
    const lines = readFileSync(pack, 'utf8').split('\n');
    lines[0] = lines[0]!.slice(0, 60); // torn
    lines[1] = lines[1]!.replace('SELECT 1', 'SELECT 9'); // changed
    writeFileSync(pack, lines.join('\n'));
    const state = await loadState(root);
    expect(await state.bases!.load(contentHash(content(0)))).toBeUndefined();
    expect(await state.bases!.load(contentHash(content(1)))).toBeUndefined();
    expect(await state.bases!.load(contentHash(content(2)))).toEqual(content(2));
  });

  it('past eight packs the older ones are merged into one holding only what the state refers to', async () => {
    for (let k = 0; k < 9; k++) await run(k * 2, k * 2 + 2);
    expect(files()).toHaveLength(9);
    // Older than a minute: a merge may take them. The last state refers to 16..17 only.
    const old = new Date(Date.now() - 5 * 60 * 1000);
    for (const name of files()) utimesSync(join(baseDir(), name), old, old);
    await run(16, 18);
    expect(files()).toHaveLength(1);
    const state = await loadState(root);
    expect(await state.bases!.load(contentHash(content(16)))).toEqual(content(16));
    expect(await state.bases!.load(contentHash(content(3)))).toBeUndefined();
  });

  it('a base stored by an earlier version, one file per content, is still read, then merged', async () => {
    await run(0, 1);
    rmSync(baseDir(), { recursive: true });
    mkdirSync(baseDir());
    const hash = contentHash(content(0));
    writeFileSync(join(baseDir(), `${hash}.json`), canonicalJson(content(0) as never));
    expect(await (await loadState(root)).bases!.load(hash)).toEqual(content(0));
    const old = new Date(Date.now() - 5 * 60 * 1000);
    utimesSync(join(baseDir(), `${hash}.json`), old, old);
    await run(0, 1);
    expect(files()).toEqual([expect.stringMatching(/\.pack$/)]);
    expect(await (await loadState(root)).bases!.load(hash)).toEqual(content(0));
  });

  it('a damaged copy never hides a whole one, whichever pack is read first, and a merge keeps the whole one', async () => {
    await run(0, 3);
    const hash = contentHash(content(1));
    const whole = readFileSync(join(baseDir(), files()[0]!), 'utf8')
      .split('\n')
      .find((line) => line.startsWith(`${hash} `))!;
    for (const name of ['0000000000000000.pack', 'ffffffffffffffff.pack'])
      writeFileSync(join(baseDir(), name), whole.slice(0, 60));
    expect(await (await loadState(root)).bases!.load(hash)).toEqual(content(1));
    for (let k = 1; k < 8; k++) writeFileSync(join(baseDir(), `00000000000000${k}a.pack`), '');
    const old = new Date(Date.now() - 5 * 60 * 1000);
    for (const name of files()) utimesSync(join(baseDir(), name), old, old);
    await run(0, 3);
    expect(files()).toHaveLength(1);
    expect(await (await loadState(root)).bases!.load(hash)).toEqual(content(1));
  });

  it('reads no pack that is a link or not a file (a pipe would hang the run), and nothing through a linked store', async () => {
    await run(0, 2);
    const hash = contentHash(content(0));
    const elsewhere = mkdtempSync(join(tmpdir(), 'dashsync-elsewhere-'));
    try {
      writeFileSync(join(elsewhere, 'x'), readFileSync(join(baseDir(), files()[0]!)));
      execFileSync('mkfifo', [join(baseDir(), '00000000000000ff.pack')]);
      symlinkSync('/dev/zero', join(baseDir(), '00000000000000ee.pack'));
      expect(await (await loadState(root)).bases!.load(hash)).toEqual(content(0));
      // The store itself a link to a folder outside: nothing is read from there, nothing written.
      rmSync(baseDir(), { recursive: true });
      writeFileSync(join(elsewhere, 'aaaaaaaaaaaaaaaa.pack'), readFileSync(join(elsewhere, 'x')));
      symlinkSync(elsewhere, baseDir());
      const state = await loadState(root);
      expect(await state.bases!.load(hash)).toBeUndefined();
      state.bases!.keep(content(5));
      await saveState(root, state);
      expect(readdirSync(elsewhere).sort()).toEqual(['aaaaaaaaaaaaaaaa.pack', 'x']);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
