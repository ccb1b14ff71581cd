import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitAtWork, gitDirOf, headOf, isTracked } from '../../local/git.js';
import { syncWholeFolder } from './start.js';
import type { WatchStep } from './watched-folder.js';

/*
 * watch and git branches. A `git checkout` changes many files at once, deletes some and makes
 * others appear: watch waits while git works (it holds its index lock), and when HEAD has moved it
 * reads the whole folder again, syncs it as at start, and deletes nothing because of the checkout.
 * The ids of new dashboards never dirty a file git tracks (a dirty file can block the next
 * checkout): they are kept aside until apply or pull writes them (local/pending-ids.ts).
 */

/** The repository a watched folder is in, as watch follows it. */
export class GitFollower {
  private constructor(
    private readonly cwd: string,
    private readonly gitDir: string,
    private head: string | undefined,
  ) {}

  /** Follows the repository `root` is in; undefined outside one (or without git). */
  static async open(root: string, cwd: string): Promise<GitFollower | undefined> {
    const gitDir = await gitDirOf(root);
    return gitDir ? new GitFollower(cwd, gitDir, await headOf(root)) : undefined;
  }

  /** True while git is changing the work tree: a batch waits. */
  atWork(): boolean {
    return gitAtWork(this.gitDir);
  }

  /** Where HEAD points now, when it moved since last asked; undefined when it did not. */
  async moved(): Promise<string | undefined> {
    const now = await headOf(this.cwd);
    if (now === undefined || now === this.head) return undefined;
    this.head = now;
    return now;
  }

  /** True for a file whose new id is kept aside: one git tracks (path as commands show it). */
  readonly keepIdAside = (path: string): Promise<boolean> => isTracked(this.cwd, resolve(this.cwd, path));
}

/**
 * After HEAD moved: the batch's files that are gone went with the checkout, not with the user, so
 * none is deleted; the folder is read again whole and synced as at start (without prune).
 */
export async function resyncAfterCheckout(step: WatchStep, paths: string[], head: string): Promise<void> {
  const gone = paths.filter((path) => !lstatSync(join(step.ctx.cwd, path), { throwIfNoEntry: false }));
  step.folder.reset();
  step.tell({ kind: 'checkout', head, gone: gone.length });
  await syncWholeFolder(step);
}
