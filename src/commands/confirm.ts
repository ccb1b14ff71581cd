import { UsageError } from '../errors.js';
import type { Reporter } from './events.js';

/** What the user is asked to approve: a run's changes, and the workspace they go to. */
export type ConfirmRequest =
  { run: 'apply'; url: string; scope: string; env?: string } | { run: 'migrate'; url: string; to: string };

/** Asks the user to approve a request; resolves true to go ahead. The CLI asks on the terminal. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

/**
 * The one confirmation rule of apply and migrate: `yes` goes ahead unasked; without a way to ask
 * (no terminal), nothing changes and the run fails; otherwise the user is asked, and any answer
 * but yes cancels. Returns true to go ahead.
 */
export async function confirmed(
  request: ConfirmRequest,
  options: { yes?: boolean; confirm?: Confirm; reporter: Reporter },
): Promise<boolean> {
  if (options.yes) return true;
  if (!options.confirm)
    throw new UsageError(
      `${request.run} needs confirmation, and there is no terminal to ask on: nothing was changed`,
      `pass --yes to ${request.run} without asking`,
    );
  if (await options.confirm(request)) return true;
  options.reporter.show({ type: 'cancelled', run: request.run });
  return false;
}
