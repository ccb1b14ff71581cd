import { hasChanges, summarize } from '../core/plan-summary.js';
import type { Action, Plan } from '../core/types.js';
import type { ApplyResult } from '../contract/results.js';
import { applySummaryLine } from './apply-text.js';
import { CONFLICT_WORDS, MERGE_WORDS, holdOf, namesakeWords, remedyOf } from '../core/conflicts.js';
import { DEFAULT_DRIFT, DRIFT_DOES, DRIFT_WORDS, driftOf, driftedActions, pullCommandFor } from '../core/drift.js';
import { valueText } from './plan-notes.js';
import type { ThreeWay } from '../core/types.js';
import { ACTION_KINDS, symbolOf } from '../core/action-kinds.js';
import { APPLY_SKIPS_CONFLICT as SKIPS } from '../core/conflicts.js';
import { dashboardDiff } from '../local/yaml-diff.js';
import { toYamlText } from '../local/yaml.js';
import { planSummaryLine } from './plan-text.js';
import { deployPlanMarkdown } from './deploy-text.js';
import type { DeployOptions } from '../core/deploy.js';

/*
 * The plan as Markdown, for pull-request comments (`--format markdown`) and GitHub's job summary
 * (formats/github.ts): counts, then each dashboard, a collapsible diff under each update.
 */

