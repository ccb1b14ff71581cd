import { symbolOf } from '../../core/action-kinds.js';
import { actionChanges } from '../../core/changes/index.js';
import type { Plan, Workspace } from '../../core/types.js';
import { planSummaryLine } from '../plan-text.js';
import type { HtmlPlan, HtmlPlanItem } from './index.js';

/*
 * A plan as the page draws it: each create, update and delete an item with its changes and its
 * before and after; links and errors as lines after them.
 */

/** The page of a plan made against `workspace`. */
export function htmlPlanOf(plan: Plan, workspace: Workspace, title = 'dashsync plan'): HtmlPlan {
  const items: HtmlPlanItem[] = [];
  const notes: string[] = [];
  for (const action of plan.actions) {
    switch (action.kind) {
      case 'create':
        items.push({ path: action.path, kind: 'create', after: action.local, changes: actionChanges(action) });
        break;
      case 'update':
        items.push({
          path: action.path,
          kind: 'update',
          before: action.remote,
          after: action.local,
          changes: actionChanges(action),
        });
        break;
      case 'delete':
        items.push({ path: `${action.folder}/ "${action.name}" (id ${action.id})`, kind: 'delete', changes: [] });
        break;
      case 'link':
        notes.push(
          `${symbolOf('link')} ${action.path}: the same as ${action.id} in the workspace; only its id is written`,
        );
        break;
      case 'error':
        notes.push(`${symbolOf('error')} ${action.path}: ${action.message}`);
        break;
    }
  }
  const where = `Workspace ${workspace.url} (scope ${workspace.scope}${workspace.env ? `, environment ${workspace.env}` : ''})`;
  return { title, subtitle: `${where}: ${planSummaryLine(plan)}`, items, notes };
}
