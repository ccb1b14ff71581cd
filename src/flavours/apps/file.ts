import { appDefinitionForFile } from '../../core/app.js';
import type { AppReading } from '../../core/app.js';
import type { Json, JsonObject } from '../../core/types.js';
import { render } from '../../core/variables.js';
import type { Variables } from '../../core/variables.js';
import { parseYaml } from '../../local/yaml.js';

/**
 * The definition a pull writes to an app file of `folder`: pages bound to what a folder stands for
 * in the workspace at hand are written as the file's `currentText` had them (when they name the
 * same folder), else as the folder's own id at the top level, so that plan reads the file back to
 * exactly the workspace's app and no line moves needlessly.
 */
export function definitionForFile(
  definition: JsonObject,
  folder: string,
  reading: AppReading,
  variables: Variables,
  currentText?: string,
): JsonObject {
  let fileProjects: Array<{ written: Json; rendered: string } | undefined> = [];
  if (currentText !== undefined) {
    try {
      const pages = (parseYaml(currentText).value as { definition?: { pages?: unknown } } | null)?.definition?.pages;
      if (Array.isArray(pages)) {
        fileProjects = pages.map((page: unknown) => {
          const written = (page as { project?: { id?: Json } } | null)?.project?.id;
          if (written === undefined) return undefined;
          const rendered = render(written, variables).value;
          return typeof rendered === 'string' ? { written, rendered } : undefined;
        });
      }
    } catch {
      // An unreadable file has nothing to keep: the folder's own ids are written.
    }
  }
  return appDefinitionForFile(definition, folder, reading, fileProjects);
}
