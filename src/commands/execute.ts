import { resolve } from 'node:path';
import type { Action } from '../core/types.js';
import { ApiError, describeError, errorToText } from '../errors.js';
import { byteHash } from '../local/dashboard-file.js';
import { writeIdToFile } from '../local/writeback.js';
import { forgetSynced, keepBase, recordSynced } from '../local/state.js';
import { mapPool } from '../util/pool.js';
import { carriedOut, skippedConflictMessage } from '../core/conflicts.js';
import type { ActionEvent, ActionOutcome, ExecutionSummary } from '../contract/execution.js';
import type { LoadedPlan } from './load-plan.js';
import { dashboardFiles } from './open-run.js';
import type { RemoteContext } from './open-run.js';

/** Options of plan execution. */
export interface ExecuteOptions {
  /** Apply updates in conflict (and merges) instead of skipping them; an unasked adoption is skipped still. */
  force: boolean;
  /** Once aborted, no new action starts; running ones finish. */
  signal?: AbortSignal;
  /**
   * True for a file whose new id is to be kept aside (local/pending-ids.ts) rather than written into
   * it: watch's answer for files git tracks, which a write would leave changed.
   */
  keepIdAside?: (path: string) => Promise<boolean>;
}

/**
 * Carries out a plan's actions with the configured concurrency: save for create and update, delete
 * for delete, and the new id written back into each created or adopted file. One failure does not
 * stop the others; every action emits events and ends in exactly one outcome.
 */
export async function executePlan(
  ctx: RemoteContext,
  loaded: Pick<LoadedPlan, 'plan' | 'remote'>,
  options: ExecuteOptions,
): Promise<ActionOutcome[]> {
  const { client, reporter } = ctx;
  const idsByProject = new Map<string, Set<string>>();
  for (const listed of loaded.remote) {
    const ids = idsByProject.get(listed.projectId) ?? new Set<string>();
    ids.add(listed.id);
    idsByProject.set(listed.projectId, ids);
  }
  const emit = (event: ActionEvent): void => reporter.event(event);

  // Records the dashboard's id where it belongs: in the action's file when it has none, else (when this workspace
  // gave it another id than the file's) in the id map. The file's own id is never changed.
  const recordId = async (
    action: Action & { path: string; fileId?: string; fileHash?: string },
    id: string,
    contentHash: string,
  ): Promise<void> => {
    if (action.fileId !== undefined) {
      await ctx.idmap.set(action.fileId, id);
      recordSynced(ctx.synced, id, { hash: contentHash, path: action.path });
      return;
    }
    if (await options.keepIdAside?.(action.path)) {
      await ctx.pendingIds.set(action.path, id);
      // The file is as planned (its bytes hold no id): an edit saved meanwhile is still to be sent.
      recordSynced(ctx.synced, id, { hash: contentHash, path: action.path });
      return;
    }
    const written = await writeIdToFile(resolve(ctx.cwd, action.path), id, dashboardFiles(ctx));
    if (written === undefined)
      throw new Error(
        `saved as id ${id}, but could not write the id into ${action.path}: add "id: ${id}" to it by hand`,
      );
    // An edit saved while the dashboard was being saved is kept in the file, but is not what the
    // workspace holds: record only the saved content, so the next plan sends the edit.
    const edited = action.fileHash !== undefined && byteHash(written.previous) !== action.fileHash;
    const fileHashUnlessEdited = edited ? {} : { fileHash: byteHash(written.text) };
    recordSynced(ctx.synced, id, { hash: contentHash, path: action.path, ...fileHashUnlessEdited });
    ctx.written.set(action.path, { byteHash: byteHash(written.text), fileId: id, ...(edited ? { edited } : {}) });
  };

  const carryOut = async (action: Action): Promise<ActionOutcome> => {
    if (action.kind === 'error') {
      emit({ phase: 'failed', action, message: action.message });
      return { action, outcome: 'failed', message: action.message };
    }
    if (!carriedOut(action, options.force)) {
      const message = skippedConflictMessage(action);
      emit({ phase: 'skipped', action, message });
      return { action, outcome: 'skipped', message };
    }
    emit({ phase: 'started', action });
    try {
      let id: string;
      switch (action.kind) {
        case 'create': {
          const idsBefore = idsByProject.get(action.projectId) ?? new Set<string>();
          try {
            id = await client.save(
              action.projectId,
              { ...(action.recreateId ? { id: action.recreateId } : {}), ...action.local },
              idsBefore,
            );
          } catch (e) {
            // A server that refuses client-chosen ids: create it fresh and record the new id.
            if (!action.recreateId || !(e instanceof ApiError) || (e.kind !== 'not-found' && e.kind !== 'validation'))
              throw e;
            reporter.debug(`save with id ${action.recreateId} refused (${e.message}); creating without id`);
            id = await client.save(action.projectId, action.local, idsBefore);
          }
          keepBase(ctx.state, action.local, action.localHash);
          await recordId(action, id, action.localHash);
          break;
        }
        case 'update':
          id = await client.save(action.projectId, { id: action.id, ...action.local });
          keepBase(ctx.state, action.local, action.localHash);
          await recordId(action, id, action.localHash);
          break;
        case 'link':
          id = action.id;
          await recordId(action, id, action.hash);
          break;
        case 'delete':
          await client.delete(action.projectId, action.id);
          id = action.id;
          forgetSynced(ctx.synced, action.id);
          break;
      }
      emit({ phase: 'done', action, id });
      return { action, outcome: 'done', id };
    } catch (e) {
      // As the server said it: the terminal reporter makes it inert, --json carries it as sent.
      const message = errorToText(e);
      const described = describeError(e).details;
      const details = described.length ? { details: [...described] } : {};
      emit({ phase: 'failed', action, message, ...details });
      return { action, outcome: 'failed', message, ...details };
    }
  };

  const bar = reporter.progress?.('applying', loaded.plan.actions.length);
  const results = await mapPool(
    loaded.plan.actions,
    ctx.settings.concurrency,
    async (action) => {
      const outcome = await carryOut(action);
      bar?.tick();
      return outcome;
    },
    options.signal,
  );
  bar?.stop();
  // Array.from, not map: actions never started are holes in the array, which map would skip.
  return Array.from(
    results,
    (outcome, index) => outcome ?? { action: loaded.plan.actions[index]!, outcome: 'not-started' as const },
  );
}

/** Counts outcomes by kind. */
export function summarizeOutcomes(outcomes: ActionOutcome[]): ExecutionSummary {
  const summary: ExecutionSummary = {
    created: 0,
    updated: 0,
    deleted: 0,
    linked: 0,
    failed: 0,
    skipped: 0,
    notStarted: 0,
  };
  for (const { outcome, action } of outcomes) {
    if (outcome === 'failed') summary.failed++;
    else if (outcome === 'skipped') summary.skipped++;
    else if (outcome === 'not-started') summary.notStarted++;
    else if (action.kind === 'create') summary.created++;
    else if (action.kind === 'update') summary.updated++;
    else if (action.kind === 'delete') summary.deleted++;
    else if (action.kind === 'link') summary.linked++;
  }
  return summary;
}
