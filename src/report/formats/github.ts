import { appendFile } from 'node:fs/promises';
import type { Problem } from '../../core/types.js';
import { FileError } from '../../errors.js';
import { workflowData, workflowProperty } from '../inert.js';
import { GITHUB_SUMMARY } from '../../ci/limits.js';
import { applyMarkdown, planMarkdown } from '../plan-markdown.js';
import type { FormatOutlet, FormatRenderer } from './format.js';

/*
 * GitHub Actions: the terminal's text, plus a workflow command per problem in a file (an annotation
 * on the pull request) and the plan, or what apply did, appended to the job's summary page
 * ($GITHUB_STEP_SUMMARY). Inside GitHub Actions it is on by itself, beside any chosen format.
 */

/** One `::error file=...,line=...,col=...::message` line per problem: annotations on the pull request. */
export function annotations(problems: readonly Problem[], level: 'error' | 'warning' = 'error'): string {
  return problems
    .map(
      (problem) =>
        `::${level} file=${workflowProperty(problem.path)},line=${problem.line},col=${problem.col},` +
        `title=dashsync::${workflowData(problem.message)}\n`,
    )
    .join('');
}

/**
 * Appends Markdown to the job's summary page, when the job has one. A summary that cannot be
 * written is a warning, never the run's failure: the plan or apply itself went as it said.
 */
async function stepSummary(markdown: () => string, outlet: FormatOutlet): Promise<void> {
  const file = outlet.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  // Made only when it is written: for 1,000 new dashboards it is most of an apply's CPU time.
  try {
    await appendFile(file, `${markdown()}\n`);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    outlet.warn(`the job summary was not written: cannot append to ${file} (GITHUB_STEP_SUMMARY): ${why}`);
  }
}

/** The GitHub Actions format. */
export const renderer: FormatRenderer = {
  async end(end, outlet) {
    if (end.command === 'validate')
      outlet.write(annotations(end.result.problems) + annotations(end.result.warnings ?? [], 'warning'));
    else if (end.command === 'plan') {
      const { plan, workspace, deploy } = end.result;
      await stepSummary(() => planMarkdown(plan, workspace, { deploy, limit: GITHUB_SUMMARY }), outlet);
    } else if (end.command === 'apply' && end.result.applied && end.result.outcomes.length > 0)
      await stepSummary(() => applyMarkdown(end.result, { limit: GITHUB_SUMMARY }), outlet);
  },
  failure(failure, outlet) {
    if (failure.error instanceof FileError) outlet.write(annotations(failure.error.problems));
  },
};
