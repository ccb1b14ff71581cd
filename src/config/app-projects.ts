import type { AppReading } from '../core/app.js';
import { canonicalJson } from '../core/canonical.js';
import { readConfigFile } from './file.js';
import type { Settings } from './resolve.js';

const readings = new WeakMap<Settings, AppReading>();

/**
 * In apps mode, what the reading of files needs to retarget pages: every project id a folder stands
 * for under the top level's and every environment's `projects:`. Undefined in dashboards mode.
 */
export function appReading(settings: Settings): AppReading | undefined {
  if (settings.api !== 'apps') return undefined;
  let reading = readings.get(settings);
  if (!reading) {
    const file = settings.configPath ? readConfigFile(settings.configPath, settings.root) : {};
    const maps = [
      file.projects ?? {},
      settings.projects,
      ...Object.values(file.environments ?? {}).map((environment) => environment.projects ?? {}),
    ];
    const aliases: Record<string, string[]> = {};
    for (const map of maps) {
      for (const [folder, id] of Object.entries(map)) {
        const list = (aliases[folder] ??= [folder]);
        if (!list.includes(id)) list.push(id);
      }
    }
    reading = { aliases, current: settings.projects, home: file.projects ?? {} };
    readings.set(settings, reading);
  }
  return reading;
}

/**
 * What the content read from files depends on besides their bytes, for the file cache's
 * fingerprint: the variables, and in apps mode the project maps (pages are retargeted).
 */
export function readingDependsOn(settings: Settings): object {
  const reading = appReading(settings);
  // One flat key: cacheFingerprint's key list filters nested objects' keys too, so nested variables
  // would not count (a change of a variable then left the cache, and its validation, in place).
  return reading
    ? {
        apps: canonicalJson({
          variables: settings.variables,
          projects: settings.projects,
          aliases: reading.aliases,
          home: reading.home ?? {},
        }),
      }
    : settings.variables;
}
