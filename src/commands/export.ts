import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { ExportOptions } from '../contract/options.js';
import type { ExportResult } from '../contract/results.js';
import { catalogExport, exportFileName } from '../core/catalog-export.js';
import { runScope } from '../core/selection.js';
import { FileError, UsageError } from '../errors.js';
import { displayPath, writeFileAtomic } from '../local/fsutil.js';
import { openLocal } from './open-run.js';
import { loadFile, readLocal } from './read-local.js';
import { selectionOf } from './selection.js';

/*
 * `dashsync export FILE`: an app file written as the catalog's `<AppName>.json` (core/catalog-export.ts
 * says which shape and why), which the catalog's import takes. The app is exported as the workspace
 * at hand would get it (variables rendered, pages bound to its projects, so --env picks the
 * environment), the same content plan compares and apply saves. Offline: no request.
 */

/** Exports one app file as the catalog's JSON; never overwrites a file unless `force`. */
export async function exportApp(options: ExportOptions): Promise<ExportResult> {
  const ctx = await openLocal(options);
  ctx.flavour.requireApps('export');
  const selection = selectionOf(ctx, { paths: [options.file] }, { mustExist: true });
  if (selection.paths.length !== 1 || !selection.paths[0]!.includes('/'))
    throw new UsageError(`${options.file}: export takes one app file (dashboards/<project>/<app>.yaml), not a folder`);
  const local = await readLocal(ctx, { scope: runScope(selection) });
  // An invalid file is refused as plan refuses it: the catalog's import would refuse it too.
  if (local.problems.length) throw new FileError(local.problems);
  const found = local.files[0];
  if (!found) throw new UsageError(`${options.file}: no app file there to export`);
  const file = await loadFile(ctx, found);
  const exported = catalogExport({ name: file.name, projectId: file.projectId, definition: file.definition ?? {} });

  const out = resolve(ctx.cwd, options.out ?? exportFileName(file.name));
  const shown = displayPath(relative(ctx.cwd, out));
  if (existsSync(out) && !options.force)
    throw new UsageError(`${shown} already exists: export never overwrites a file unless --force is given`);
  await writeFileAtomic(out, `${JSON.stringify(exported, null, 2)}\n`, {
    fence: { folder: dirname(out), linkAllowed: true },
  });
  const result: ExportResult = { from: file.path, path: shown, name: file.name, projectId: file.projectId };
  ctx.reporter.show({ type: 'exported', exported: result });
  return result;
}
