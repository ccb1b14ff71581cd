import type {
  ApplyResult,
  MigrateResult,
  PlanResult,
  PublishResult,
  PullResult,
  RestoreResult,
  ValidateResult,
} from './contract/results.js';
import { hasChanges, skippedConflicts, summarize } from './core/plan-summary.js';
import { InterruptedError } from './errors.js';

/**
 * Exit codes, the same for every command: 0 success (for plan --detailed-exitcode: no changes),
 * 1 error, 2 plan has changes (only with --detailed-exitcode), 130 interrupted. The README's
 * "Exit codes" table documents this file; the CLI sets the code from these functions alone.
 */
export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

/** A run that threw: interrupted (Ctrl-C, or Ctrl-D at the question) or failed. */
export function exitCodeOfError(error: unknown): number {
  return error instanceof InterruptedError ? EXIT.interrupted : EXIT.error;
}

/** validate: any problem fails the run. */
export function validateExitCode(result: ValidateResult): number {
  return result.problems.length ? EXIT.error : EXIT.ok;
}

/** plan: errors, and conflicts apply would skip, mean apply would not deploy everything: exit 1. */
export function planExitCode(result: PlanResult, options: { detailedExitcode?: boolean }): number {
  if (summarize(result.plan).error > 0 || skippedConflicts(result.plan) > 0) return EXIT.error;
  return options.detailedExitcode && hasChanges(result.plan) ? EXIT.changes : EXIT.ok;
}

/**
 * Done, but not as asked: an id recorded nowhere (the next run must find the dashboard by its name),
 * or a create the server made twice (a copy to delete).
 */
function doneWithProblems(summary: ApplyResult['summary']): boolean {
  return summary.idsNotWritten > 0 || summary.duplicated > 0;
}

/**
 * apply: declining the confirmation exits 1, as Terraform does: the run did not do what it was
 * asked. Skipped work (a conflict) was not deployed: the run fails, as it does for a failure.
 */
export function applyExitCode(result: ApplyResult): number {
  const { summary } = result;
  return summary.failed > 0 || summary.skipped > 0 || doneWithProblems(summary) || !result.applied
    ? EXIT.error
    : EXIT.ok;
}

/** pull: dashboards that could not be written as valid files: the others were pulled, but the run failed. */
export function pullExitCode(result: PullResult): number {
  return result.changes.some((change) => change.kind === 'refused') ? EXIT.error : EXIT.ok;
}

/** migrate: as apply; with --dry-run --detailed-exitcode, as plan. */
export function migrateExitCode(
  result: MigrateResult,
  options: { dryRun?: boolean; detailedExitcode?: boolean },
): number {
  const failed = result.summary.failed > 0 || doneWithProblems(result.summary);
  if (failed || summarize(result.plan).error > 0 || (!result.applied && !options.dryRun)) return EXIT.error;
  return options.dryRun && options.detailedExitcode && hasChanges(result.plan) ? EXIT.changes : EXIT.ok;
}

/** restore: as the pull that writes the restored version into its file. */
export function restoreExitCode(result: RestoreResult): number {
  return pullExitCode(result.pulled);
}

/**
 * publish and unpublish: as apply, an app that failed or was skipped (its file has changes not
 * applied, it is not in the workspace) fails the run, and so does declining the confirmation.
 */
export function publishExitCode(result: PublishResult): number {
  const { summary } = result;
  return summary.failed > 0 || summary.skipped > 0 || summary.notStarted > 0 || !result.applied ? EXIT.error : EXIT.ok;
}
