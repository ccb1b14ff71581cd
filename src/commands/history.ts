import { resolve } from 'node:path';
import type { HistoryOptions } from '../contract/options.js';
import type { HistoryResult } from '../contract/results.js';
import { matchVersionsToCommits } from '../core/history.js';
import { UsageError } from '../errors.js';
import { fileLog, gitTopLevel } from '../local/git.js';
import { readOneApp } from './one-app.js';
import { openRemote } from './open-run.js';

/**
 * An app's versions (number, time, author, bookmark label, published) beside the git commits of
 * its file: a version whose bookmark label is a commit's hash (CI's `apply --bookmark
 * "$GITHUB_SHA"`) was deployed by that commit. Reads only: no lock, nothing written.
 */
export async function history(options: HistoryOptions): Promise<HistoryResult> {
  const ctx = await openRemote(options);
  try {
    ctx.flavour.requireVersions('history');
    const file = await readOneApp(ctx, options.file);
    if (!ctx.client.versions) throw new UsageError('this client cannot list versions');
    const versions = await ctx.client.versions(file.projectId, file.id);
    const top = await gitTopLevel(ctx.settings.root);
    const commits = top ? await fileLog(top, resolve(ctx.cwd, file.path)) : [];
    const result: HistoryResult = {
      path: file.path,
      id: file.id,
      projectId: file.projectId,
      name: file.name,
      versions: matchVersionsToCommits(
        versions.map((version) => ({ ...version, published: version.published === true })),
        commits,
      ),
      commits,
      inGit: top !== undefined,
    };
    ctx.reporter.show({ type: 'history', history: result });
    return result;
  } finally {
    await ctx.close();
  }
}
