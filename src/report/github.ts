import { hasChanges, summarize } from '../core/plan.js';
import type { Plan, Problem } from '../core/types.js';
import { dashboardDiff } from './diff.js';
import { summaryLine } from './plan-text.js';

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
  return problems.map((p) => `::error file=${escapeProperty(p.path)},line=${p.line},col=${p.col},title=dashsync::${escapeData(p.message)}\n`).join('');
}

const md = (s: string): string => s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** The plan as Markdown: counts, then one line per dashboard, updates with a collapsible diff. */
export function planMarkdown(plan: Plan, workspace: { url: string; scope: string; env?: string }, title = 'dashsync plan'): string {
  const c = summarize(plan);
  const out: string[] = [];
  out.push(`### ${title}${workspace.env ? `: ${md(workspace.env)}` : ''}`, '');
  out.push(`Workspace ${code(workspace.url)} (scope ${workspace.scope}): **${md(summaryLine(plan))}**`, '');
  if (hasChanges(plan) || c.error || c.conflict) {
    out.push('| create | update | delete | link | conflicts | errors | unchanged |', '|---:|---:|---:|---:|---:|---:|---:|');
    out.push(`| ${c.create} | ${c.update} | ${c.delete} | ${c.link} | ${c.conflict} | ${c.error} | ${c.unchanged} |`, '');
  }
  for (const a of plan.actions) {
    const where = 'path' in a ? code(a.path) : `${code(`${a.folder}/`)} (id ${code(a.id)})`;
    const name = a.name ? ` ${md(JSON.stringify(a.name))}` : '';
    if (a.kind === 'update') {
      const diff = dashboardDiff(a.remote, a.local).replace(/```/g, "'''");
      out.push(`<details><summary><code>~</code> ${where}${name}${a.reason === 'conflict' ? ' <b>(conflict)</b>' : a.reason === 'drift' ? ' (reverts a change made in the workspace)' : ''}</summary>`, '', '```diff', diff, '```', '', '</details>', '');
    } else {
      const sym = { create: '+', delete: '-', link: '=', error: 'x' }[a.kind];
      out.push(`- <code>${sym}</code> ${where}${name}${a.kind === 'error' ? `: ${md(a.message)}` : ''}`);
    }
  }
  if (plan.unmanaged.length) out.push('', `${plan.unmanaged.length} dashboards in the workspace have no file (not managed here).`);
  return `${out.join('\n').trim()}\n`;
}
