import { API_NOUNS } from '../api/routes.js';
import type { CommandEvent } from '../contract/events.js';
import type { Plan } from '../core/types.js';
import { countOf } from '../core/words.js';
import { plannedDeploys, savedPaths, wantsDeploy } from '../core/deploy.js';
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

/** What a plan that deploys no app says instead of the steps, when the flags asked for some. */
function nothingToDeploy(plan: Plan, deploy: DeployOptions): string {
  const what = `Nothing to ${deploy.publish ? 'publish' : 'bookmark'}`;
  if (savedPaths(plan).length === 0) return `${what}: no app is saved.`;
  // Only `publish: false` in a file can leave out a saved app (a bookmark is never refused).
  return `${what}: each app saved keeps its draft (publish: false in its file).`;
}

/** `After saving, for each of 2 apps: ...`: the line above the list of saved apps. */
function afterSavingLine(count: number, steps: string): string {
  return `After saving, for each of ${countOf(count, API_NOUNS.apps)}: ${steps}.`;
}

/**
 * The apps a plan deploys, grouped by the steps they take (their files' own `publish:` and
 * `bookmark:` may differ from the flags'), in the plan's order; each group's steps in words.
 */
function deployGroups(
  plan: Plan,
  deploy: DeployOptions,
  label: (bookmark: string) => string,
): Array<{ steps: string; paths: string[] }> {
  const groups = new Map<string, string[]>();
  for (const planned of plannedDeploys(plan, deploy)) {
    const steps = stepsText(planned.steps, label);
    groups.set(steps, [...(groups.get(steps) ?? []), planned.path]);
  }
  return [...groups].map(([steps, paths]) => ({ steps, paths }));
}

/**
 * The lines a plan adds when it is to publish or bookmark: which apps (those it saves whose file or
 * flags ask for a step) and how. Empty when there is nothing to add.
 */
export function deployPlanLines(plan: Plan, deploy: DeployOptions, style: Style): string {
  const groups = deployGroups(plan, deploy, quoted);
  if (groups.length === 0) return wantsDeploy(deploy) ? `\n${style.dim(nothingToDeploy(plan, deploy))}` : '';
  return groups
    .map(({ steps, paths }) => {
      const apps = paths.map((path) => `  ${style.cyan('^')} ${inert(path)}`);
      return `\n${afterSavingLine(paths.length, steps)}\n${apps.join('\n')}`;
    })
    .join('');
}

/**
 * The plan's publish and bookmark steps as Markdown lines (pull-request comments); empty when none
 * is to be taken and none was asked.
 */
export function deployPlanMarkdown(
  plan: Plan,
  deploy: DeployOptions | undefined,
  code: (text: string) => string,
): string[] {
  const groups = deployGroups(plan, deploy ?? {}, code);
  if (groups.length === 0) return deploy && wantsDeploy(deploy) ? ['', nothingToDeploy(plan, deploy)] : [];
  return groups.flatMap(({ steps, paths }) => [
    '',
    afterSavingLine(paths.length, steps),
    '',
    ...paths.map((path) => `- <code>^</code> ${code(path)}`),
  ]);
}

/** A step taken after a save, as a line tells it: `published dashboards/crm/leads.yaml (id 7f3e...)`. */
export function deployStepText(
  event: Extract<CommandEvent, { type: 'published' | 'bookmarked' }>,
  style: Style,
): string {
  if (event.type === 'published') return `published ${inert(event.path)} ${style.dim(`(id ${inert(event.id)})`)}`;
  return (
    `bookmarked ${inert(event.path)} ` + style.dim(`(version ${inert(event.versionId)} as ${quoted(event.label)})`)
  );
}
