import { API_NOUNS } from '../../api/routes.js';
import { wantsDeploy } from '../../core/deploy.js';
import type { Settings } from '../../config/resolve.js';
import { UsageError } from '../../errors.js';
import { PLAIN_READING } from '../../local/file-reading.js';
import type { FileReading } from '../../local/file-reading.js';
import type { Flavour } from '../flavour.js';

/*
 * The Dashboards API: a file is read as it is written, pulled as the server sends it, and nothing
 * follows a save. It has no versions and no publishing, so an app's `publish:` and `bookmark:` are
 * errors in its files, and --publish and --bookmark are refused.
 */

const NO_PUBLISHING = 'is for apps (api: apps): the dashboards API has no publishing; remove it';

/** Reading a dashboards file: the plain reading, with the keys of app files refused at the key. */
const READING: FileReading = {
  ...PLAIN_READING,
  refused: {
    publish: NO_PUBLISHING,
    bookmark: 'is for apps (api: apps): the dashboards API has no versions to bookmark; remove it',
  },
};

/** The dashboards flavour for a run with these settings. */
export function dashboardsFlavour(settings: Settings): Flavour {
  return {
    api: 'dashboards',
    noun: API_NOUNS.dashboards,
    reading: READING,
    // Only the variables change what a file renders to.
    readingKey: () => settings.variables,
    fileDefinition: (definition) => definition,
    copied: (dashboard) => dashboard,
    validateFiles: () => Promise.resolve({ problems: [], warnings: [] }),
    requireVersions(command) {
      throw new UsageError(
        `${command} needs the /apps API: the dashboards API keeps no versions`,
        'set api: apps in dashsync.yaml; with the dashboards API, roll back with dashsync apply --ref HEAD~1',
      );
    },
    checkSteps(flags) {
      if (!wantsDeploy(flags)) return;
      throw new UsageError(
        `${flags.publish ? '--publish' : '--bookmark'} needs the /apps API: versions and publishing are apps' own`,
        'set api: apps in dashsync.yaml',
      );
    },
    requireApps(command) {
      throw new UsageError(
        `dashsync ${command} is for apps (api: apps): the catalog's and px's files hold app definitions; set api: apps in dashsync.yaml`,
      );
    },
    afterSaves: () => Promise.resolve([]),
    publishApps: () => Promise.resolve([]),
  };
}
