import { loadDiff } from '../util/lazy.js';
import { alignKeys } from '../core/canonical.js';
import type { DashboardContent, Json } from '../core/types.js';
import { toYamlText } from './yaml.js';

/**
 * Unified diff, hunks only, of a dashboard's YAML from `before` (the workspace) to `after` (the
 * file). Keys of `before` are put in the file's order first, so the diff shows only real changes.
 */
export function dashboardDiff(before: DashboardContent, after: DashboardContent, context = 3): string {
  const local = { name: after.name, definition: after.definition } as Json;
  const remote = alignKeys({ name: before.name, definition: before.definition }, local);
  const patch = loadDiff().structuredPatch('remote', 'local', toYamlText(remote), toYamlText(local), '', '', {
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
