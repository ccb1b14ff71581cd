import { copiesMessage, findCopies } from '../core/claims.js';
import type { Action, RemoteSummary } from '../core/types.js';
import type { ActionOutcome } from '../contract/execution.js';
import { errorToText } from '../errors.js';
import { recordDoubt } from '../local/state.js';
import type { RemoteContext } from './open-run.js';

/*
 * The check after a run in which a create's answer was lost or late (remote/create.ts): the
 * server may have committed an attempt that dashsync, having found no trace of it, sent again.
 */

/**
 * Lists the workspace once more and, for each create in doubt, finds the dashboards of its name that
 * appeared during the run besides the one recorded: copies, told with what to delete and kept on the
 * outcome (`copies`, `message`). Every create in doubt is remembered in the sync state, so that a
 * plan or apply stops on a copy committed later still (load-plan.ts).
 */
export async function lookForCopies(
  ctx: RemoteContext,
  outcomes: ActionOutcome[],
  doubted: ReadonlySet<Action>,
  idsBefore: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  const settled = outcomes.filter(
    (outcome): outcome is ActionOutcome & { id: string } =>
      outcome.outcome === 'done' && outcome.id !== undefined && doubted.has(outcome.action),
  );
  if (!settled.length) return;
  let listed: RemoteSummary[] = [];
  try {
    listed = await ctx.client.listAll();
  } catch (e) {
    ctx.reporter.warn(
      `could not look for copies of the creates whose answer was lost (${errorToText(e)}): ` +
        'dashsync plan stops on any it finds',
    );
  }
  const at = new Date().toISOString();
  for (const outcome of settled) {
    const { action, id } = outcome;
    const name = action.kind === 'create' ? action.local.name : action.name;
    recordDoubt(ctx.state, ctx.workspaceKey, { projectId: action.projectId, name, id, at });
    const before = idsBefore.get(action.projectId);
    // Only what appeared during this run: a namesake that was there before is no copy of this create.
    const appeared = listed.filter((row) => row.id === id || !before?.has(row.id));
    const [found] = findCopies([{ projectId: action.projectId, name, id }], appeared);
    if (!found) continue;
    outcome.copies = found.copies;
    outcome.message = copiesMessage(found);
    ctx.reporter.warn(outcome.message);
  }
}
