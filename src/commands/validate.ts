import { UsageError } from '../errors.js';
import { appReading } from '../config/app-projects.js';
import { appFilesNotes } from '../local/app-validation.js';
import type { CommonOptions } from '../contract/options.js';
import type { ValidateResult } from '../contract/results.js';
import type { Problem } from '../core/types.js';
import { validationCounts } from '../core/validation.js';
import { projectFolderNames } from '../local/folder.js';
import { openLocal } from './open-run.js';
import { readLocal } from './read-local.js';
import { requireSelectedFolders, selectionOf } from './selection.js';
import { runScope } from '../core/selection.js';

/**
 * Checks every dashboard file offline: it parses, holds exactly id, name and definition with the
 * right types, no two files share an id, no two id-less files of a project share a name, and every
 * folder resolves to its own project. Also validates dashsync.yaml (a bad one throws a FileError).
 * A dashboards folder that does not exist is an error: a CI job must not pass on a wrong --dir.
 * In apps mode (`api: apps`) each file is also checked as an app definition (the app vocabulary and
 * the references between its parts), with the same code the emulator validates saves with: its
 * errors are problems, its warnings are shown and never fail validation.
 */
export async function validate(options: CommonOptions = {}): Promise<ValidateResult> {
  const ctx = openLocal(options);
  const selection = selectionOf(ctx, options, { mustExist: true });
  const local = await readLocal(ctx, { scope: runScope(selection), light: true });
  if (!local.exists)
    throw new UsageError(
      `the dashboards folder ${ctx.dirShown} does not exist: nothing to validate`,
      'run dashsync pull (or dashsync init) to create it, or point --dir at your dashboards',
    );
  requireSelectedFolders(selection.projects, local.folders, projectFolderNames(ctx.settings.dir), ctx.dirShown);
  // In apps mode each file was checked as an app as it was read (rendered, as a save would send it);
  // what only validate says of app files comes on top.
  const reading = appReading(ctx.settings);
  const warnings: Problem[] = [];
  if (reading) {
    const knownProjects = new Set([
      ...projectFolderNames(ctx.settings.dir),
      ...Object.values(reading.aliases).flat(),
      ...Object.values(ctx.settings.projects),
    ]);
    const notes = await appFilesNotes(
      ctx.cwd,
      local.files.map((file) => file.path),
      knownProjects,
      ctx.settings.variables,
    );
    local.problems = [...local.problems, ...notes.problems].sort((left, right) =>
      left.path < right.path ? -1 : left.path > right.path ? 1 : left.line - right.line || left.col - right.col,
    );
    warnings.push(...notes.warnings);
  }
  const files = local.files.map((file) => file.path);
  ctx.reporter.show({
    type: 'validated',
    files,
    problems: local.problems,
    warnings,
    kind: reading ? 'app' : 'dashboard',
  });
  const counts = validationCounts(files, local.problems);
  return { files: counts.valid, checked: counts.checked, problems: local.problems, warnings };
}
