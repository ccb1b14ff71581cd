import type { CommandEvent } from '../contract/events.js';
import { problemLine } from '../core/words.js';
import { inert } from './inert.js';
import type { TextOutlet } from './outlet.js';

/*
 * What import and export say on a terminal: the file written, from which file, and what to run next.
 * Names and paths come from files a pull request may change: inert.
 */

/** Shows what import or export wrote. */
export function showFormatsEvent(
  event: Extract<CommandEvent, { type: 'imported' } | { type: 'exported' }>,
  outlet: TextOutlet,
): void {
  if (event.type === 'exported') {
    const { exported } = event;
    outlet.result(
      inert(`Exported ${exported.from} to ${exported.path} ("${exported.name}", project ${exported.projectId}): `) +
        "import it from the Apps catalog's header.",
    );
    return;
  }
  const { imported } = event;
  for (const warning of imported.warnings) outlet.warn(inert(problemLine(warning)));
  const what = imported.kind === 'px' ? 'px app file' : 'catalog export';
  const id = imported.id ? `, the app ${imported.id} it already is` : ', a new app';
  outlet.result(
    inert(`Imported ${what} ${imported.from} to ${imported.path} (project ${imported.projectId}${id}): `) +
      'review it, then dashsync plan.',
  );
}
