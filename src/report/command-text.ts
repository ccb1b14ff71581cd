import type { CommandEvent } from '../contract/events.js';
import { countOf, problemLine } from '../core/words.js';
import { applySummaryLine } from './apply-text.js';
import { deployPlanLines, deployStepText } from './deploy-text.js';
import { publishSummaryLine, showPublishPlan } from './publish-text.js';
import type { TextOutlet } from './outlet.js';
import { commentLine } from './comment-text.js';
import { showPreviewEvent } from './preview-text.js';
import { noProjectFoldersLine, planSummaryLine, renderPlan, savedPlanNext } from './plan-text.js';
import { SEE_ABOVE, pullChangeLines, pullLiteralLines, pullSummaryLine } from './pull-text.js';
import { showHistoryEvent } from './history-text.js';
import { inert } from './inert.js';
import { inOutcomeColour } from './style.js';
import { validateSummary } from './validate-text.js';
import { showWatchNotice } from './watch-text.js';
import { showFormatsEvent } from './formats-text.js';

/*
 * What --quiet keeps: errors, and the final summary line of each command. A plan that is about to
 * be confirmed is always shown whole: nobody should be asked to approve what they cannot see.
 */

/** Shows a command's step on the terminal. */
export function showCommandEvent(event: CommandEvent, outlet: TextOutlet): void {
  const { style } = outlet;
  if (showHistoryEvent(event, outlet)) return;
  switch (event.type) {
    case 'plan': {
      // A folder with no project folders manages nothing: "Remote matches local files" would be false.
      const summary = event.unmanagedRemote
        ? style.bold(noProjectFoldersLine(event.unmanagedRemote.count, event.dir, event.unmanagedRemote.scope))
        : undefined;
      // Under --quiet only the summary line is shown: the plan's lines are not even drawn.
      if (outlet.quiet && !event.confirming)
        return outlet.result(summary ?? style.bold(planSummaryLine(event.plan, sourceOf(event).source)));
      let text = renderPlan(event.plan, { dir: event.dir, style, prune: event.prune, ...sourceOf(event) });
      if (summary) text = `${text.slice(0, text.lastIndexOf('\n') + 1)}${summary}`;
      const extra = deployPlanLines(event.plan, event.deploy ?? {}, style);
      return outlet.quiet ? outlet.result(text + extra) : outlet.info(text + extra);
    }
    case 'migrating':
      return outlet.info(
        // Environment names and URLs come from dashsync.yaml, which a pull request may change: inert.
        inert(`Migrating ${countOf(event.count, event.noun)} `) +
          inert(`from ${event.from} (${event.fromUrl}) to ${event.to} (${event.toUrl}):`) +
          '\n',
      );
    case 'plan-saved':
      return outlet.info(`\nPlan saved to ${event.file}. ${savedPlanNext(event)}`);
    case 'cancelled':
      return outlet.result(`${RUN_WORDS[event.run]} cancelled: nothing was changed.`);
    case 'executed': {
      const run = event.run === 'apply' ? 'Apply' : 'Migration';
      const line = applySummaryLine(event.summary, { interrupted: event.interrupted, run });
      return outlet.result(`${outlet.quiet ? '' : '\n'}${style.bold(line)}`);
    }
    case 'bookmarked':
    case 'published':
    case 'unpublished':
      return outlet.info(`  ${inOutcomeColour(style, 'done')}  ${deployStepText(event, style)}`);
    case 'step-failed':
      return outlet.result(
        `  ${inOutcomeColour(style, 'failed')}  ${inert(event.path)}: ${event.step} failed: ${inert(event.message)}`,
      );
    case 'publish-plan':
      return showPublishPlan(event, outlet);
    case 'publish-done':
      return outlet.result(`${outlet.quiet ? '' : '\n'}${style.bold(publishSummaryLine(event))}`);
    case 'validated':
      for (const warning of event.warnings) outlet.warn(problemLine(warning));
      // A problem's path (from disk) starts the line: the whole line is made inert.
      for (const problem of event.problems) outlet.result(inert(problemLine(problem)));
      return outlet.result(validateSummary(event.files, event.problems, event.noun));
    case 'pulled': {
      // What pull kept, left deleted or could not write is what its summary points to ("see
      // above"): --quiet shows it.
      const lines = pullChangeLines(event.changes, style);
      event.changes.forEach((change, at) => (SEE_ABOVE.has(change.kind) ? outlet.result : outlet.info)(lines[at]!));
      for (const line of pullLiteralLines(event.literals)) outlet.warn(line);
      return outlet.result(style.bold(pullSummaryLine(event)));
    }
    case 'initialized':
      for (const path of event.created) outlet.info(`  created ${path}`);
      for (const path of event.updated) outlet.info(`  updated ${path}`);
      outlet.info(`\nNext:\n${event.next.map((line) => `  ${line}`).join('\n')}`);
      if (!event.schemas.resolves)
        outlet.info(
          `\nEditors find the schemas at ${event.schemas.path}/ once this repository installs dashsync ` +
            'as a dev dependency (README: "Install").',
        );
      return;
    case 'serving': {
      outlet.info(`dashsync emulator listening on ${event.url}`);
      if ('random' in event.token) outlet.info(`token (random, for this run): ${event.token.random}`);
      if (event.dataFile)
        outlet.info(`data kept in ${event.dataFile.path} (${event.dataFile.loaded} dashboards loaded)`);
      if (event.faults) outlet.info(`latency ${event.faults.latencyMs} ms, fail rate ${event.faults.failRate}`);
      // Name the token as it was given: --token wins over DASHSYNC_TOKEN, and neither value is printed.
      const token =
        'random' in event.token
          ? event.token.random
          : event.token.given === 'flag'
            ? '<the --token value>'
            : '$DASHSYNC_TOKEN';
      return outlet.info(`try: curl -H "Authorization: Bearer ${token}" ${event.url}/dashboards/list?scope=user`);
    }
    case 'commented':
      return outlet.result(commentLine(event.comment));
    case 'previewing':
    case 'preview-compared':
    case 'preview-redrawn':
      return showPreviewEvent(event, outlet);
    case 'watch':
      return showWatchNotice(event, outlet);
    case 'imported':
    case 'exported':
      return showFormatsEvent(event, outlet);
  }
}

/** A run's name at the head of its lines. */
const RUN_WORDS = { apply: 'Apply', migrate: 'Migration', publish: 'Publish', unpublish: 'Unpublish' } as const;

// The source of a migration's plan, as a key only where there is one (the options say "absent").
function sourceOf(event: { source?: string }): { source?: string } {
  return event.source === undefined ? {} : { source: event.source };
}