/** Text with Markdown's special characters escaped, so a name cannot format the summary. */
const escapeMarkdown = (text: string): string => text.replace(/[\\`*_{}[\]()#+!|<>]/g, (char) => `\\${char}`);
const CONFLICT = '<b>CONFLICT</b>';
/** Text inside a ``` fence, with any fence in it defused. */
const fenced = (text: string): string => text.replace(/```/g, "'''");
/** Text as inline code, with any backtick in it defused. */
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** How a plan's Markdown is headed, and the publish and bookmark steps it was made with. */
export interface PlanMarkdownOptions {
  /** The heading; `dashsync plan` unless told. */
  title?: string;
  deploy?: DeployOptions | undefined;
}

/** A collapsible block: the summary line, and under it (after `before`) the content in a fence of that language. */
function collapsible(summary: string, language: string, content: string, before: string[] = []): string[] {
  return [
    `<details><summary>${summary}</summary>`,
    '',
    ...before,
    `\`\`\`${language}`,
    content,
    '```',
    '',
    '</details>',
    '',
  ];
}

/** A value in a table cell: inline code, cut where long, with the table's pipe defused. */
const cell = (text: string): string => code(text).replace(/\|/g, '\\|');

/** A three-way comparison as Markdown: a table of the conflicts (base, yours, theirs), then what each side alone changed. */
function threeWayMarkdown(threeWay: ThreeWay): string[] {
  const lines: string[] = [];
  if (threeWay.conflicts.length) {
    lines.push('| changed two ways | base | yours | theirs |', '|---|---|---|---|');
    for (const c of threeWay.conflicts)
      lines.push(
        `| ${cell(c.path)} | ${cell(valueText(c.base, 120))} | ${cell(valueText(c.yours, 120))} | ${cell(valueText(c.theirs, 120))} |`,
      );
    lines.push('');
  }
  const list = (paths: string[]): string => paths.map(code).join(', ');
  if (threeWay.yours.length) lines.push(`Changed only in the file: ${list(threeWay.yours)}`, '');
  if (threeWay.theirs.length) lines.push(`Changed only in the workspace: ${list(threeWay.theirs)}`, '');
  if (threeWay.both.length) lines.push(`Changed alike on both sides: ${list(threeWay.both)}`, '');
  return lines;
}

// The note after an update's summary: why it is held back or what it replaces, or why it is needed.
function updateNote(action: Extract<Action, { kind: 'update' }>): string {
  const hold = holdOf(action);
  const remedy = ` (${escapeMarkdown(remedyOf(action))})`;
  if (hold === 'same-name')
    return ` ${CONFLICT}: ${CONFLICT_WORDS['same-name']} (${escapeMarkdown(namesakeWords(action))}); apply skips it unless --adopt${remedy}`;
  if (hold === 'merge') return ` ${MERGE_WORDS}; ${SKIPS}${remedy}`;
  if (hold === 'both-changed') return ` ${CONFLICT}: ${CONFLICT_WORDS['both-changed']}; ${SKIPS}`;
  if (action.adopt) return ` (adopts dashboard ${code(action.id)} of the same name: replaces its content)`;
  if (action.reason === 'drift') return ' (reverts a change made in the workspace)';
  if (action.reason === 'local-edit' && action.threeWay)
    return ' (edited locally; the file already holds the change made in the workspace)';
  return '';
}

/** The drift section as Markdown: each drifted dashboard, and (under keep and fail) what changed in the workspace. */
function driftMarkdown(plan: Plan): string[] {
  const drifted = driftedActions(plan);
  if (drifted.length === 0) return [];
  const policy = plan.drift ?? DEFAULT_DRIFT;
  const lines = ['', `**Drift** (${DRIFT_WORDS}; \`--drift ${policy}\`):`, ''];
  for (const action of drifted) {
    const where = 'path' in action ? code(action.path) : code(`${action.folder}/`);
    const name = escapeMarkdown(JSON.stringify(action.name));
    const change = driftOf(action) === 'deleted' ? 'deleted in the workspace' : 'changed in the workspace';
    const does = policy === 'fail' ? `${DRIFT_DOES.fail}: ${pullCommandFor(action)}` : DRIFT_DOES[policy];
    const summary = `<code>&lt;</code> ${where} ${name} ${change}: ${escapeMarkdown(does)}`;
    if (policy === 'revert' || action.kind !== 'update') lines.push(`- ${summary}`);
    else lines.push(...collapsible(summary, 'diff', fenced(dashboardDiff(action.local, action.remote))));
  }
  return lines;
}

/** One action as Markdown: a line, or for creates and updates a collapsible block with what they send. */
function actionMarkdown(action: Action): string[] {
  const name = action.name ? ` ${escapeMarkdown(JSON.stringify(action.name))}` : '';
  // A dashboard with no file is named by its folder, its name and its id, in that order, as in the text plan.
  const where =
    'path' in action
      ? code(action.path)
      : `${code(`${action.folder}/`)}${name || ' (no name)'} (id ${code(action.id)})`;
  if (action.kind === 'update') {
    const hold = holdOf(action);
    const symbol = hold === 'merge' ? ACTION_KINDS.merge.symbol : symbolOf(action.kind, hold !== undefined);
    const diff = fenced(dashboardDiff(action.remote, action.local));
    const threeWay = action.threeWay ? threeWayMarkdown(action.threeWay) : [];
    return collapsible(`<code>${symbol}</code> ${where}${name}${updateNote(action)}`, 'diff', diff, threeWay);
  }
  if (action.kind === 'create') {
    // A reviewer must see what a new dashboard holds, not only that one appears.
    const conflict = action.deletedRemotely === 'conflict';
    const note = conflict
      ? ` ${CONFLICT}: ${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ${SKIPS}`
      : action.deletedRemotely === 'drift'
        ? ' (deleted in the workspace since the last sync: created again)'
        : '';
    const content = fenced(toYamlText({ name: action.local.name, definition: action.local.definition }).trimEnd());
    return collapsible(`<code>${symbolOf(action.kind, conflict)}</code> ${where}${name}${note}`, 'yaml', content);
  }
  if (action.kind === 'delete') {
    const note = action.conflict ? ` ${CONFLICT}: ${CONFLICT_WORDS['changed-remotely-file-gone']}; ${SKIPS}` : '';
    return [`- <code>${symbolOf(action.kind, action.conflict)}</code> ${where}${note}`];
  }
  if (action.kind === 'error')
    return [`- <code>${symbolOf(action.kind)}</code> ${where}${name} <b>ERROR</b>: ${escapeMarkdown(action.message)}`];
  return [`- <code>${symbolOf(action.kind)}</code> ${where}${name}`];
}

/** The plan as Markdown: counts, then one line per dashboard, updates with a collapsible diff. */
export function planMarkdown(
  plan: Plan,
  workspace: { url: string; scope: string; env?: string },
  options: PlanMarkdownOptions = {},
): string {
  const counts = summarize(plan);
  const lines: string[] = [];
  const title = options.title ?? 'dashsync plan';
  lines.push(`### ${title}${workspace.env ? `: ${escapeMarkdown(workspace.env)}` : ''}`, '');
  lines.push(
    `Workspace ${code(workspace.url)} (scope ${workspace.scope}): **${escapeMarkdown(planSummaryLine(plan))}**`,
    '',
  );
  if (hasChanges(plan) || counts.error || counts.conflict || counts.merge || counts.drift) {
    lines.push(
      '| create | update | delete | link | conflicts | to merge | drift | errors | unchanged |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    lines.push(
      `| ${counts.create} | ${counts.update} | ${counts.delete} | ${counts.link} ` +
        `| ${counts.conflict} | ${counts.merge} | ${counts.drift} | ${counts.error} | ${counts.unchanged} |`,
      '',
    );
  }
  for (const action of plan.actions) lines.push(...actionMarkdown(action));
  lines.push(...driftMarkdown(plan));
  const unmanaged = plan.unmanaged.length;
  if (unmanaged)
    lines.push(
      '',
      `${unmanaged === 1 ? '1 dashboard in the workspace has' : `${unmanaged} dashboards in the workspace have`} ` +
        'no file (not managed here).',
    );
  lines.push(...deployPlanMarkdown(plan, options.deploy, code));
  return `${lines.join('\n').trim()}\n`;
}

/** What apply did, as Markdown: the plan it carried out, then its summary line. */
export function applyMarkdown(result: ApplyResult): string {
  return (
    `${planMarkdown(result.plan, result.workspace, { title: 'dashsync apply' })}\n` +
    `**${applySummaryLine(result.summary)}**\n`
  );
}

/** A failed run as Markdown: a heading, and what the terminal said about it in a fence. */
export function failureMarkdown(command: string, lines: readonly string[]): string {
  return `### dashsync ${command}: failed\n\n\`\`\`\n${fenced(lines.join('\n'))}\n\`\`\`\n`;
}
