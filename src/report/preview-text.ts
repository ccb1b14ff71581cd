import type { CommandEvent } from '../contract/events.js';
import { inert } from './inert.js';
import type { TextOutlet } from './outlet.js';
import { timeOfDay } from './watch-text.js';

/*
 * What `dashsync preview` prints: where the page is and what it compares with, then one line per
 * file redrawn, with the time of day (hidden by --quiet, as watch's are).
 */

type PreviewEvent = Extract<CommandEvent, { type: 'previewing' | 'preview-compared' | 'preview-redrawn' }>;

const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;

/** Shows a preview event on the terminal. */
export function showPreviewEvent(event: PreviewEvent, outlet: TextOutlet): void {
  const { style } = outlet;
  switch (event.type) {
    case 'previewing': {
      outlet.result(`Preview of ${files(event.files)}: ${inert(event.url)}`);
      return outlet.info(style.dim(`Compared with ${inert(event.against.words)}. Ctrl-C to stop.`));
    }
    case 'preview-compared':
      if (event.failed) return outlet.warn(`compared with ${inert(event.against.words)}`);
      return outlet.info(
        style.dim(`Compared with ${inert(event.against.words)}: ${event.changed} changed, ${event.created} new.`),
      );
    case 'preview-redrawn': {
      const what = event.gone
        ? 'deleted'
        : event.problems
          ? style.red(`invalid (${event.problems} problem${event.problems === 1 ? '' : 's'})`)
          : event.changes
            ? `redrawn, ${event.changes} change${event.changes === 1 ? '' : 's'}`
            : 'redrawn';
      return outlet.info(`${style.dim(timeOfDay(event.at))}  ${inert(event.path)}: ${what}`);
    }
  }
}
