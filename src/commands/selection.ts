import type { ProjectFolder } from '../core/types.js';
import { UsageError } from '../errors.js';
import { projectIdOf } from '../local/folder.js';
import { quote } from '../core/words.js';

/*
 * `--project` must name something: a typo that selects nothing would otherwise end in "No
 * changes" and exit 0, and a CI job would go green having checked nothing.
 */

// At most 20 names in a hint: a workspace can hold hundreds of projects.
const list = (names: string[]): string =>
  names.length > 20 ? `${names.slice(0, 20).join(', ')}, ...` : names.join(', ');

/** Throws, naming each `--project` that matches no project folder (by folder name or project id). */
export function requireSelectedFolders(
  projects: string[] | undefined,
  folders: ProjectFolder[],
  allFolders: string[],
  dirShown: string,
): void {
  const unknown = (projects ?? []).filter(
    (project) => !folders.some((folder) => folder.folder === project || folder.projectId === project),
  );
  if (unknown.length === 0) return;
  throw new UsageError(
    `--project ${unknown.map((project) => quote(project)).join(', ')}: no such project folder in ${dirShown}`,
    allFolders.length
      ? `project folders here: ${list([...allFolders].sort())}`
      : `${dirShown} has no project folders yet: dashsync pull brings the workspace in`,
  );
}

/**
 * For pull: throws, naming each `--project` that is neither in the workspace (in this scope) nor a
 * local project folder: there is nothing to pull into it.
 */
export function requirePullableProjects(
  projects: string[],
  projectMap: Record<string, string>,
  remote: ReadonlySet<string>,
  localFolders: ProjectFolder[],
  scope: string,
): void {
  const unknown = projects.filter((project) => {
    const id = projectIdOf(project, projectMap);
    return !remote.has(id) && !localFolders.some((folder) => folder.folder === project || folder.projectId === id);
  });
  if (unknown.length === 0) return;
  throw new UsageError(
    `--project ${unknown.map((project) => quote(project)).join(', ')}: ` +
      `no such project in the workspace (scope ${scope}), and no folder for it here`,
    remote.size
      ? `projects in the workspace: ${list([...remote].sort())}`
      : `the workspace holds no dashboards in scope ${scope}; is --scope right?`,
  );
}
