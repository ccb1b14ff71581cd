import { API_NOUNS } from '../api/routes.js';
import type { CommandEvent } from '../contract/events.js';
import type { Plan } from '../core/types.js';
import { countOf } from '../core/words.js';
import { pendingPublishes, plannedDeploys, savedPaths, wantsDeploy } from '../core/deploy.js';
import type { DeployOptions } from '../core/deploy.js';
import { inert } from './inert.js';
import { publishAppLine, publishStatusText } from './publish-text.js';
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

/** The line above the apps a plan publishes without saving them. */
function publishingLine(count: number): string {
  return `Publish, unchanged since their last save: ${countOf(count, API_NOUNS.apps)} whose viewers do not see the draft.`;
}

/** The line that counts the apps asked to be published whose viewers already see their drafts. */
function currentLine(plan: Plan): string | undefined {
  const current = (plan.publishing ?? []).length - pendingPublishes(plan).length;
  return current ? `Published and current: ${countOf(current, API_NOUNS.apps)} (viewers see the draft).` : undefined;
}

/**
 * The lines a plan adds when it is to publish or bookmark: which apps (those it saves whose file or
 * flags ask for a step) and how; then the apps it publishes without saving them (their viewers
 * behind the draft), and how many are current. Empty when there is nothing to add.
 */
export function deployPlanLines(plan: Plan, deploy: DeployOptions, style: Style): string {
  const groups = deployGroups(plan, deploy, quoted);
  const pending = pendingPublishes(plan);
  const current = currentLine(plan);
  const publishing =
    (pending.length
      ? `\n${publishingLine(pending.length)}\n${pending.map((app) => publishAppLine(style.cyan('^'), app, style)).join('\n')}`
      : '') + (current ? `\n${style.dim(current)}` : '');
  if (groups.length === 0)
    return pending.length || !wantsDeploy(deploy)
      ? publishing
      : `\n${style.dim(nothingToDeploy(plan, deploy))}${publishing}`;
  return (
    groups
      .map(({ steps, paths }) => {
        const apps = paths.map((path) => `  ${style.cyan('^')} ${inert(path)}`);
        return `\n${afterSavingLine(paths.length, steps)}\n${apps.join('\n')}`;
      })
      .join('') + publishing
  );
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
  const pending = pendingPublishes(plan);
  const current = currentLine(plan);
  const publishing = [
    ...(pending.length
      ? [
          '',
          publishingLine(pending.length),
          '',
          ...pending.map((app) => `- <code>^</code> ${code(app.path)}: ${publishStatusText(app.status)}`),
        ]
      : []),
    ...(current ? ['', current] : []),
  ];
  if (groups.length === 0)
    return pending.length || !deploy || !wantsDeploy(deploy)
      ? publishing
      : ['', nothingToDeploy(plan, deploy), ...publishing];
  return [
    ...groups.flatMap(({ steps, paths }) => [
      '',
      afterSavingLine(paths.length, steps),
      '',
      ...paths.map((path) => `- <code>^</code> ${code(path)}`),
    ]),
    ...publishing,
  ];
}

/** A step taken after a save, as a line tells it: `published dashboards/crm/leads.yaml (id 7f3e...)`. */
export function deployStepText(
  event: Extract<CommandEvent, { type: 'published' | 'unpublished' | 'bookmarked' }>,
  style: Style,
): string {
  if (event.type !== 'bookmarked') return `${event.type} ${inert(event.path)} ${style.dim(`(id ${inert(event.id)})`)}`;
  return (
    `bookmarked ${inert(event.path)} ` + style.dim(`(version ${inert(event.versionId)} as ${quoted(event.label)})`)
  );
}
