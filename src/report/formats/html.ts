import { failureHtml, planHtml } from '../html/index.js';
import { htmlPlanOf } from '../html/from-plan.js';
import type { OutputFormat } from './format.js';

/**
 * The plan as one self-contained HTML page on stdout (`dashsync plan --format html > plan.html`),
 * for a CI job to keep as an artifact: each change in words and its before and after drawn side by
 * side. Nothing in it is fetched. A failed run is a page saying why.
 */
export const htmlFormat: OutputFormat = {
  name: 'html',
  about: 'one self-contained HTML page on stdout, with the before and after of each change drawn',
  renders: ['plan'],
  ownsStdout: true,
  end(end, outlet) {
    if (end.command === 'plan') outlet.write(planHtml(htmlPlanOf(end.result.plan, end.result.workspace)));
  },
  failure(failure, outlet) {
    outlet.write(failureHtml(failure.command ?? '', failure.lines));
  },
};
