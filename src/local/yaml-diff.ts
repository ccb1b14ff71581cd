import { loadDiff } from '../util/lazy.js';
import { alignKeys } from '../core/canonical.js';
import type { DashboardContent, Json } from '../core/types.js';
import { toYamlText } from './yaml.js';

/**
 * Unified diff, hunks only, of a dashboard's YAML from `before` (the workspace) to `after` (the
 * file). Keys of `before` are put in the file's order first, so the diff shows only real changes.
 */
export function dashboardDiff(before: DashboardContent, after: DashboardContent, context = 3): string {
  const a = { name: after.name, definition: after.definition } as Json;
  const b = alignKeys({ name: before.name, definition: before.definition }, a);
  const patch = loadDiff().structuredPatch('remote', 'local', toYamlText(b), toYamlText(a), '', '', { context });
  const out: string[] = [];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const line of h.lines) if (!line.startsWith('\\')) out.push(line);
  }
  return out.join('\n');
}
