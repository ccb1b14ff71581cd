import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { JsonAction, JsonPlan } from '../report/plan-json.js';
import { writeFileAtomic } from '../local/fsutil.js';

/**
 * Saved plans (`plan --out FILE`, `apply FILE`): the documented plan JSON, with the options it was
 * made with and, per action, hashes of what it was computed from. Applying it recomputes the plan
 * and refuses, naming what moved, unless the two are the same action for action: what runs is
 * exactly what was reviewed. The file never holds a token.
 */

/** Writes a plan file. */
export async function writePlanFile(path: string, plan: JsonPlan): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(plan, null, 2)}\n`);
}

/** Reads and checks a plan file. */
export async function readPlanFile(path: string): Promise<JsonPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read plan file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let plan: JsonPlan;
  try {
    plan = JSON.parse(text) as JsonPlan;
  } catch {
    throw new UsageError(`${path} is not a plan file (not JSON)`, 'make one with dashsync plan --out FILE');
  }
  if (plan?.format !== 'dashsync-plan/1' || !Array.isArray(plan.actions) || !plan.workspace) throw new UsageError(`${path} is not a dashsync plan file (format dashsync-plan/1)`);
  return plan;
}

function key(a: JsonAction): string {
  return `${a.action} ${a.path ?? `${a.projectId}/${a.id}`}`;
}

function describe(a: JsonAction): string {
  const sym = { create: '+', update: '~', delete: '-', link: '=', error: 'x' }[a.action];
  return `${sym} ${a.path ?? `${a.project}/ ${JSON.stringify(a.name)} (id ${a.id})`}`;
}

/** What differs between a saved plan and the plan as it would be now; empty when they are the same. */
export function stalePlanReasons(saved: JsonPlan, now: JsonPlan): string[] {
  const reasons: string[] = [];
  if (saved.workspace.url !== now.workspace.url || saved.workspace.scope !== now.workspace.scope) {
    return [`the plan was made for ${saved.workspace.url} (scope ${saved.workspace.scope}), not ${now.workspace.url} (scope ${now.workspace.scope})`];
  }
  const current = new Map(now.actions.map((a) => [key(a), a]));
  for (const a of saved.actions) {
    const c = current.get(key(a));
    current.delete(key(a));
    if (!c) reasons.push(`${describe(a)}: no longer needed (changed since the plan was made)`);
    else if (c.localHash !== a.localHash) reasons.push(`${describe(a)}: the file changed since the plan was made`);
    else if (c.remoteHash !== a.remoteHash || c.id !== a.id) reasons.push(`${describe(a)}: the dashboard changed in the workspace since the plan was made`);
  }
  for (const c of current.values()) reasons.push(`${describe(c)}: a new change, not in the plan`);
  return reasons;
}
