import type { SyncBase, UpdateReason } from './types.js';

/**
 * Which side changed a dashboard whose file and workspace differ, judged against the last sync:
 * the one rule that plan (apply's direction) and pull both follow.
 */
export function whoChanged(baseline: SyncBase | undefined, localHash: string, remoteHash: string): UpdateReason {
  if (!baseline || !baseline.hash) return 'unknown';
  const localChanged = localHash !== baseline.hash;
  const remoteChanged = remoteHash !== baseline.hash;
  if (localChanged && remoteChanged) return 'conflict';
  return remoteChanged ? 'drift' : 'local-edit';
}

/**
 * True when both sides are unchanged since the last sync: the list shows the same updated_at as
 * recorded, and the file holds the recorded content. The one spelling of "unchanged since".
 */
export function unchangedSince(
  entry: SyncBase | undefined,
  now: { contentHash: string; updatedAt?: string | undefined },
): boolean {
  return (
    entry !== undefined &&
    entry.hash !== '' &&
    entry.updatedAt !== undefined &&
    now.updatedAt !== undefined &&
    entry.updatedAt === now.updatedAt &&
    entry.hash === now.contentHash
  );
}
