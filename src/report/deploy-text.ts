import type { Plan } from '../core/types.js';
import { saves, wantsDeploy } from '../commands/deploy-apps.js';
import type { DeployOptions } from '../commands/deploy-apps.js';
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

/** The paths of the apps a plan saves: those apply would publish or bookmark. */
function savedPaths(plan: Plan): string[] {
  return plan.actions.filter(saves).map((a) => ('path' in a ? a.path : a.name));
}

/** What `plan --json` says of publishing and bookmarking (apps): absent when neither was asked. */
export interface JsonDeploy {
  publish: boolean;
  /** The label each new checkpoint gets. */
  bookmark?: string;
  /** The files of the apps that would be saved, then bookmarked and/or published. */
  paths: string[];
}

/** The plan's publish and bookmark steps as `plan --json` gives them; undefined when none was asked. */
export function deployPlanJson(plan: Plan, o: DeployOptions | undefined): JsonDeploy | undefined {
  if (!o || !wantsDeploy(o)) return undefined;
  return {
    publish: o.publish === true,
    ...(o.bookmark !== undefined ? { bookmark: o.bookmark } : {}),
    paths: savedPaths(plan),
  };
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
