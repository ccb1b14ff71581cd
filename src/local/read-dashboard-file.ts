import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { contentHash } from '../core/canonical.js';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import type { Variables } from '../core/variables.js';
import { definedOnly } from '../util/defined.js';
import { MAX_FILE_BYTES, readDashboardBytes, tooLargeMessage } from './dashboard-file.js';
import { LINK_PROBLEM } from './dashboard-paths.js';
import { PLAIN_READING } from './file-reading.js';
import type { FileReading } from './file-reading.js';

// Where the system has them, O_NOFOLLOW makes the open itself refuse a link (no gap between check
// and open), and O_NONBLOCK keeps a named pipe from holding the open until someone writes to it.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NO_WAIT = constants.O_NONBLOCK ?? 0;

/** Thrown by openDashboardFile for what it will not read, with the problem to report. */
class Refused extends Error {}

/**
 * Opens a dashboard file to read it: a regular file, never through a symbolic link (neither the
 * file nor its project folder may be one, see LINK_PROBLEM), never a pipe or a device, which could
 * hang the run. The caller closes the descriptor.
 */
export function openDashboardFile(abs: string): number {
  if (lstatSync(dirname(abs)).isSymbolicLink() || (!NO_FOLLOW && lstatSync(abs).isSymbolicLink()))
    throw new Refused(LINK_PROBLEM);
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | NO_FOLLOW | NO_WAIT);
  } catch (e) {
    // Linux and macOS say ELOOP for a link opened with O_NOFOLLOW, the BSDs EMLINK.
    const code = (e as NodeJS.ErrnoException).code;
    if (NO_FOLLOW && (code === 'ELOOP' || code === 'EMLINK')) throw new Refused(LINK_PROBLEM);
    throw e;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Refused('not a regular file (a pipe, a socket or a device): dashsync reads only files');
  }
  return fd;
}

/** A dashboard file's bytes, read as openDashboardFile opens it. */
export function readDashboardFileBytes(abs: string): Buffer {
  const fd = openDashboardFile(abs);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
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
): LocalFile | Problem[] {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openDashboardFile(abs);
    // Never read a huge file into memory just to refuse it.
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return [{ path, line: 1, col: 1, message: tooLargeMessage(size) }];
    bytes = readFileSync(fd);
  } catch (e) {
    if (e instanceof Refused) return [{ path, line: 1, col: 1, message: e.message }];
    return [{ path, line: 1, col: 1, message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }];
  } finally {
    if (fd !== undefined) closeSync(fd);
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
