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
