import type { AppPublish } from '../../core/types.js';
import type { DeployOutcome } from '../../contract/execution.js';
import { errorToText } from '../../errors.js';
import { mapPool } from '../../util/pool.js';
import type { PublishStep, SaveSteps } from '../flavour.js';

/*
 * Publishing and unpublishing apps that a run does not save: those apply publishes because their
 * viewers are behind the draft (a publish that failed after an earlier save), and those
 * `dashsync publish` and `dashsync unpublish` select. The draft is published as the server holds it:
 * the caller has made sure it is what the files say (a plan with no change for it).
 */

/**
 * Publishes (or unpublishes) each app, with the run's concurrency; each is reported as it is done
 * or fails, and a failure of one does not stop the others. Returns what became of each, in order.
 */
export async function publishApps(
  io: SaveSteps & { concurrency: number; signal?: AbortSignal | undefined },
  apps: readonly AppPublish[],
  step: PublishStep,
): Promise<DeployOutcome[]> {
  const { client, reporter } = io;
  const results = await mapPool(
    apps,
    io.concurrency,
    async (app): Promise<DeployOutcome> => {
      const outcome: DeployOutcome = { path: app.path, projectId: app.projectId, id: app.id };
      try {
        const call = step === 'publish' ? client.publish : client.unpublish;
        if (!call) throw new Error(`this client cannot ${step}`);
        await call.call(client, app.projectId, app.id);
        if (step === 'publish') outcome.published = true;
        else outcome.unpublished = true;
        reporter.show({ type: step === 'publish' ? 'published' : 'unpublished', path: app.path, id: app.id });
      } catch (e) {
        // As sent: the result carries the server's words; the terminal reporter makes them inert.
        outcome.message = errorToText(e);
        reporter.show({ type: 'step-failed', path: app.path, step, message: outcome.message });
      }
      return outcome;
    },
    io.signal,
  );
  // Ctrl-C: the apps not started are left as they were, and said so.
  return Array.from(results, (done, at) => done ?? { ...pick(apps[at]!), notStarted: true });
}

function pick(app: AppPublish): DeployOutcome {
  return { path: app.path, projectId: app.projectId, id: app.id };
}
