import { UsageError } from '../errors.js';
import { quote } from '../core/words.js';

/*
 * Words for `migrate`, whose plan is made of the source workspace's dashboards instead of files:
 * messages written for files ("move the file back") would send the user looking for files that
 * do not exist.
 */

/**
 * An error action's message, reworded for a migration where the core speaks of files. `source`:
 * the project the dashboard is copied from, named in the `--project SOURCE=TARGET` it suggests.
 */
export function migrateErrorMessage(message: string, to: string, source: string): string {
  const inOtherProject = /^id (\S+) belongs to project (.+), not (.+); move the file back/.exec(message);
  if (inOtherProject) {
    const [, id, project, expected] = inOtherProject;
    return (
      `dashboard ${id} already exists in ${to}, in project ${project}, not ${expected}; copy into that project ` +
      `(--project ${source}=${project}, or map the folder under projects: in ${to}) or delete it there first`
    );
  }
  return message.replace(/add the right one's id to the file/, `rename or delete the duplicates in ${to}`);
}

/** The error for `--project` naming a project the source environment does not have. */
export function unknownSourceProject(
  given: string,
  projectId: string,
  from: string,
  scope: string,
  present: ReadonlySet<string>,
): UsageError {
  const named = given === projectId ? quote(given) : `${quote(given)} (project ${quote(projectId)})`;
  const sourceProjects = [...present].sort();
  return new UsageError(
    `project ${named} has no dashboards in ${from} (scope ${scope}): nothing to migrate from it`,
    sourceProjects.length
      ? `projects in ${from}: ${sourceProjects.slice(0, 20).join(', ')}${sourceProjects.length > 20 ? ', ...' : ''}`
      : `${from} holds no dashboards in scope ${scope}`,
  );
}
