import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/*
 * The one rule for reading any file dashsync reads (dashboard files, dashsync.yaml,
 * dashsync.ids.yaml, the files of .dashsync, a saved plan): a regular file, opened without waiting
 * (a named pipe cannot hold the open), never a pipe, socket or device (`/dev/zero` would fill the
 * memory, a FIFO hold the run forever), and never more than a size fixed for its kind, checked
 * before reading and while reading. Any of these may be committed in a pull request.
 */

// Where the system has them, O_NOFOLLOW makes the open itself refuse a link (no gap between check
// and open), and O_NONBLOCK keeps a named pipe from holding the open until someone writes to it.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NO_WAIT = constants.O_NONBLOCK ?? 0;

const MEGABYTE = 1048576;

/** What dashsync will not read, with the problem to report (the caller adds the file's name). */
export class NotReadable extends Error {}

/** What a read is allowed: the largest size, and, for files that may not be links, the problem a link is. */
export interface ReadRule {
  maxBytes: number;
  /** What the file is, for the message of a file too large ("a dashboard file"). */
  kind: string;
  /** When set, a symbolic link is refused with this problem; otherwise it is followed. */
  linkProblem?: string;
}

/** The problem of a file over a rule's size, with its size. */
export function tooLargeMessage(size: number, rule: Pick<ReadRule, 'maxBytes' | 'kind'>): string {
  const limit = rule.maxBytes / MEGABYTE;
  const shown = (size / MEGABYTE).toFixed(1);
  // Just past the limit, megabytes rounded would read as the limit itself: bytes then.
  if (Number(shown) <= limit)
    return `file is ${size} bytes, more than the ${limit} MB (${rule.maxBytes} bytes) ${rule.kind} may be`;
  return `file is ${shown} MB, more than the ${limit} MB ${rule.kind} may be`;
}

/** A file opened to be read: its descriptor, and its size when opened. */
export interface OpenFile {
  fd: number;
  size: number;
}

/**
 * Opens a file to read as `rule` says: a regular file (links refused when the rule says so). The
 * caller closes the descriptor. Throws NotReadable for what the rule refuses, the system's error
 * otherwise (ENOENT...). `lstatSize`: the size an lstat of the path made just before found, of a
 * regular file; the open then does not stat it again (the open itself still refuses a link and never
 * waits, and readOpenFile still stops at the rule's size, whatever the path has become meanwhile).
 */
export function openRegularFile(abs: string, rule: Pick<ReadRule, 'linkProblem'>, lstatSize?: number): OpenFile {
  const noFollow = rule.linkProblem !== undefined ? NO_FOLLOW : 0;
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | noFollow | NO_WAIT);
  } catch (e) {
    // Linux and macOS say ELOOP for a link opened with O_NOFOLLOW, the BSDs EMLINK.
    const code = (e as NodeJS.ErrnoException).code;
    if (noFollow && (code === 'ELOOP' || code === 'EMLINK')) throw new NotReadable(rule.linkProblem);
    throw e;
  }
  if (lstatSize !== undefined) return { fd, size: lstatSize };
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new NotReadable(
      stat.isDirectory()
        ? 'a folder, not a file'
        : 'not a regular file (a pipe, a socket or a device): dashsync reads only files',
    );
  }
  return { fd, size: stat.size };
}

/**
 * The bytes of an open file, refused (NotReadable) past the rule's size: a file that grows while
 * read stops too. `scratch`: a buffer to read into when it is large enough, for bytes the caller
 * lets go before its next read (the result may then be a view of it).
 */
export function readOpenFile(
  { fd, size }: OpenFile,
  rule: Pick<ReadRule, 'maxBytes' | 'kind'>,
  scratch?: Buffer,
): Buffer {
  if (size > rule.maxBytes) throw new NotReadable(tooLargeMessage(size, rule));
  // The size said, and one byte more to see the end at once; then in steps, for a file that grew.
  const want = Math.min(size + 1, rule.maxBytes + 1);
  const first = scratch !== undefined && scratch.length >= want ? scratch.subarray(0, want) : Buffer.allocUnsafe(want);
  let got = readSync(fd, first, 0, first.length, null);
  // The common case, the file as its size said: a regular file reads short only at its end, so
  // that is all of it, in one buffer, with no copy.
  if (got < first.length) return first.subarray(0, got);
  const chunks: Buffer[] = [first];
  let total = got;
  if (total > rule.maxBytes) throw new NotReadable(tooLargeMessage(total, rule));
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(65536, rule.maxBytes + 1 - total));
    got = readSync(fd, chunk, 0, chunk.length, null);
    if (got === 0) break;
    chunks.push(chunk.subarray(0, got));
    total += got;
    if (total > rule.maxBytes) throw new NotReadable(tooLargeMessage(total, rule));
  }
  return Buffer.concat(chunks, total);
}

/** A file's bytes, read as the rule says (see openRegularFile and readOpenFile). */
export function readRegularFile(abs: string, rule: ReadRule): Buffer {
  const file = openRegularFile(abs, rule);
  try {
    return readOpenFile(file, rule);
  } finally {
    closeSync(file.fd);
  }
}

/** The largest dashsync.yaml, dashsync.ids.yaml or lock read. */
export const MAX_CONFIG_BYTES = MEGABYTE;
/** The largest file of .dashsync (sync state, file cache) or saved plan read. */
export const MAX_STATE_BYTES = 256 * MEGABYTE;

/** A file of .dashsync (sync state, file cache, binding) as text, read under the one rule. */
export function readStateFile(abs: string): string {
  return readRegularFile(abs, { maxBytes: MAX_STATE_BYTES, kind: 'a state file' }).toString('utf8');
}
