import type { AppReading } from '../../core/app.js';
import { canonicalJson } from '../../core/canonical.js';
import { readConfigFile } from '../../config/file.js';
import type { Settings } from '../../config/resolve.js';

/**
 * What the reading of app files needs to retarget pages: every project id a folder stands for
 * under the top level's and every environment's `projects:` (read from dashsync.yaml once).
 */
export function appReading(settings: Settings): AppReading {
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
  return { aliases, current: settings.projects, home: file.projects ?? {} };
}

/**
 * What the content read from app files depends on besides their bytes, for the file cache's
 * fingerprint: the variables, and the project maps (pages are retargeted).
 */
export function appReadingKey(settings: Settings, reading: AppReading): object {
  // One flat key: cacheFingerprint's key list filters nested objects' keys too, so nested variables
  // would not count (a change of a variable then left the cache, and its validation, in place).
  return {
    apps: canonicalJson({
      variables: settings.variables,
      projects: settings.projects,
      aliases: reading.aliases,
      home: reading.home ?? {},
    }),
  };
}

/** Every project id an app page may name and be known: the project folders, and every `projects:` map's. */
export function knownProjects(folderNames: string[], settings: Settings, reading: AppReading): Set<string> {
  return new Set([...folderNames, ...Object.values(reading.aliases).flat(), ...Object.values(settings.projects)]);
}
