import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, statSync, writeSync } from 'node:fs';
import { lstat, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';

/*
 * Every write, removal, rename and temp-file clean-up of dashsync goes through this module, and each
 * names the folder it may touch (its fence): nothing is ever changed outside the dashboards folder,
 * `.dashsync` and the files beside dashsync.yaml, as they really are on disk. Below a fence's folder
 * no symbolic link is followed: a link where a folder is expected stops the write with an error.
 * (A link as the file itself is harmless: a rename replaces the link, an unlink removes only it.)
 */

/** A folder a write may change files in, and whether that folder may itself be a symbolic link. */
export interface Fence {
  /** Absolute path of the folder. */
  folder: string;
  /**
   * The dashboards folder may be a link (settings checked where it leads, see dashboardsFolderProblem);
   * `.dashsync` may not: a link there, committed in a pull request, would send the state anywhere.
   */
  linkAllowed: boolean;
}

/** The mode a new file is made with (before the umask). */
const NEW_FILE_MODE = 0o644;
/** The mode a new file gets here (NEW_FILE_MODE less the umask), once one has been made. */
let createdMode: number | undefined;

/** How writeFileAtomic writes. */
export interface WriteFileOptions {
  /** The folder the file must lie in. */
  fence: Fence;
  /** Flush to disk before the rename (the default), so a power cut cannot lose the new bytes. */
  durable?: boolean;
  /** Folder for the temporary file (inside .dashsync/), instead of beside the target. */
  tmpDir?: string | undefined;
}

// The error for a link (or a file) found where a folder must be.
function notAFolder(path: string, what: 'link' | 'file', target?: string): UsageError {
  const name = basename(path);
  if (what === 'file')
    return new UsageError(
      `${name} in ${dirname(path)} is a file, not ${name === '.dashsync' ? "dashsync's state folder" : 'a folder'}`,
      `move or delete that file (dashsync keeps its ${name === '.dashsync' ? 'local state' : 'files'} in a folder of that name) and run again`,
    );
  return new UsageError(
    `${name === '.dashsync' ? name : path} is a symbolic link${target ? ` (to ${target})` : ''}: ` +
      'dashsync never writes through a link, so that nothing outside the repository is changed',
    name === '.dashsync'
      ? `remove the link (rm ${path}); dashsync makes the folder again`
      : 'replace the link with the folder itself',
  );
}

// Checks one folder on the way in: made when missing (never through a link), refused when a file or
// a link. Synchronous: a handful of lstat calls cost a tenth of their asynchronous form, and a pull
// writes thousands of files.
function enterFolder(path: string, linkAllowed: boolean, create: boolean): boolean {
  let found = lstatSync(path, { throwIfNoEntry: false });
  if (!found) {
    if (!create) return false;
    try {
      mkdirSync(path, { recursive: linkAllowed });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    found = lstatSync(path);
  }
  if (found.isSymbolicLink()) {
    if (!linkAllowed) throw notAFolder(path, 'link', linkTarget(path));
    found = statSync(path);
  }
  if (!found.isDirectory()) throw notAFolder(path, 'file');
  return true;
}

// Where a link points, for messages; undefined when it cannot be read.
function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `folder` lies inside the fence with no link on the way (making the missing folders
 * when `create`); throws a UsageError naming what stands in the way. False when it is missing.
 */
export function enterFence(folder: string, fence: Fence, { create = true } = {}): boolean {
  const rel = relative(fence.folder, folder);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new UsageError(`${folder} is outside ${fence.folder}: dashsync writes nothing there`);
  if (!enterFolder(fence.folder, fence.linkAllowed, create)) return false;
  let current = fence.folder;
  for (const part of rel ? rel.split(sep) : []) {
    current = join(current, part);
    if (!enterFolder(current, false, create)) return false;
  }
  return true;
}

/**
 * Writes a file so that readers (and a crash at any moment) see either the old bytes or the new,
 * never a mix: write a temp file beside it, flush it to disk, rename it over the target. The file
 * keeps its mode (a read-only file stays read-only). `durable: false` skips the flush: for caches
 * and the sync state, which a power cut may lose without harm (a process crash never tears them).
 */
export async function writeFileAtomic(path: string, data: string, options: WriteFileOptions): Promise<void> {
  const { fence, durable = true, tmpDir } = options;
  enterFence(dirname(path), fence);
  // The temporary file's folder is .dashsync/tmp, which may not be a link either.
  if (tmpDir !== undefined) enterFence(tmpDir, { folder: dirname(tmpDir), linkAllowed: false });
  const name = `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`;
  // With tmpDir (inside .dashsync/), a crash never leaves litter in the user's git tree.
  const tmp = join(tmpDir ?? dirname(path), name);
  const previous = lstatSync(path, { throwIfNoEntry: false });
  // Permission bits only: a setuid bit is never carried over to a file of ours.
  const mode = previous?.isFile() ? previous.mode & 0o777 : undefined;
  const fh = await open(tmp, 'wx', NEW_FILE_MODE);
  try {
    await fh.writeFile(data, 'utf8');
    // The mode given to open() is cut by the umask: the file's own mode is set as it was (learnt
    // from the first file made, and set only where it differs).
    createdMode ??= (await fh.stat()).mode & 0o777;
    if (mode !== undefined && mode !== createdMode) await fh.chmod(mode);
    if (durable) await fh.sync();
  } catch (e) {
    // A write that fails (a full disk) leaves no half-written temporary file, and is told as a
    // failure to write the file itself (a write error carries no path of its own).
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw Object.assign(e as Error, { dest: path });
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    // Another file system (a --dir elsewhere): write beside the target instead.
    if ((e as NodeJS.ErrnoException).code === 'EXDEV' && tmpDir !== undefined)
      return writeFileAtomic(path, data, { fence, durable });
    throw e;
  }
}

/** Removes a file inside the fence (a link is removed, never what it points at). */
export async function removeFile(path: string, fence: Fence): Promise<void> {
  enterFence(dirname(path), fence, { create: false });
  await unlink(path);
}

/** The name writeFileAtomic gives its temporary files. */
const TMP_NAME = /^\..+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes temporary files a killed run left: everything in `tmpDir` (inside .dashsync, which may not
 * be a link; a tmp that is a link is removed as a link), and (from older versions, or a --dir on
 * another file system) `.<name>.<hex>.tmp` files in the given folders. Only call it while holding
 * the folder's lock, so no live writer's file is removed.
 */
export async function removeLeftoverTemps(tmpDir: string, folders: string[]): Promise<void> {
  if (enterFence(dirname(tmpDir), { folder: dirname(tmpDir), linkAllowed: false }, { create: false })) {
    const found = await lstat(tmpDir).catch(() => undefined);
    if (found?.isSymbolicLink() || found?.isFile()) await unlink(tmpDir);
    else if (found) await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
  for (const folder of folders) {
    // Only real folders are cleared: never one reached through a link.
    if (!lstatSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) if (TMP_NAME.test(name)) await unlink(join(folder, name)).catch(() => undefined);
  }
}

/** Forward-slash path for display. */
export function displayPath(path: string): string {
  return path.split('\\').join('/');
}

/** A file being written in pieces, by appendingFile. */
export interface Appender {
  /** Adds text at the end (kept in memory up to a buffer's worth, then written). */
  append(text: string): void;
  /** Writes what is buffered. */
  flush(): void;
  /** Writes what is buffered and closes the file. */
  close(): void;
}

/** How much text an Appender gathers before it writes. */
const APPEND_BUFFER = 64 * 1024;

/**
 * Creates a new file `name` in `folder` ('wx': never one already there) and returns its writer:
 * for files only ever read back line by line, whose last line a crash may tear (the sync state's
 * packs of base contents, whose readers check each content against its hash). Synchronous: for
 * thousands of small pieces, an asynchronous write each costs ten times as much CPU.
 */
export function appendingFile(folder: string, name: string, fence: Fence): Appender {
  if (name !== basename(name) || name.startsWith('.')) throw new UsageError(`${name}: not a plain file name`);
  enterFence(folder, fence);
  const fd = openSync(join(folder, name), 'wx', NEW_FILE_MODE);
  let buffered: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (!buffered.length) return;
    const bytes = Buffer.from(buffered.join(''), 'utf8');
    buffered = [];
    size = 0;
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  };
  return {
    append(text) {
      buffered.push(text);
      size += text.length;
      if (size >= APPEND_BUFFER) flush();
    },
    flush,
    close() {
      try {
        flush();
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Writes a small file only when it is missing (e.g. a .gitignore). */
export async function ensureFile(path: string, data: string, fence: Fence): Promise<void> {
  if (!lstatSync(path, { throwIfNoEntry: false })) await writeFileAtomic(path, data, { fence, durable: false });
}

/**
 * Why a `.dashsync` under `root` cannot be used (a link, or a file), or undefined: checked once
 * when settings are resolved, so every command refuses it the same way before doing anything.
 */
export function stateFolderProblem(root: string): UsageError | undefined {
  const path = join(root, '.dashsync');
  const found = lstatSync(path, { throwIfNoEntry: false });
  if (found?.isSymbolicLink()) {
    let target: string | undefined;
    try {
      target = realpathSync(path);
    } catch {
      // a dangling link: named without its target
    }
    return notAFolder(path, 'link', target);
  }
  return undefined;
}

// A path with its links resolved; a part that does not exist yet is taken as written.
function realPathOf(path: string): string {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return resolve(path);
      missing.push(basename(current));
      current = parent;
    }
  }
}

/**
 * Why the dashboards folder named by dashsync.yaml (or the default) cannot be used: it leads out of
 * the folder holding dashsync.yaml, through a link or a `dir:` like `../elsewhere`. A folder named
 * with --dir is the user's own choice and is not checked.
 */
export function dashboardsFolderProblem(root: string, dir: string, shown: string): UsageError | undefined {
  const realRoot = realPathOf(root);
  const realDir = realPathOf(dir);
  const inside = (folder: string): boolean =>
    realDir === folder || realDir.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
  // Git's own folder and dashsync's state are no place for dashboards (pull would write there, prune remove).
  for (const own of ['.git', '.dashsync'])
    if (inside(join(realRoot, own)))
      return new UsageError(
        `the dashboards folder ${shown} is in ${own}, which is not for dashboards`,
        'set dir: to a folder of its own, such as dashboards',
      );
  if (inside(realRoot)) return undefined;
  const link = lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink();
  return new UsageError(
    `the dashboards folder ${shown} ${link ? `is a symbolic link to ${realDir}` : `is ${realDir}`}, ` +
      `outside the repository (${realRoot}): dashsync changes files only inside it`,
    link
      ? 'replace the link with the folder itself, or pass --dir to name that folder on purpose'
      : 'set dir: to a folder inside the repository, or pass --dir to name that folder on purpose',
  );
}
