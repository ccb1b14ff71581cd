import { GITHUB_COMMENT } from '../../ci/limits.js';
import { applyMarkdown, failureMarkdown, planMarkdown } from '../plan-markdown.js';
import type { FormatRenderer } from './format.js';

/**
 * Markdown on stdout, for a CI job to post as a pull-request comment: the plan (counts, per
 * dashboard its changes in words, a diagram of each changed page and a collapsible diff), what
 * apply did, or why the run failed. Cut to fit a GitHub comment, the smallest place it goes to.
 */
export const renderer: FormatRenderer = {
  end(end, outlet) {
    if (end.command === 'plan')
      outlet.write(
        planMarkdown(end.result.plan, end.result.workspace, { deploy: end.result.deploy, limit: GITHUB_COMMENT }),
      );
    else if (end.command === 'apply') outlet.write(applyMarkdown(end.result, { limit: GITHUB_COMMENT }));
  },
  failure(failure, outlet) {
    outlet.write(failureMarkdown(failure.command ?? '', failure.lines));
  },
};
