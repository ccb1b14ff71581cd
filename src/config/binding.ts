import { UsageError } from '../errors.js';
import { BINDING_PATH } from '../local/binding.js';
import type { FolderBinding } from '../local/binding.js';
import type { Settings } from './resolve.js';

// The folder's binding is kept on disk by local/binding.ts; here it meets the settings.

/**
 * The settings to run with, given the folder's binding: a scope or api left to its default takes
 * the bound one; one set explicitly (flag, variable, dashsync.yaml) that differs is refused, since
 * it would mix two sets of dashboards in one folder.
 */
export function bindSettings(settings: Settings, bound: FolderBinding | undefined, dirShown: string): Settings {
  if (!bound) return settings;
  const clash = (what: 'scope' | 'api', flag: string): UsageError =>
    new UsageError(
      `${dirShown} is synced with ${what} ${bound[what]} of ${settings.url ?? 'this workspace'}, ` +
        `and this run asks for ${what} ${settings[what]}: refusing to mix them in one folder`,
      `drop ${flag} to use ${bound[what]}; to sync this folder with ${what} ${settings[what]} instead, ` +
        `delete ${BINDING_PATH} (beside dashsync.yaml) first`,
    );
  if (settings.chosen.scope && settings.scope !== bound.scope)
    throw clash('scope', '--scope (or DASHSYNC_SCOPE, or scope: in dashsync.yaml)');
  if (settings.chosen.api && settings.api !== bound.api) throw clash('api', 'api: from dashsync.yaml');
  return { ...settings, scope: bound.scope, api: bound.api };
}
