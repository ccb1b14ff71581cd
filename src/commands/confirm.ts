import type { Confirm, ConfirmRequest } from '../contract/confirm.js';
import type { Reporter } from '../contract/reporter.js';
import { UsageError } from '../errors.js';

/*
 * The confirmation rules of apply and migrate. A run that has nothing to carry out returns before
 * it gets here (apply: no action at all; migrate: nothing that changes the target); what reaches
 * `confirmed` is decided by these two functions alone.
 */

/**
 * True when the run will put its plan to the user: no --yes, not a dry run, and a way to ask (a
 * terminal). The plan it shows is then whole, even with --quiet: nobody approves what they cannot see.
 */
export function willAsk(options: { yes?: boolean; dryRun?: boolean; confirm?: Confirm }): boolean {
  return !options.yes && !options.dryRun && options.confirm !== undefined;
}

/**
 * Whether to go ahead: `yes` goes ahead unasked; without a way to ask (no terminal), nothing
 * changes and the run fails; otherwise the user is asked, and any answer but yes cancels.
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
