import type { JsonPlan, JsonPublishing } from '../local/plan-file.js';

/*
 * The publish steps of a saved plan (apps): `apply PLANFILE` publishes exactly the apps that were
 * reviewed as to be published without a save, and refuses when that changed since: an app whose
 * draft moved (someone saved it), one published meanwhile, or a new one to publish.
 */

// The apps a plan publishes without saving them, by file.
function toPublish(plan: JsonPlan): Map<string, JsonPublishing> {
  return new Map((plan.publishing ?? []).filter((app) => app.publish).map((app) => [app.path, app]));
}

/** What differs in the publish steps between a saved plan and the plan now; empty when the same. */
export function stalePublishingReasons(saved: JsonPlan, now: JsonPlan): string[] {
  const reasons: string[] = [];
  const current = toPublish(now);
  for (const [path, planned] of toPublish(saved)) {
    const same = current.get(path);
    current.delete(path);
    if (!same) reasons.push(`^ ${path}: no longer to publish (published or changed since the plan was made)`);
    else if (same.id !== planned.id || same.draft !== planned.draft || same.published !== planned.published)
      reasons.push(`^ ${path}: the app's versions changed in the workspace since the plan was made`);
  }
  for (const added of current.keys()) reasons.push(`^ ${added}: a new publish, not in the plan`);
  return reasons;
}
