import { contentHash } from '../core/canonical.js';
import { whoChanged } from '../core/who-changed.js';
import type { AppVersion } from '../contract/client.js';
import type { RestoreOptions } from '../contract/options.js';
import type { RestoreResult } from '../contract/results.js';
import { UsageError } from '../errors.js';
import { readOneApp } from './one-app.js';
import type { AppFile } from './one-app.js';
import { openRemote } from './open-run.js';
import type { RemoteContext } from './open-run.js';
import { pullIn } from './pull.js';

/**
 * Brings back an old version of an app through the platform's restore (non-destructive: it becomes
 * the newest version, and nothing is lost), then writes it into the app's file as pull writes it
 * (the file's style, keys and comments kept) and records the sync state: git and the workspace
 * agree, and the rollback is a change to review and commit. A file with edits not applied yet is
 * refused (they would be overwritten) unless `force`. With `publish`, the restored version is
 * published to the app's viewers.
 */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  if ((options.version === undefined) === (options.bookmark === undefined))
    throw new UsageError('restore takes one of --version N and --bookmark LABEL', 'dashsync history FILE lists them');
  const ctx = await openRemote(options, 'restore');
  try {
    ctx.flavour.requireVersions('restore');
    const file = await readOneApp(ctx, options.file);
    const { client } = ctx;
    if (!client.versions || !client.restore) throw new UsageError('this client cannot restore versions');
    if (!options.force) await refuseUnapplied(ctx, file);
    const versions = await client.versions(file.projectId, file.id);
    const target = versionAsked(versions, options, file.path);
    const made = await client.restore(file.projectId, file.id, target.versionId);
    const from = target.number ?? 0;
    ctx.reporter.show({
      type: 'restored',
      path: file.path,
      id: file.id,
      from,
      ...(made.number !== undefined ? { as: made.number } : {}),
    });
    if (options.publish) {
      if (!client.publish) throw new UsageError('this client cannot publish');
      await client.publish(file.projectId, file.id);
      ctx.reporter.show({ type: 'published', path: file.path, id: file.id });
    }
    // The edits were checked above (or --force): the file takes what the workspace now holds.
    const pulled = await pullIn(ctx, { ...options, projects: [], excludes: [], paths: [options.file], force: true });
    return {
      path: file.path,
      id: file.id,
      from,
      ...(made.number !== undefined ? { as: made.number } : {}),
      pulled,
    };
  } finally {
    await ctx.close();
  }
}

// Edits in the file that the workspace does not hold: a restore would overwrite them.
async function refuseUnapplied(ctx: RemoteContext, file: AppFile): Promise<void> {
  const remote = await ctx.client.get(file.projectId, file.id);
  if (!remote)
    throw new UsageError(
      `${file.path}: the workspace has no app with id ${file.id} (deleted?)`,
      'dashsync plan shows what apply would do',
    );
  const remoteHash = contentHash(remote);
  if (file.contentHash === remoteHash) return;
  // Only the workspace changed since the last sync (drift): the file holds nothing of its own to lose.
  if (whoChanged(ctx.synced[file.id], file.contentHash, remoteHash) === 'drift') return;
  throw new UsageError(
    `${file.path} has edits that are not applied: restore would overwrite them`,
    'apply or discard them first (git diff, git checkout), or restore --force to drop them',
  );
}

// The version --version or --bookmark names; an error listing those there are otherwise.
function versionAsked(versions: AppVersion[], options: RestoreOptions, path: string): AppVersion {
  const found =
    options.version !== undefined
      ? versions.find((version) => version.number === options.version)
      : versions.find((version) => version.bookmarked && version.label === options.bookmark);
  if (found) return found;
  const asked =
    options.version !== undefined ? `version ${options.version}` : `bookmark ${JSON.stringify(options.bookmark)}`;
  const labels = versions.filter((version) => version.bookmarked && version.label).map((version) => version.label!);
  const numbers = versions.map((version) => version.number).filter((number) => number !== undefined);
  throw new UsageError(
    `${path}: the app has no ${asked}`,
    options.version !== undefined
      ? `its versions: ${numbers.length ? `${Math.min(...numbers)} to ${Math.max(...numbers)}` : 'none numbered'} (dashsync history ${path})`
      : `its bookmarks: ${
          labels.length
            ? labels
                .slice(0, 10)
                .map((label) => JSON.stringify(label))
                .join(', ')
            : 'none'
        }`,
  );
}
