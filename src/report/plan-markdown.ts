import { hasChanges, summarize } from '../core/plan-summary.js';
import type { Plan } from '../core/types.js';
import type { CommentRenderer } from '../contract/comment.js';
import type { ApplyResult } from '../contract/results.js';
import type { DeployOptions } from '../core/deploy.js';
import { roomIn, sizeIn } from '../ci/limits.js';
import type { TextLimit } from '../ci/limits.js';
import { applySummaryLine } from './apply-text.js';
import { planSummaryLine } from './plan-text.js';
import { deployPlanMarkdown } from './deploy-text.js';
import { actionMarkdown, code, collapsible, escapeMarkdown, fenced } from './markdown-action.js';
import { DEFAULT_DRIFT, DRIFT_DOES, DRIFT_WORDS, driftOf, driftedActions, pullCommandFor } from '../core/drift.js';
import { dashboardDiff } from '../local/yaml-diff.js';

/*
 * The plan as Markdown, for pull-request comments (`--format markdown`, `dashsync comment`) and
 * GitHub's job summary (formats/github.ts): counts, then each dashboard (markdown-action.ts). Where
 * the text must fit a place (a comment holds 65,536 characters on GitHub), it is cut between
 * dashboards, with a last line saying how many are left out and where the whole plan is.
 */

/** How a plan's Markdown is headed, what it is to fit, and the publish and bookmark steps it was made with. */
export interface PlanMarkdownOptions {
  /** The heading; `dashsync plan` unless told. */
  title?: string;
  deploy?: DeployOptions | undefined;
  /** The place the text is for: it is cut to fit. */
  limit?: TextLimit;
  /** Where the whole plan is, for a cut one (a URL of the job's artifacts); else the HTML format is named. */
  whole?: string;
}

/** The plan as Markdown: counts, then one block per dashboard; cut to `limit` when given. */
export function planMarkdown(
  plan: Plan,
  workspace: { url: string; scope: string; env?: string },
  options: PlanMarkdownOptions = {},
): string {
  return fittedPlanMarkdown(plan, workspace, options).text;
}

/** planMarkdown, and whether it was cut to fit. */
export function fittedPlanMarkdown(
  plan: Plan,
  workspace: { url: string; scope: string; env?: string },
  options: PlanMarkdownOptions = {},
): { text: string; cut: boolean } {
  const counts = summarize(plan);
  const head: string[] = [];
  const title = options.title ?? 'dashsync plan';
  head.push(`### ${title}${workspace.env ? `: ${escapeMarkdown(workspace.env)}` : ''}`, '');
  head.push(
    `Workspace ${code(workspace.url)} (scope ${workspace.scope}): **${escapeMarkdown(planSummaryLine(plan))}**`,
    '',
  );
  if (hasChanges(plan) || counts.error || counts.conflict || counts.merge || counts.drift) {
    head.push(
      '| create | update | delete | link | conflicts | to merge | drift | errors | unchanged |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${counts.create} | ${counts.update} | ${counts.delete} | ${counts.link} ` +
        `| ${counts.conflict} | ${counts.merge} | ${counts.drift} | ${counts.error} | ${counts.unchanged} |`,
      '',
    );
  }
  // Drift is never cut: it is what a reviewer (and the drift check's issue) must see.
  const tail: string[] = [...driftMarkdown(plan)];
  const unmanaged = plan.unmanaged.length;
  if (unmanaged)
    tail.push(
      '',
      `${unmanaged === 1 ? '1 dashboard in the workspace has' : `${unmanaged} dashboards in the workspace have`} ` +
        'no file (not managed here).',
    );
  tail.push(...deployPlanMarkdown(plan, options.deploy, code));
  const whole = (blocks: string[]): string => `${[...head, ...blocks, ...tail].join('\n').trim()}\n`;
  const blocks = plan.actions.map((action) => actionMarkdown(action).join('\n'));
  const full = whole(blocks);
  const limit = options.limit;
  if (!limit || sizeIn(limit, full) <= roomIn(limit)) return { text: full, cut: false };
  return { text: cutToFit(plan, blocks, whole, limit, options.whole), cut: true };
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

// The plan cut to fit the limit. A reviewer is better served by every dashboard's changes in words
// than by the diagrams and YAML of a few: when the words of all fit, each dashboard is told, and
// the first ones in full as long as room is left; else as many as fit, in words. A last line says
// what is left out and where the whole plan is.
function cutToFit(
  plan: Plan,
  blocks: string[],
  whole: (blocks: string[]) => string,
  limit: TextLimit,
  where: string | undefined,
): string {
  const total = plan.actions.length;
  const note = (left: number, brief: number): string =>
    `**The plan is cut here: ${
      left > 0 ? `${left} more of ${total} not shown` : `the diagrams and YAML of ${brief} of ${total} left out`
    }** (${limit.what} holds at most ${limit.max.toLocaleString('en-US')} ${limit.unit}). The whole plan: ` +
    (where ? `<${where}>` : 'the HTML plan of this job (`dashsync plan --format html`, kept as an artifact).');
  // Sizes add up as blocks are kept (each joined by a line break): an upper bound of the text's
  // size, which trimming only makes smaller, without joining the text again for every block.
  const size = (text: string): number => sizeIn(limit, text) + 1;
  const room = roomIn(limit) - size(whole([])) - size('') - size(note(total, total));
  const briefs = plan.actions.map((action) => actionMarkdown(action, { brief: true }).join('\n'));
  const kept: string[] = [];
  let used = 0;
  if (briefs.reduce((sum, brief) => sum + size(brief), 0) <= room) {
    kept.push(...briefs);
    used = briefs.reduce((sum, brief) => sum + size(brief), 0);
    for (let i = 0; i < blocks.length; i++) {
      const more = size(blocks[i]!) - size(briefs[i]!);
      if (used + more > room) break;
      kept[i] = blocks[i]!;
      used += more;
    }
    const brief = kept.filter((block, i) => block !== blocks[i]).length;
    return whole([...kept, '', note(0, brief)]);
  }
  for (const brief of briefs) {
    if (used + size(brief) > room) break;
    kept.push(brief);
    used += size(brief);
  }
  return whole([...kept, '', note(total - kept.length, kept.length)]);
}

/** The plan as `dashsync comment` posts it: its Markdown, cut to fit the platform's comment. */
export const commentMarkdown: CommentRenderer = (result, fit) =>
  fittedPlanMarkdown(result.plan, result.workspace, {
    deploy: result.deploy,
    limit: fit.limit,
    ...(fit.whole ? { whole: fit.whole } : {}),
  });

/** What apply did, as Markdown: the plan it carried out, then its summary line. */
export function applyMarkdown(result: ApplyResult, options: Pick<PlanMarkdownOptions, 'limit' | 'whole'> = {}): string {
  const summary = `**${applySummaryLine(result.summary)}**\n`;
  // The summary line is always there: the plan above it is cut to leave room for it.
  const limit = options.limit && {
    ...options.limit,
    reserved: (options.limit.reserved ?? 0) + sizeIn(options.limit, summary) + 1,
  };
  const plan = planMarkdown(result.plan, result.workspace, {
    title: 'dashsync apply',
    ...(limit ? { limit } : {}),
    ...(options.whole ? { whole: options.whole } : {}),
  });
  return `${plan}\n${summary}`;
}

/** A failed run as Markdown: a heading, and what the terminal said about it in a fence. */
export function failureMarkdown(command: string, lines: readonly string[]): string {
  return `### dashsync ${command}: failed\n\n\`\`\`\n${fenced(lines.join('\n'))}\n\`\`\`\n`;
}
