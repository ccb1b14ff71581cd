import { UsageError } from '../errors.js';
import type { CommonOptions } from '../contract/options.js';
import type { ValidateResult } from '../contract/results.js';
import { compareText } from '../core/compare.js';
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
 * Each file is read as the run's API flavour reads it (apps: checked as an app definition, with the
 * code the emulator validates saves with), and the flavour adds what only validate says: errors are
 * problems, warnings are shown and never fail validation (exit 0).
 */
export async function validate(options: CommonOptions = {}): Promise<ValidateResult> {
  const ctx = await openLocal(options);
  const selection = selectionOf(ctx, options, { mustExist: true });
  const local = await readLocal(ctx, { scope: runScope(selection), light: true });
  if (!local.exists)
    throw new UsageError(
      `the dashboards folder ${ctx.dirShown} does not exist: nothing to validate`,
      'run dashsync pull (or dashsync init) to create it, or point --dir at your dashboards',
    );
  requireSelectedFolders(selection.projects, local.folders, projectFolderNames(ctx.settings.dir), ctx.dirShown);
  // Each file was read as the flavour reads it (apps: checked as the app a save would send); what
  // only validate says of the valid files comes on top.
  const notes = await ctx.flavour.validateFiles(
    ctx.cwd,
    local.files.map((file) => file.path),
  );
  if (notes.problems.length)
    local.problems = [...local.problems, ...notes.problems].sort(
      (left, right) => compareText(left.path, right.path) || left.line - right.line || left.col - right.col,
    );
  const { warnings } = notes;
  const files = local.files.map((file) => file.path);
  ctx.reporter.show({ type: 'validated', files, problems: local.problems, warnings, noun: ctx.flavour.noun });
  const counts = validationCounts(files, local.problems);
  return { files: counts.valid, checked: counts.checked, problems: local.problems, warnings };
}
