import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { describeCommit, gitTopLevel, pathInTree, resolveCommit, writeTreeAt } from '../local/git.js';
import type { Context } from './open-run.js';

/*
 * `--ref`: a run that reads the dashboards folder as it was at a commit, without a checkout. The
 * folder's files at that commit are written (git ls-tree, git cat-file) into a temporary folder
 * outside the repository, laid out as the work tree is, and the run reads them there: the same
 * paths, the same plan, confirmation and guards. Everything else comes from the working tree:
 * dashsync.yaml (the workspace, environments, projects map, variables), the sync state, the id map.
 */

/**
 * Points the run's folder at the files of `ref` (ctx.cwd and the dashboards folder move into a
 * temporary copy; ctx.snapshot says so) and returns the function that removes the copy.
 */
export async function readAtRef(ctx: Context, ref: string): Promise<() => Promise<void>> {
  const root = await realpath(ctx.settings.root);
  const top = await gitTopLevel(root);
  if (!top)
    throw new UsageError(
      `--ref ${JSON.stringify(ref)}: ${ctx.settings.root} is not in a git repository`,
      '--ref reads the dashboards folder from git',
    );
  const commit = await resolveCommit(top, ref);
  const rootRel = pathInTree(top, root);
  const cwdRel = pathInTree(top, await realpath(ctx.cwd));
  if (rootRel === undefined || cwdRel === undefined)
    throw new UsageError(`--ref: run dashsync from inside the git repository at ${top}`);
  const dirRel = join(rootRel, relative(ctx.settings.root, ctx.settings.dir));
  const copy = await mkdtemp(join(tmpdir(), 'dashsync-ref-'));
  const remove = (): Promise<void> => rm(copy, { recursive: true, force: true });
  try {
    await writeTreeAt(top, commit, dirRel.split('\\').join('/'), copy);
    ctx.snapshot = { ref, commit: await describeCommit(top, commit) };
  } catch (e) {
    await remove();
    throw e;
  }
  ctx.cwd = join(copy, cwdRel);
  ctx.settings = { ...ctx.settings, dir: join(copy, dirRel) };
  ctx.reporter.show({ type: 'at-ref', ref, commit: ctx.snapshot.commit, dir: ctx.dirShown });
  return remove;
}
