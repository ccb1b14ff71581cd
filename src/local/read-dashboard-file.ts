import { closeSync, lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { contentHash } from '../core/canonical.js';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import type { Variables } from '../core/variables.js';
import { definedOnly } from '../util/defined.js';
import { byteHash, MAX_FILE_BYTES, readDashboardBytes } from './dashboard-file.js';
import { NotReadable, openRegularFile, readOpenFile } from './regular-file.js';
import type { OpenFile } from './regular-file.js';
import type { ReadRule } from './regular-file.js';
import { LINK_PROBLEM } from './dashboard-paths.js';
import { PLAIN_READING } from './file-reading.js';
import type { FileReading } from './file-reading.js';

// A dashboard file: not a link, at most MAX_FILE_BYTES (local/regular-file.ts, the rule of every file read).
const DASHBOARD_FILE: ReadRule = { maxBytes: MAX_FILE_BYTES, kind: 'a dashboard file', linkProblem: LINK_PROBLEM };

/**
 * What a reader of many files already knows of the one it opens, to spare the system calls that
 * would find it again: the folders this pass found not to be links, and the file's size when an
 * lstat just made found a regular file (see openRegularFile).
 */
export interface KnownFile {
  plainFolders?: Set<string>;
  lstatSize?: number | undefined;
}

/**
 * Opens a dashboard file to read it: a regular file, never through a symbolic link (neither the
 * file nor its project folder may be one, see LINK_PROBLEM), never a pipe or a device, which could
 * hang the run. The caller closes the descriptor.
 */
export function openDashboardFile(abs: string, known: KnownFile = {}): OpenFile {
  const folder = dirname(abs);
  if (!known.plainFolders?.has(folder)) {
    if (lstatSync(folder).isSymbolicLink()) throw new NotReadable(LINK_PROBLEM);
    known.plainFolders?.add(folder);
  }
  return openRegularFile(abs, DASHBOARD_FILE, known.lstatSize);
}

// The buffer that bytes only hashed are read into (dashboardFileHash): a plan of 1,000 files the
// cache knows, in a fresh checkout, read 6 MB it let go at once, which sat outside V8's heap until
// the next collection and raised the run's peak memory by as much.
let scratch: Buffer | undefined;
const SCRATCH_BYTES = 256 * 1024;

/** The byteHash of a dashboard file, read as openDashboardFile opens it, its bytes not kept. */
export function dashboardFileHash(abs: string, known?: KnownFile): { hash: string; size: number } {
  const file = openDashboardFile(abs, known);
  try {
    scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
    const bytes = readOpenFile(file, DASHBOARD_FILE, scratch);
    return { hash: byteHash(bytes), size: bytes.length };
  } finally {
    closeSync(file.fd);
  }
}

/** A dashboard file's bytes, read as openDashboardFile opens it. */
export function readDashboardFileBytes(abs: string, known?: KnownFile): Buffer {
  const file = openDashboardFile(abs, known);
  try {
    return readOpenFile(file, DASHBOARD_FILE);
  } finally {
    closeSync(file.fd);
  }
}

/**
 * Reads and validates one dashboard file of a project folder, as its API flavour reads it
 * (`reading`); its problems when it is not valid.
 */
export async function readDashboardFile(
  abs: string,
  path: string,
  folder: ProjectFolder,
  variables?: Variables,
  reading?: FileReading,
): Promise<LocalFile | Problem[]> {
  return readDashboardFileSync(abs, path, folder, variables, reading);
}

/** Reads and validates one file, synchronously (see readFiles for why synchronously). */
export function readDashboardFileSync(
  abs: string,
  path: string,
  folder: ProjectFolder,
  variables?: Variables,
  reading: FileReading = PLAIN_READING,
  known?: KnownFile,
): LocalFile | Problem[] {
  let bytes: Buffer;
  try {
    // Never read a huge file into memory just to refuse it.
    bytes = readDashboardFileBytes(abs, known);
  } catch (e) {
    if (e instanceof NotReadable) return [{ path, line: 1, col: 1, message: e.message }];
    return [{ path, line: 1, col: 1, message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }];
  }
  const read = readDashboardBytes(bytes, path, variables, reading);
  if (!read.ok) return read.problems;
  // The flavour's errors (an invalid app) stop plan, apply and watch before any request, like any invalid file.
  const made = reading.content({ path, bytes, folder, content: read.content, keys: read.keys });
  if (Array.isArray(made)) return made;
  return {
    contentHash: contentHash(made.content),
    path,
    folder: folder.folder,
    projectId: folder.projectId,
    byteHash: read.byteHash,
    idPos: read.idPos,
    ...definedOnly({ template: read.template }),
    ...made.content,
    ...definedOnly({ fileId: made.content.id, deploy: made.deploy }),
  };
}
