import { hasChanges, summarize } from '../core/plan-summary.js';
import type { Action, Plan } from '../core/types.js';
import type { ApplyResult } from '../contract/results.js';
import { applySummaryLine } from './apply-text.js';
import { CONFLICT_WORDS } from '../core/conflicts.js';
import { symbolOf } from '../core/action-kinds.js';
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

/** A collapsible block: the summary line, and under it the content in a fence of that language. */
function collapsible(summary: string, language: string, content: string): string[] {
  return [`<details><summary>${summary}</summary>`, '', `\`\`\`${language}`, content, '```', '', '</details>', ''];
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
    const conflict = action.reason === 'conflict';
    const note = conflict
      ? ` ${CONFLICT}: ${CONFLICT_WORDS['both-changed']}; ${SKIPS}`
      : action.reason === 'drift'
        ? ' (reverts a change made in the workspace)'
        : '';
    const diff = fenced(dashboardDiff(action.remote, action.local));
    return collapsible(`<code>${symbolOf(action.kind, conflict)}</code> ${where}${name}${note}`, 'diff', diff);
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
  if (hasChanges(plan) || counts.error || counts.conflict) {
    lines.push(
      '| create | update | delete | link | conflicts | errors | unchanged |',
      '|---:|---:|---:|---:|---:|---:|---:|',
    );
    lines.push(
      `| ${counts.create} | ${counts.update} | ${counts.delete} | ${counts.link} ` +
        `| ${counts.conflict} | ${counts.error} | ${counts.unchanged} |`,
      '',
    );
  }
  for (const action of plan.actions) lines.push(...actionMarkdown(action));
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
