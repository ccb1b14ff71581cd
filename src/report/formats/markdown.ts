import { applyMarkdown, failureMarkdown, planMarkdown } from '../plan-markdown.js';
import type { OutputFormat } from './format.js';

/**
 * Markdown on stdout, for a CI job to post as a pull-request comment: the plan (counts, a
 * collapsible diff per dashboard), what apply did, or why the run failed.
 */
export const markdownFormat: OutputFormat = {
  name: 'markdown',
  about: 'Markdown on stdout, for pull-request comments',
  renders: ['plan', 'apply'],
  ownsStdout: true,
  end(end, outlet) {
    if (end.command === 'plan')
      outlet.write(planMarkdown(end.result.plan, end.result.workspace, { deploy: end.result.deploy }));
    else if (end.command === 'apply') outlet.write(applyMarkdown(end.result));
  },
  failure(failure, outlet) {
    outlet.write(failureMarkdown(failure.command ?? '', failure.lines));
  },
};
