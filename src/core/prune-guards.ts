/*
 * The guards of --prune, written once and asked in both directions: apply prunes dashboards that no
 * file holds, pull prunes files whose dashboards the workspace no longer lists. What makes one side
 * look empty (a wrong --dir, a bad checkout, a wrong workspace or scope) is the same mistake either
 * way round, so the same rule refuses it.
 */

/** Which way a prune runs: apply (and watch) delete dashboards, pull removes files. */
export type PruneDirection = 'apply' | 'watch' | 'pull';

/**
 * The refusal of a prune that would empty a project because the side it copies holds nothing of it
 * (apply: the folder has no dashboard files; pull: the workspace lists none of its dashboards);
 * undefined when the prune may go on (`force`, or that side holds something, or nothing is removed).
 */
export function emptiedProjectRefusal(
  direction: PruneDirection,
  project: { projectId: string; sourceCount: number; removals: number },
  force: boolean,
): string | undefined {
  if (force || project.sourceCount > 0 || project.removals === 0) return undefined;
  const { projectId, removals } = project;
  if (direction !== 'pull') {
    const what = removals === 1 ? 'the only dashboard' : `all ${removals} dashboards`;
    const why = `--prune would delete ${what} of project ${projectId} because its folder has no dashboard files; `;
    // watch has no --force: it never empties a project, and says what would.
    return direction === 'watch'
      ? `${why}watch does not (restore the files, or run dashsync apply --prune --force after checking its plan)`
      : `${why}add --force if that is what you want`;
  }
  const what = removals === 1 ? 'the only file' : `all ${removals} files`;
  return (
    `--prune would remove ${what} of project ${projectId} because the workspace lists none of its dashboards ` +
    '(another workspace or scope?); add --force if that is what you want'
  );
}
