import type { Problem } from '../core/types.js';
import { appFilesProblems } from '../local/app-validation.js';
import { openLocal, readLocal } from './context.js';
import type { CommonOptions } from './context.js';

/** Result of `validate`. */
export interface ValidateResult {
  /** Dashboard files read without a problem. */
  files: number;
  problems: Problem[];
}

/**
 * Checks every dashboard file offline: it parses, holds exactly id, name and definition with the
 * right types, no two files share an id, no two id-less files of a project share a name, and every
 * folder resolves to its own project. Also validates dashsync.yaml (a bad one throws a FileError).
 * In apps mode (`api: apps`) each file is also checked as an app definition (schemas/app.schema.json
 * and the references between its parts), with the same code the emulator validates saves with.
 */
export async function validate(o: CommonOptions = {}): Promise<ValidateResult> {
  const ctx = openLocal(o);
  const local = await readLocal(ctx, o.projects, true);
  if (!local.exists) ctx.reporter.warn(`the dashboards folder ${ctx.dirShown} does not exist: nothing to validate`);
  // In apps mode each file is also an app definition: checked against schemas/app.schema.json.
  if (ctx.settings.api === 'apps') {
    const bad = await appFilesProblems(ctx.cwd, local.files.map((f) => f.path));
    local.problems = [...local.problems, ...bad].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.col - b.col));
    const badPaths = new Set(bad.map((p) => p.path));
    local.files = local.files.filter((f) => !badPaths.has(f.path));
  }
  for (const p of local.problems) ctx.reporter.info(`${p.path}:${p.line}:${p.col}: ${p.message}`);
  const n = local.files.length;
  if (local.problems.length === 0) ctx.reporter.info(`${n} dashboard ${n === 1 ? 'file' : 'files'} valid.`);
  else ctx.reporter.info(`${local.problems.length} ${local.problems.length === 1 ? 'problem' : 'problems'} found; ${n} ${n === 1 ? 'file' : 'files'} valid.`);
  return { files: n, problems: local.problems };
}
