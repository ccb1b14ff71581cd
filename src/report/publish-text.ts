import { API_NOUNS } from '../api/routes.js';
import type { CommandEvent } from '../contract/events.js';
import { publishStepNeeded } from '../core/deploy.js';
import type { AppPublish, PublishStatus } from '../core/types.js';
import { countOf } from '../core/words.js';
import { inert } from './inert.js';
import type { TextOutlet } from './outlet.js';
import { dashboardName } from './style.js';
import type { Style } from './style.js';

/*
 * Publish states in words (plan's lines for the apps it publishes without saving, `dashsync
 * publish` and `unpublish`'s preview and summary line).
 */

/** What viewers see, against the draft: `draft v3 ahead of published v2`. */
export function publishStatusText(status: PublishStatus): string {
  switch (status.state) {
    case 'unpublished':
      return `not published (draft v${status.draft}; viewers see nothing)`;
    case 'draft-ahead':
      return `draft v${status.draft} ahead of published v${status.published}`;
    case 'published':
      return `published, current (v${status.draft})`;
  }
}

/** An app's line: its symbol, file, name, and state. */
export function publishAppLine(symbol: string, app: AppPublish, style: Style, note?: string): string {
  return `  ${symbol} ${inert(app.path)}  ${dashboardName(app.name)}  ${style.dim(note ?? publishStatusText(app.status))}`;
}

// Whether the run acts on an app (core/deploy.ts).
const actsOn = (run: 'publish' | 'unpublish', app: AppPublish): boolean => publishStepNeeded(run, app.status);

type PublishPlanEvent = Extract<CommandEvent, { type: 'publish-plan' }>;

/** The last line of the preview: `Publish: 1 to publish, 2 current, 1 skipped.` */
export function publishPlanLine(event: Pick<PublishPlanEvent, 'run' | 'apps' | 'held'>): string {
  const acted = event.apps.filter((app) => actsOn(event.run, app)).length;
  const skipped = event.held.filter((held) => held.skipped).length;
  const current = event.apps.length - acted;
  const run = event.run === 'publish' ? 'Publish' : 'Unpublish';
  if (acted === 0 && skipped === 0)
    return event.run === 'publish'
      ? `Nothing to publish: the viewers of ${countOf(current, API_NOUNS.apps)} see ${current === 1 ? 'its' : 'their'} drafts.`
      : `Nothing to unpublish: ${countOf(current, API_NOUNS.apps)} already draft only.`;
  const parts = [`${acted} to ${event.run}`, `${current} ${event.run === 'publish' ? 'current' : 'draft only'}`];
  if (skipped) parts.push(`${skipped} skipped (see above)`);
  return `${run}: ${parts.join(', ')}.`;
}

/** `dashsync publish` and `unpublish`'s preview: one line per app, then the counts. */
export function showPublishPlan(event: PublishPlanEvent, outlet: TextOutlet): void {
  const { style } = outlet;
  const lines = event.apps.map((app) =>
    actsOn(event.run, app)
      ? publishAppLine(style.cyan(event.run === 'publish' ? '^' : 'v'), app, style)
      : publishAppLine('=', app, style),
  );
  for (const held of event.held)
    lines.push(`  ${held.skipped ? style.yellow('!') : '='} ${inert(held.path)}  ${style.dim(inert(held.why))}`);
  const last = publishPlanLine(event);
  if (!outlet.quiet) return outlet.info(`${lines.join('\n')}${lines.length ? '\n\n' : ''}${style.bold(last)}`);
  outlet.result(event.confirming ? `${lines.join('\n')}\n\n${last}` : last);
}

/** The summary line of publish and unpublish: `Publish complete: 2 published, 1 current.` */
export function publishSummaryLine(event: Extract<CommandEvent, { type: 'publish-done' }>): string {
  const { summary } = event;
  const verb = event.run === 'publish' ? 'published' : 'unpublished';
  const parts = [`${summary.done} ${verb}`, `${summary.current} ${event.run === 'publish' ? 'current' : 'draft only'}`];
  if (summary.skipped) parts.push(`${summary.skipped} skipped`);
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.notStarted) parts.push(`${summary.notStarted} not started`);
  const outcome = event.interrupted
    ? 'interrupted'
    : summary.failed
      ? 'finished with errors'
      : summary.skipped
        ? `incomplete (skipped apps were not ${verb})`
        : 'complete';
  return `${event.run === 'publish' ? 'Publish' : 'Unpublish'} ${outcome}: ${parts.join(', ')}.`;
}
