import { resolve } from 'node:path';
import type { Action } from '../core/types.js';
import { ApiError, describeError, errorToText } from '../errors.js';
import { byteHash } from '../local/dashboard-file.js';
import { writeIdToFile } from '../local/writeback.js';
import { forgetSynced, keepBase, recordSynced } from '../local/state.js';
import { mapPool } from '../util/pool.js';
import { carriedOut, skippedConflictMessage } from '../core/conflicts.js';
import type { ActionEvent, ActionOutcome, ExecutionSummary } from '../contract/execution.js';
import { IDMAP_FILE } from '../local/idmap.js';
import { lookForCopies } from './copies.js';
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
  const createdWithoutFile: Array<{ path: string; id: string }> = [];

  // Records the dashboard's id where it belongs: in the action's file when it has none, else (when this workspace
  // gave it another id than the file's) in the id map. The file's own id is never changed. A failure here comes
  // after the dashboard was saved: it is returned (what to do about it), never thrown, so the save is reported.
  const recordId = async (
    action: Action & { path: string; fileId?: string; fileHash?: string },
    id: string,
    contentHash: string,
  ): Promise<string | undefined> => {
    if (action.fileId !== undefined) {
      try {
        await ctx.idmap.set(action.fileId, id);
      } catch (e) {
        return idNotRecorded(
          id,
          `${IDMAP_FILE} could not be written: ${describeError(e).summary}`,
          `"${action.fileId}: ${id}" under "${ctx.settings.env ?? 'default'}:" in ${IDMAP_FILE}`,
        );
      }
      recordSynced(ctx.synced, id, { hash: contentHash, path: action.path });
      return undefined;
    }
    // --ref: the file is a copy of a commit's; the working tree is not written (at-ref.ts).
    if (ctx.snapshot) {
      recordSynced(ctx.synced, id, { hash: contentHash, path: action.path });
      if (action.kind === 'create') createdWithoutFile.push({ path: action.path, id });
      return undefined;
    }
    if (await options.keepIdAside?.(action.path)) {
      try {
        await ctx.pendingIds.set(action.path, id);
      } catch (e) {
        return idNotRecorded(
          id,
          `its id could not be kept aside in .dashsync/pending-ids.json: ${describeError(e).summary}`,
          `"id: ${id}" at the top of the file`,
        );
      }
      // The file is as planned (its bytes hold no id): an edit saved meanwhile is still to be sent.
      recordSynced(ctx.synced, id, { hash: contentHash, path: action.path });
      return undefined;
    }
    let written: Awaited<ReturnType<typeof writeIdToFile>>;
    try {
      written = await writeIdToFile(resolve(ctx.cwd, action.path), id, dashboardFiles(ctx));
    } catch (e) {
      return idNotRecorded(
        id,
        `its id could not be written into the file: ${describeError(e).summary}`,
        `"id: ${id}" at the top of the file`,
      );
    }
    if (written === undefined)
      return idNotRecorded(
        id,
        'the file changed or went while it was being saved, so its id was not written',
        `"id: ${id}" at the top of the file`,
      );
    // An edit saved while the dashboard was being saved is kept in the file, but is not what the
    // workspace holds: record only the saved content, so the next plan sends the edit.
    const edited = action.fileHash !== undefined && byteHash(written.previous) !== action.fileHash;
    const fileHashUnlessEdited = edited ? {} : { fileHash: byteHash(written.text) };
    recordSynced(ctx.synced, id, { hash: contentHash, path: action.path, ...fileHashUnlessEdited });
    ctx.written.set(action.path, { byteHash: byteHash(written.text), fileId: id, ...(edited ? { edited } : {}) });
    return undefined;
  };

  // Once a token is refused (401) no other call will pass: the actions not started yet are not sent.
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  if (options.signal?.aborted) stop.abort();
  let tokenRefused = false;
  // Creates whose answer was lost or late at some point: the server may have made a second copy.
  const doubted = new Set<Action>();

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
      let idProblem: string | undefined;
      switch (action.kind) {
        case 'create': {
          const idsBefore = idsByProject.get(action.projectId) ?? new Set<string>();
          // The file's id, where the workspace lacks it: made under it where the server allows (create.ts).
          id = await client.save(
            action.projectId,
            { ...(action.recreateId ? { id: action.recreateId } : {}), ...action.local },
            idsBefore,
            { onDoubt: () => doubted.add(action) },
          );
          keepBase(ctx.state, action.local, action.localHash);
          idProblem = await recordId(action, id, action.localHash);
          break;
        }
        case 'update':
          id = await client.save(action.projectId, { id: action.id, ...action.local });
          keepBase(ctx.state, action.local, action.localHash);
          idProblem = await recordId(action, id, action.localHash);
          break;
        case 'link':
          id = action.id;
          idProblem = await recordId(action, id, action.hash);
          break;
        case 'delete':
          await client.delete(action.projectId, action.id);
          id = action.id;
          forgetSynced(ctx.synced, action.id);
          break;
      }
      const problem = idProblem ? { idNotWritten: idProblem, message: idProblem } : {};
      emit({ phase: 'done', action, id, ...problem });
      return { action, outcome: 'done', id, ...problem };
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'unauthorized' && !tokenRefused) {
        tokenRefused = true;
        stop.abort();
      }
      // As the server said it: the terminal reporter makes it inert, --json carries it as sent. A
      // save or delete whose answer was lost may have been made (a create's is looked for: create.ts).
      const unsure = e instanceof ApiError && e.outcomeUnknown && action.kind !== 'create';
      const message = unsure
        ? `${errorToText(e)}; it may have been done all the same (its answer was lost): the next plan shows whether it was`
        : errorToText(e);
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
    stop.signal,
  );
  bar?.stop();
  // Array.from, not map: actions never started are holes in the array, which map would skip.
  const outcomes = Array.from(
    results,
    (outcome, index) => outcome ?? { action: loaded.plan.actions[index]!, outcome: 'not-started' as const },
  );
  const unsent = outcomes.filter((outcome) => outcome.outcome === 'not-started').length;
  if (tokenRefused && unsent > 0)
    reporter.warn(
      `the token was refused (401): ${unsent} ${unsent === 1 ? 'change was' : 'changes were'} not sent; ` +
        'set a valid token and run again to send them',
    );
  if (doubted.size) await lookForCopies(ctx, outcomes, doubted, idsByProject);
  if (ctx.snapshot && createdWithoutFile.length)
    reporter.show({ type: 'ids-not-written', ref: ctx.snapshot.ref, created: createdWithoutFile });
  return outcomes;
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
    idsNotWritten: 0,
    duplicated: 0,
  };
  for (const { outcome, action, idNotWritten, copies } of outcomes) {
    if (idNotWritten) summary.idsNotWritten++;
    if (copies?.length) summary.duplicated++;
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

// What to do about a dashboard that was saved but whose id was recorded nowhere.
function idNotRecorded(id: string, what: string, byHand: string): string {
  return (
    `saved as id ${id}, but ${what}. Once that is fixed, the next apply finds the dashboard by its name ` +
    `and records its id (or add ${byHand} by hand)`
  );
}
