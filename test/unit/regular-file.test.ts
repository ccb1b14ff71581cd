import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NotReadable,
  openRegularFile,
  readOpenFile,
  readRegularFile,
  tooLargeMessage,
} from '../../src/local/regular-file.js';
import type { ReadRule } from '../../src/local/regular-file.js';

// The one reading rule (local/regular-file.ts), with and without the size an lstat made just before.
const RULE: ReadRule = { maxBytes: 64, kind: 'a test file', linkProblem: 'is a link' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dashsync-regular-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function readWith(path: string, lstatSize?: number): Buffer {
  const file = openRegularFile(path, RULE, lstatSize);
  try {
    return readOpenFile(file, RULE);
  } finally {
    closeSync(file.fd);
  }
}

describe('the reading rule', () => {
  it('reads a regular file whole, with or without a size already known', () => {
    const path = join(dir, 'a.yaml');
    writeFileSync(path, 'name: a\n');
    expect(readRegularFile(path, RULE).toString()).toBe('name: a\n');
    expect(readWith(path, 8).toString()).toBe('name: a\n');
  });

  it('reads what a file holds when it changed size after the lstat, and stops at the rule size', () => {
    const path = join(dir, 'a.yaml');
    writeFileSync(path, 'x'.repeat(40));
    expect(readWith(path, 3).length).toBe(40); // it grew
    expect(readWith(path, 60).length).toBe(40); // it shrank
    writeFileSync(path, 'x'.repeat(100));
    expect(() => readWith(path, 10)).toThrow(NotReadable);
    expect(() => readWith(path, 10)).toThrow(/more than the .* a test file may be/);
    // Just past a limit that megabytes would round to, the sizes are said in bytes.
    const big = { maxBytes: 1048576, kind: 'a big file' };
    expect(tooLargeMessage(1048600, big)).toBe(
      'file is 1048600 bytes, more than the 1 MB (1048576 bytes) a big file may be',
    );
    expect(tooLargeMessage(3 * 1048576, big)).toBe('file is 3.0 MB, more than the 1 MB a big file may be');
  });

  it('refuses a link by the open itself, whatever size the caller knew', () => {
    const target = join(dir, 'target.yaml');
    writeFileSync(target, 'name: t\n');
    const link = join(dir, 'link.yaml');
    symlinkSync(target, link);
    expect(() => readWith(link)).toThrow('is a link');
    expect(() => readWith(link, 8)).toThrow('is a link');
  });

  it.skipIf(process.platform === 'win32')('never waits on a named pipe, even one put where an lstat saw a file', () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(() => readWith(fifo)).toThrow(/not a regular file/);
    // A file swapped for a pipe between the lstat and the open: read at once, and empty (no writer).
    expect(readWith(fifo, 8).length).toBe(0);
  });
});

describe('bytes only hashed are read into one buffer', () => {
  it('gives each file its own hash: a short file after a long one, one larger than the buffer, a grown one', async () => {
    const { dashboardFileHash, readDashboardFileBytes } = await import('../../src/local/read-dashboard-file.js');
    const { byteHash } = await import('../../src/local/dashboard-file.js');
    const long = join(dir, 'long.yaml');
    const short = join(dir, 'short.yaml');
    const huge = join(dir, 'huge.yaml');
    writeFileSync(long, `name: long\ndefinition: {}\n# ${'x'.repeat(5000)}\n`);
    writeFileSync(short, 'name: s\ndefinition: {}\n');
    writeFileSync(huge, `name: huge\ndefinition: {}\n# ${'y'.repeat(300 * 1024)}\n`);
    for (const path of [long, short, huge, short, long]) {
      const read = dashboardFileHash(path);
      const bytes = readDashboardFileBytes(path);
      expect(read).toEqual({ hash: byteHash(bytes), size: bytes.length });
    }
    // A file that grew after the lstat that gave its size is still hashed whole.
    const grown = dashboardFileHash(long, { lstatSize: 10 });
    expect(grown.hash).toBe(byteHash(readDashboardFileBytes(long)));
  });
});
