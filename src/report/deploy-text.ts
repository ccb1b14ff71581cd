import type { Plan } from '../core/types.js';
import { savedPaths, wantsDeploy } from '../core/deploy.js';
import type { DeployOptions } from '../core/deploy.js';
import { inert, quoted } from './style.js';
import type { Style } from './style.js';

/**
 * The lines a plan adds when it is to publish or bookmark: which apps (those it saves) and how.
 * Empty when there is nothing to add.
 */
export function deployPlanLines(plan: Plan, o: DeployOptions, style: Style): string {
  if (!wantsDeploy(o)) return '';
  const saved = savedPaths(plan);
  const steps = [
    o.bookmark !== undefined ? `bookmark the new checkpoint as ${quoted(o.bookmark)}` : '',
    o.publish ? 'publish' : '',
  ]
    .filter(Boolean)
    .join(', then ');
  if (saved.length === 0) return `\n${style.dim(`Nothing to ${o.publish ? 'publish' : 'bookmark'}: no app is saved.`)}`;
  return `\nAfter saving, for each of ${saved.length} ${saved.length === 1 ? 'app' : 'apps'}: ${steps}.\n${saved.map((p) => `  ${style.cyan('^')} ${inert(p)}`).join('\n')}`;
}

/** The plan's publish and bookmark steps as Markdown lines (pull-request comments); empty when none was asked. */
export function deployPlanMarkdown(plan: Plan, o: DeployOptions | undefined, code: (s: string) => string): string[] {
  if (!o || !wantsDeploy(o)) return [];
  const saved = savedPaths(plan);
  const steps = [
    o.bookmark !== undefined ? `bookmark the new checkpoint as ${code(o.bookmark)}` : '',
    o.publish ? 'publish' : '',
  ]
    .filter(Boolean)
    .join(', then ');
  if (saved.length === 0) return ['', `Nothing to ${o.publish ? 'publish' : 'bookmark'}: no app is saved.`];
  return [
    '',
    `After saving, for each of ${saved.length} ${saved.length === 1 ? 'app' : 'apps'}: ${steps}.`,
    '',
    ...saved.map((p) => `- <code>^</code> ${code(p)}`),
  ];
}
