import type { ExecutionSummary } from '../contract/execution.js';

/** Which run a summary line is about: apply, or migrate (which copies between workspaces). */
export interface SummaryLineOptions {
  /** Ctrl-C stopped the run before every action started. */
  interrupted?: boolean;
  /** The run's name at the head of the line; `Apply` unless told. */
  run?: 'Apply' | 'Migration';
}

/** Summary line of an execution, e.g. `Apply complete: 2 created, 1 updated, 0 deleted.` */
export function applySummaryLine(summary: ExecutionSummary, options: SummaryLineOptions = {}): string {
  const parts = [`${summary.created} created`, `${summary.updated} updated`, `${summary.deleted} deleted`];
  if (summary.linked) parts.push(`${summary.linked} linked`);
  if (summary.published) parts.push(`${summary.published} published`);
  if (summary.skipped) parts.push(`${summary.skipped} skipped`);
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.notStarted) parts.push(`${summary.notStarted} not started`);
  // Done, but not as asked: said after the counts they are part of.
  if (summary.idsNotWritten)
    parts.push(`${summary.idsNotWritten} ${summary.idsNotWritten === 1 ? 'id' : 'ids'} not recorded (see above)`);
  if (summary.duplicated) parts.push(`${summary.duplicated} made twice by the server (see above)`);
  const run = options.run ?? 'Apply';
  const outcome = options.interrupted
    ? 'interrupted'
    : summary.failed || summary.idsNotWritten || summary.duplicated
      ? 'finished with errors'
      : summary.skipped
        ? 'incomplete (skipped changes were not deployed)'
        : 'complete';
  return `${run} ${outcome}: ${parts.join(', ')}.`;
}
