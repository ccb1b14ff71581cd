import { failureHtml, planHtml } from '../html/index.js';
import { htmlPlanOf } from '../html/from-plan.js';
import type { FormatRenderer } from './format.js';

/**
 * The plan as one self-contained HTML page on stdout (`dashsync plan --format html > plan.html`),
 * for a CI job to keep as an artifact: each change in words and its before and after drawn side by
 * side. Nothing in it is fetched. A failed run is a page saying why.
 */
export const renderer: FormatRenderer = {
  end(end, outlet) {
    if (end.command === 'plan') outlet.write(planHtml(htmlPlanOf(end.result.plan, end.result.workspace)));
  },
  failure(failure, outlet) {
    outlet.write(failureHtml(failure.command ?? '', failure.lines));
  },
};
