import { resolve } from 'node:path';
import type { Action } from '../core/types.js';
import { ApiError, describeError, errorToText } from '../errors.js';
import { byteHash } from '../local/dashboard-file.js';
import { writeIdToFile } from '../local/writeback.js';
import { forgetSynced, recordSynced } from '../local/state.js';
import type { ActionEvent } from '../report/reporter.js';
import { mapPool } from '../util/pool.js';
import { isConflict } from '../core/plan.js';
import { CONFLICT_WORDS, conflictOf } from '../core/conflicts.js';
import type { RemoteContext } from './context.js';
import type { LoadedPlan } from './load-plan.js';

/** What became of one action. */
export interface ActionOutcome {
  action: Action;
  outcome: 'done' | 'failed' | 'skipped' | 'not-started';
  id?: string;
  message?: string;
  /** The server's itemised errors, one per line, when it sent some. */
  details?: string[];
}

/** Counts of an execution. */
export interface ExecutionSummary {
  created: number;
  updated: number;
  deleted: number;
  linked: number;
  failed: number;
  skipped: number;
  notStarted: number;
}

/** Options of plan execution. */
export interface ExecuteOptions {
  /** Apply updates in conflict instead of skipping them. */
  force: boolean;
  /** Once aborted, no new action starts; running ones finish. */
  signal?: AbortSignal;
}

/**
 * Carries out a plan's actions with the configured concurrency: save for create and update, delete
 * for delete, and the new id written back into each created or adopted file. One failure does not
 * stop the others; every action emits events and ends in exactly one outcome.
 */
export async function executePlan(ctx: RemoteContext, loaded: Pick<LoadedPlan, 'plan' | 'remote'>, o: ExecuteOptions): Promise<ActionOutcome[]> {
  const { client, reporter } = ctx;
  const idsByProject = new Map<string, Set<string>>();
  for (const r of loaded.remote) {
    const set = idsByProject.get(r.projectId) ?? new Set<string>();
    set.add(r.id);
    idsByProject.set(r.projectId, set);
  }
  const emit = (e: ActionEvent): void => reporter.event(e);

  // Records the dashboard's id where it belongs: in a file that has none, else (when this workspace
  // gave it another id than the file's) in the id map. The file's own id is never changed.
  const recordId = async (a: Action & { path: string; fileId?: string; fileHash?: string }, id: string, hash: string): Promise<void> => {
    if (a.fileId !== undefined) {
      await ctx.idmap.set(a.fileId, id);
      recordSynced(ctx.synced, id, { hash, path: a.path });
      return;
    }
    const written = await writeIdToFile(resolve(ctx.cwd, a.path), id, ctx.tmpDir);
    if (written === undefined) throw new Error(`saved as id ${id}, but could not write the id into ${a.path}: add "id: ${id}" to it by hand`);
    // An edit saved while the dashboard was being saved is kept in the file, but is not what the
    // workspace holds: record only the saved content, so the next plan sends the edit.
    const edited = a.fileHash !== undefined && byteHash(written.previous) !== a.fileHash;
    recordSynced(ctx.synced, id, { hash, path: a.path, ...(edited ? {} : { fileHash: byteHash(written.text) }) });
    ctx.written.set(a.path, { byteHash: byteHash(written.text), fileId: id, ...(edited ? { edited } : {}) });
  };

  const run = async (a: Action): Promise<ActionOutcome> => {
    if (a.kind === 'error') {
      emit({ phase: 'failed', action: a, message: a.message });
      return { action: a, outcome: 'failed', message: a.message };
    }
    if (isConflict(a) && !o.force) {
      const message = skippedConflictMessage(a);
      emit({ phase: 'skipped', action: a, message });
      return { action: a, outcome: 'skipped', message };
    }
    emit({ phase: 'started', action: a });
    try {
      let id: string;
      switch (a.kind) {
        case 'create': {
          const idsBefore = idsByProject.get(a.projectId) ?? new Set<string>();
          try {
            id = await client.save(a.projectId, { ...(a.recreateId ? { id: a.recreateId } : {}), ...a.local }, idsBefore);
          } catch (e) {
            // A server that refuses client-chosen ids: create it fresh and record the new id.
            if (!a.recreateId || !(e instanceof ApiError) || (e.kind !== 'not-found' && e.kind !== 'validation')) throw e;
            reporter.debug(`save with id ${a.recreateId} refused (${e.message}); creating without id`);
            id = await client.save(a.projectId, a.local, idsBefore);
          }
          await recordId(a, id, a.localHash);
          break;
        }
        case 'update':
          id = await client.save(a.projectId, { id: a.id, ...a.local });
          await recordId(a, id, a.localHash);
          break;
        case 'link':
          id = a.id;
          await recordId(a, id, a.hash);
          break;
        case 'delete':
          await client.delete(a.projectId, a.id);
          id = a.id;
          forgetSynced(ctx.synced, a.id);
          break;
      }
      emit({ phase: 'done', action: a, id });
      return { action: a, outcome: 'done', id };
    } catch (e) {
      // As the server said it: the terminal reporter makes it inert, --json carries it as sent.
      const message = errorToText(e);
      const described = describeError(e).details;
      const details = described.length ? { details: [...described] } : {};
      emit({ phase: 'failed', action: a, message, ...details });
      return { action: a, outcome: 'failed', message, ...details };
    }
  };

  const bar = reporter.progress?.('applying', loaded.plan.actions.length);
  const results = await mapPool(loaded.plan.actions, ctx.settings.concurrency, async (a) => {
    const r = await run(a);
    bar?.tick();
    return r;
  }, o.signal);
  bar?.stop();
  // Array.from, not map: actions never started are holes in the array, which map would skip.
  return Array.from(results, (r, i) => r ?? { action: loaded.plan.actions[i]!, outcome: 'not-started' as const });
}

/** Why apply skipped an action in conflict, and what would apply it or take the other side. */
function skippedConflictMessage(a: Action): string {
  const conflict = conflictOf(a) ?? 'both-changed';
  const remedy = {
    'both-changed': 'not applied (pull --force takes theirs, apply --force takes yours)',
    'deleted-remotely-edited-locally': 'not re-created (apply --force re-creates it, pull --prune --force removes the file)',
    'changed-remotely-file-gone': 'not deleted (apply --prune --force deletes it, pull brings it back)',
  }[conflict];
  return `${CONFLICT_WORDS[conflict]}; ${remedy}`;
}

/** Counts outcomes by kind. */
export function summarizeOutcomes(outcomes: ActionOutcome[]): ExecutionSummary {
  const s: ExecutionSummary = { created: 0, updated: 0, deleted: 0, linked: 0, failed: 0, skipped: 0, notStarted: 0 };
  for (const r of outcomes) {
    if (r.outcome === 'failed') s.failed++;
    else if (r.outcome === 'skipped') s.skipped++;
    else if (r.outcome === 'not-started') s.notStarted++;
    else if (r.action.kind === 'create') s.created++;
    else if (r.action.kind === 'update') s.updated++;
    else if (r.action.kind === 'delete') s.deleted++;
    else if (r.action.kind === 'link') s.linked++;
  }
  return s;
}
