import { driftStopWords } from '../core/drift.js';
import type { Plan } from '../core/types.js';
import { DriftError } from '../errors.js';

/**
 * Under `--drift fail`, a plan holding drift stops the run (plan and apply alike): the error names
 * every drifted dashboard and says how to bring the drift into git. Other policies pass.
 */
export function refuseDrift(plan: Plan, run: 'plan' | 'apply' | 'watch'): void {
  if (plan.drift !== 'fail' || !plan.drifted?.length) return;
  const { message, suggestion } = driftStopWords(plan.drifted, run);
  throw new DriftError(
    message,
    suggestion,
    plan.drifted.map((action) => ('path' in action ? action.path : action.name)),
  );
}
