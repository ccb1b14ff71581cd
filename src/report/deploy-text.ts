import type { Plan } from '../core/types.js';
import { savedPaths, wantsDeploy } from '../core/deploy.js';
import type { DeployOptions } from '../core/deploy.js';
import { inert } from './inert.js';
import { quoted } from './style.js';
import type { Style } from './style.js';

/** The steps each saved app gets, in order: `bookmark the new checkpoint as "v1", then publish`. */
function stepsText(deploy: DeployOptions, label: (bookmark: string) => string): string {
  return [
    deploy.bookmark !== undefined ? `bookmark the new checkpoint as ${label(deploy.bookmark)}` : '',
    deploy.publish ? 'publish' : '',
  ]
    .filter(Boolean)
    .join(', then ');
}

/** What a plan that saves no app says instead of the steps. */
function nothingToDeploy(deploy: DeployOptions): string {
  return `Nothing to ${deploy.publish ? 'publish' : 'bookmark'}: no app is saved.`;
}

/** `After saving, for each of 2 apps: ...`: the line above the list of saved apps. */
function afterSavingLine(count: number, steps: string): string {
  return `After saving, for each of ${count} ${count === 1 ? 'app' : 'apps'}: ${steps}.`;
}

/**
 * The lines a plan adds when it is to publish or bookmark: which apps (those it saves) and how.
 * Empty when there is nothing to add.
 */
export function deployPlanLines(plan: Plan, deploy: DeployOptions, style: Style): string {
  if (!wantsDeploy(deploy)) return '';
  const saved = savedPaths(plan);
  if (saved.length === 0) return `\n${style.dim(nothingToDeploy(deploy))}`;
  const apps = saved.map((path) => `  ${style.cyan('^')} ${inert(path)}`);
  return `\n${afterSavingLine(saved.length, stepsText(deploy, quoted))}\n${apps.join('\n')}`;
}

/**
 * The plan's publish and bookmark steps as Markdown lines (pull-request comments); empty when none
 * was asked.
 */
export function deployPlanMarkdown(
  plan: Plan,
  deploy: DeployOptions | undefined,
  code: (text: string) => string,
): string[] {
  if (!deploy || !wantsDeploy(deploy)) return [];
  const saved = savedPaths(plan);
  if (saved.length === 0) return ['', nothingToDeploy(deploy)];
  return [
    '',
    afterSavingLine(saved.length, stepsText(deploy, code)),
    '',
    ...saved.map((path) => `- <code>^</code> ${code(path)}`),
  ];
}
