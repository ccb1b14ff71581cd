import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { GitCommit } from '../core/history.js';
import { UsageError } from '../errors.js';

/*
 * The git repository the folder lives in, read with git's plumbing only (rev-parse, ls-tree,
 * cat-file, log): nothing here checks anything out or writes into the working tree. Below, what
 * watch asks of it (its git folder, HEAD, whether a file is tracked, whether git is at work).
 */

/** What a git command printed, or why it failed. */
interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// Runs git with arguments (never through a shell), feeding `input` on stdin.
function runGit(cwd: string, args: string[], input?: string): Promise<GitRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, {
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new UsageError('git is not installed (or not on PATH)', 'install git: this command reads the repository')
          : e,
      ),
    );
    child.on('close', (code) =>
      resolvePromise({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }),
    );
    // git may exit before it reads everything (a bad object): its answer says why, not the pipe.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** The top folder of the git work tree `cwd` is in, or undefined outside a repository. */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  const run = await runGit(cwd, ['rev-parse', '--show-toplevel']);
  return run.code === 0 ? realpath(run.stdout.toString('utf8').trim()) : undefined;
}

/** The full hash of the commit `ref` names; a clear error when it names none. */
export async function resolveCommit(top: string, ref: string): Promise<string> {
  // A ref that starts with "-" would be read by git as an option.
  if (ref === '' || ref.startsWith('-') || /[\0-\x1f]/.test(ref))
    throw new UsageError(`--ref ${JSON.stringify(ref)}: not a git ref`, 'give a commit, tag or branch, e.g. HEAD~1');
  const run = await runGit(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (run.code !== 0)
    throw new UsageError(
      `--ref ${JSON.stringify(ref)}: no such commit in the repository`,
      'git log --oneline shows the commits; a rollback is --ref HEAD~1',
    );
  return run.stdout.toString('utf8').trim();
}

/** A commit's short hash and subject, for telling which commit a run reads. */
export async function describeCommit(top: string, commit: string): Promise<GitCommit> {
  const run = await runGit(top, ['log', '-1', `--format=${LOG_FORMAT}`, commit]);
  const [parsed] = parseLog(run.stdout.toString('utf8'));
  return parsed ?? { sha: commit, author: '', date: '', subject: '' };
}

/** A path inside the work tree relative to its top, with forward slashes; undefined outside it. */
export function pathInTree(top: string, path: string): string | undefined {
  const rel = relative(top, path).split(sep).join('/');
  return rel.startsWith('..') ? undefined : rel;
}

/**
 * Writes the blobs of `rel` (a folder, relative to the top) as they were at `commit` under `into`,
 * at the same paths relative to the top as in the work tree. Links and submodules are refused: a
 * link's target at that commit may lie outside the folder. Returns how many files.
 */
export async function writeTreeAt(top: string, commit: string, rel: string, into: string): Promise<number> {
  const listing = await runGit(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', rel || '.']);
  if (listing.code !== 0) throw new UsageError(`git ls-tree failed: ${listing.stderr.trim()}`);
  const entries = listing.stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode = '', type = '', sha = ''] = meta.split(' ');
      return { mode, type, sha, path };
    });
  const link = entries.find((entry) => entry.mode === '120000' || entry.type === 'commit');
  if (link)
    throw new UsageError(
      `${link.path} is a link or a submodule at that commit: apply --ref reads regular files only`,
      'deploy that commit from a checkout instead',
    );
  if (entries.length === 0)
    throw new UsageError(`${rel || '.'} holds no files at commit ${commit.slice(0, 12)}`, 'is --ref the right commit?');
  const blobs = await readBlobs(
    top,
    entries.map((entry) => entry.sha),
  );
  for (const [at, entry] of entries.entries()) {
    const target = join(into, ...entry.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, blobs[at]!);
  }
  return entries.length;
}

// The contents of blobs, in order, through one `git cat-file --batch`.
async function readBlobs(top: string, shas: string[]): Promise<Buffer[]> {
  const run = await runGit(top, ['cat-file', '--batch'], shas.map((sha) => `${sha}\n`).join(''));
  if (run.code !== 0) throw new UsageError(`git cat-file failed: ${run.stderr.trim()}`);
  const blobs: Buffer[] = [];
  let at = 0;
  for (const sha of shas) {
    const end = run.stdout.indexOf(0x0a, at);
    const header = run.stdout.subarray(at, end).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!header.startsWith(sha) || !Number.isInteger(size)) throw new UsageError(`git cat-file: no blob ${sha}`);
    blobs.push(run.stdout.subarray(end + 1, end + 1 + size));
    at = end + 1 + size + 1;
  }
  return blobs;
}

// Fields of a log line, separated by a byte no subject holds.
const LOG_FORMAT = '%H%x1f%an%x1f%aI%x1f%s';

function parseLog(text: string): GitCommit[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', author = '', date = '', subject = ''] = line.split('\x1f');
      return { sha, author, date, subject };
    });
}

/**
 * The commits that changed a file, newest first (renames followed); empty outside a repository or
 * for a file git does not know.
 */
export async function fileLog(top: string, file: string): Promise<GitCommit[]> {
  const rel = relative(top, await realpath(file))
    .split(sep)
    .join('/');
  const run = await runGit(top, ['log', '--follow', `--format=${LOG_FORMAT}`, '--', rel]);
  return run.code === 0 ? parseLog(run.stdout.toString('utf8')) : [];
}
/*
 * What watch asks of the git repository a folder is in, through the `git` command: where its git
 * folder is, where HEAD points, whether a file is tracked, and whether git is at work. No git, or
 * no repository, answers "nothing known", and watch then behaves as without git.
 */

// Runs git in `cwd`; undefined when git is missing, fails, or takes too long.
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    );
  });
}

/** The git folder of the repository `cwd` is in, or undefined outside one. */
export async function gitDirOf(cwd: string): Promise<string | undefined> {
  return git(cwd, ['rev-parse', '--absolute-git-dir']);
}

/** Where HEAD points: the branch (or `HEAD` when detached) and the commit; undefined without git. */
export async function headOf(cwd: string): Promise<string | undefined> {
  const out = await git(cwd, ['rev-parse', '--symbolic-full-name', 'HEAD', 'HEAD']);
  return out?.split('\n').join(' ');
}

/** True when git tracks the file (a change to it would show in `git status` and can block a checkout). */
export async function isTracked(cwd: string, absPath: string): Promise<boolean> {
  const out = await git(cwd, ['ls-files', '--', absPath]);
  return out !== undefined && out !== '';
}

/** True while git changes the work tree (a checkout, a pull, a rebase): it holds the index lock. */
export function gitAtWork(gitDir: string): boolean {
  return existsSync(join(gitDir, 'index.lock'));
}
