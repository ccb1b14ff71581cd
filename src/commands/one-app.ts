import { resolve } from 'node:path';
import { runScope } from '../core/selection.js';
import type { LocalFile } from '../core/types.js';
import { FileError, UsageError } from '../errors.js';
import type { RemoteContext } from './open-run.js';
import { readLocal, withWorkspaceIds } from './read-local.js';
import { selectionOf } from './selection.js';

/*
 * The one app file that history and restore are about: valid, in a project folder, and applied
 * (it has an id), with the id this workspace knows it by.
 */

/** A file that names an app of the workspace. */
export type AppFile = LocalFile & { id: string };

/** Reads the app file at `given` (a path relative to the working directory); a clear error otherwise. */
export async function readOneApp(ctx: RemoteContext, given: string): Promise<AppFile> {
  const selection = selectionOf(ctx, { paths: [given] }, { mustExist: true });
  const local = await readLocal(ctx, { scope: runScope(selection) });
  const wanted = resolve(ctx.cwd, given);
  const problems = local.problems.filter((problem) => resolve(ctx.cwd, problem.path) === wanted);
  if (problems.length) throw new FileError(problems, 'fix the file first: dashsync must know which app it holds');
  const [file] = withWorkspaceIds(
    ctx,
    local.files.filter((candidate) => resolve(ctx.cwd, candidate.path) === wanted),
  );
  if (!file)
    throw new UsageError(
      `${given}: not a file of a project folder in ${ctx.dirShown}`,
      `name one file, e.g. ${ctx.dirShown}/sales/top-customers.yaml`,
    );
  if (file.id === undefined)
    throw new UsageError(
      `${file.path} has no id: it was never applied, so the workspace keeps no versions of it`,
      'run dashsync apply first',
    );
  return { ...file, id: file.id };
}
