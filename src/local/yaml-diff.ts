import { loadDiff } from '../util/lazy.js';
import { alignKeys } from '../core/canonical.js';
import type { Action, DashboardContent, Json } from '../core/types.js';
import { toYamlText } from './yaml.js';

// A text as its lines are compared: without a byte-order mark, with LF line endings.
const comparable = (text: string): string =>
  (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n/g, '\n');

/**
 * Unified diff, hunks only, from one text to another: line numbers are those of the texts
 * themselves (`+` lines are numbered as in `after`).
 */
export function textDiff(before: string, after: string, context = 3): string {
  const patch = loadDiff().structuredPatch('before', 'after', comparable(before), comparable(after), '', '', {
    context,
  });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    // Lines starting with a backslash are diff's "No newline at end of file" notes: noise here.
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  return lines.join('\n');
}

/**
 * Unified diff, hunks only, of a dashboard's YAML from `before` (the workspace) to `after` (the
 * file), both written afresh. Keys of `before` are put in the file's order first, so the diff shows
 * only real changes. (Where the file was read, an update carries a diff on its own lines instead.)
 */
export function dashboardDiff(before: DashboardContent, after: DashboardContent, context = 3): string {
  const local = { name: after.name, definition: after.definition } as Json;
  const remote = alignKeys({ name: before.name, definition: before.definition }, local);
  return textDiff(toYamlText(remote), toYamlText(local), context);
}

/** The diff an update shows: on the file's own lines where the command read the file, else of two renderings. */
export function updateDiff(action: Extract<Action, { kind: 'update' }>): string {
  return action.diff ?? dashboardDiff(action.remote, action.local);
}
