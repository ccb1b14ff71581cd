import { API_NOUNS } from '../../api/routes.js';
import { mapPageProjects } from '../../core/app.js';
import type { AppReading } from '../../core/app.js';
import type { Settings } from '../../config/resolve.js';
import { projectFolderNames } from '../../local/folder.js';
import type { Flavour } from '../flavour.js';
import { checkAppSteps, deployApps } from './deploy.js';
import { definitionForFile } from './file.js';
import { publishApps } from './publish.js';
import { appReading, appReadingKey, knownProjects } from './projects.js';
import { appFileReading } from './reading.js';
import { appFilesNotes } from './validation.js';

/*
 * The Apps API: an app file is checked as the app it renders to and its pages follow the projects
 * of the workspace at hand (id and name are the file's own, never the definition's); pull writes
 * pages as the file names them; after a save, the app is bookmarked and published as its file's
 * `publish:` and `bookmark:` and the flags ask.
 */

/** The apps flavour for a run with these settings. */
export function appsFlavour(settings: Settings): Flavour {
  let projects: AppReading | undefined;
  // dashsync.yaml's project maps are read once, when a file first needs them.
  const reading = (): AppReading => (projects ??= appReading(settings));
  const fileReading = appFileReading(reading);
  return {
    api: 'apps',
    noun: API_NOUNS.apps,
    reading: fileReading,
    readingKey: () => appReadingKey(settings, reading()),
    fileDefinition: (definition, folder, currentText) =>
      definitionForFile(definition, folder, reading(), settings.variables, currentText),
    // An app copied to another project points its pages at that project (and at what the target
    // maps each other folder to).
    copied: (app, project) => ({ name: app.name, definition: mapPageProjects(app.definition, project) }),
    validateFiles: (cwd, paths) =>
      appFilesNotes(
        cwd,
        paths,
        knownProjects(projectFolderNames(settings.dir), settings, reading()),
        settings.variables,
        fileReading,
      ),
    requireVersions: () => undefined,
    checkSteps: checkAppSteps,
    requireApps: () => {},
    afterSaves: deployApps,
    publishApps,
  };
}
