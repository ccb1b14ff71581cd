import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
