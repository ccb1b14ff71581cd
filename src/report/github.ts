import { hasChanges, summarize } from '../core/plan-summary.js';
import type { Plan, Problem } from '../core/types.js';
import { CONFLICT_WORDS } from '../core/conflicts.js';
import { symbolOf } from '../core/action-kinds.js';
import { APPLY_SKIPS_CONFLICT as SKIPS } from '../core/conflicts.js';
import { dashboardDiff } from '../local/yaml-diff.js';
import { toYamlText } from '../local/yaml.js';
import { summaryLine } from './plan-text.js';
import { deployPlanMarkdown } from './deploy-text.js';
import type { DeployOptions } from '../commands/deploy-apps.js';

/*
 * CI output: GitHub Actions workflow commands (file annotations) and the Markdown summary that
 * plan and apply append to $GITHUB_STEP_SUMMARY, which `plan --format markdown` also prints for
 * any CI that posts pull-request comments.
 */

/** True inside a GitHub Actions job. */
export const inGitHubActions = (env: NodeJS.ProcessEnv): boolean => env.GITHUB_ACTIONS === 'true';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error file=...,line=...,col=...::message` line per problem: annotations on the pull request. */
export function annotations(problems: Problem[]): string {
  return problems
    .map(
      (p) =>
        `::error file=${escapeProperty(p.path)},line=${p.line},col=${p.col},title=dashsync::${escapeData(p.message)}\n`,
    )
    .join('');
}

const md = (s: string): string => s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
const CONFLICT = '<b>CONFLICT</b>';
/** Text inside a ``` fence, with any fence in it defused. */
const fenced = (s: string): string => s.replace(/```/g, "'''");
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** The plan as Markdown: counts, then one line per dashboard, updates with a collapsible diff. */
export function planMarkdown(
  plan: Plan,
  workspace: { url: string; scope: string; env?: string },
  title = 'dashsync plan',
  deploy?: DeployOptions,
): string {
  const c = summarize(plan);
  const out: string[] = [];
  out.push(`### ${title}${workspace.env ? `: ${md(workspace.env)}` : ''}`, '');
  out.push(`Workspace ${code(workspace.url)} (scope ${workspace.scope}): **${md(summaryLine(plan))}**`, '');
  if (hasChanges(plan) || c.error || c.conflict) {
    out.push(
      '| create | update | delete | link | conflicts | errors | unchanged |',
      '|---:|---:|---:|---:|---:|---:|---:|',
    );
    out.push(
      `| ${c.create} | ${c.update} | ${c.delete} | ${c.link} | ${c.conflict} | ${c.error} | ${c.unchanged} |`,
      '',
    );
  }
  for (const a of plan.actions) {
    const where = 'path' in a ? code(a.path) : `${code(`${a.folder}/`)} (id ${code(a.id)})`;
    const name = a.name ? ` ${md(JSON.stringify(a.name))}` : '';
    if (a.kind === 'update') {
      const diff = fenced(dashboardDiff(a.remote, a.local));
      const conflict = a.reason === 'conflict';
      out.push(
        `<details><summary><code>${symbolOf(a.kind, conflict)}</code> ${where}${name}${conflict ? ` ${CONFLICT}: ${CONFLICT_WORDS['both-changed']}; ${SKIPS}` : a.reason === 'drift' ? ' (reverts a change made in the workspace)' : ''}</summary>`,
        '',
        '```diff',
        diff,
        '```',
        '',
        '</details>',
        '',
      );
    } else if (a.kind === 'create') {
      // A reviewer must see what a new dashboard holds, not only that one appears.
      const conflict = a.deletedRemotely === 'conflict';
      const note = conflict
        ? ` ${CONFLICT}: ${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ${SKIPS}`
        : a.deletedRemotely === 'drift'
          ? ' (deleted in the workspace since the last sync: created again)'
          : '';
      const content = fenced(toYamlText({ name: a.local.name, definition: a.local.definition }).trimEnd());
      out.push(
        `<details><summary><code>${symbolOf(a.kind, conflict)}</code> ${where}${name}${note}</summary>`,
        '',
        '```yaml',
        content,
        '```',
        '',
        '</details>',
        '',
      );
    } else if (a.kind === 'delete') {
      out.push(
        `- <code>${symbolOf(a.kind, a.conflict)}</code> ${where}${name}${a.conflict ? ` ${CONFLICT}: ${CONFLICT_WORDS['changed-remotely-file-gone']}; ${SKIPS}` : ''}`,
      );
    } else if (a.kind === 'error') {
      out.push(`- <code>${symbolOf(a.kind)}</code> ${where}${name} <b>ERROR</b>: ${md(a.message)}`);
    } else {
      out.push(`- <code>${symbolOf(a.kind)}</code> ${where}${name}`);
    }
  }
  const n = plan.unmanaged.length;
  if (n)
    out.push(
      '',
      `${n === 1 ? '1 dashboard in the workspace has' : `${n} dashboards in the workspace have`} no file (not managed here).`,
    );
  out.push(...deployPlanMarkdown(plan, deploy, code));
  return `${out.join('\n').trim()}\n`;
}
