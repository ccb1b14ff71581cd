import type { ActionEvent } from '../../contract/execution.js';
import type { Reporter } from '../../contract/reporter.js';
import type { WatchNotice } from '../../contract/watch.js';

// How watch's notices (contract/watch.ts) reach the reporter, each as a `watch` event with its moment.

/** Shows a watch notice, stamped with the moment it happened. */
export function tell(reporter: Reporter, notice: WatchNotice): void {
  reporter.show({ type: 'watch', at: new Date(), notice });
}

/**
 * The reporter a watch session runs with: the executor's action events, the steps after the saves
 * (an app published or bookmarked) and the planner's warnings become watch notices (a watch log has
 * one line per event, each with its time), and every action event that ends also goes to `onEvent`
 * (for a library caller).
 */
export function watchReporter<R extends Reporter>(reporter: R, onEvent?: (event: ActionEvent) => void): R {
  return {
    ...reporter,
    show: (event) => {
      if (event.type === 'published') return tell(reporter, { kind: 'published', path: event.path, id: event.id });
      if (event.type === 'bookmarked') {
        const { path, versionId, label } = event;
        return tell(reporter, { kind: 'bookmarked', path, versionId, label });
      }
      reporter.show(event);
    },
    event: (event: ActionEvent) => {
      if (event.phase === 'started') return;
      onEvent?.(event);
      tell(reporter, { kind: 'action', event });
    },
    warn: (text: string) => tell(reporter, { kind: 'warning', text }),
  };
}
