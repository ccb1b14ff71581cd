import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { appFileContent } from '../core/app.js';
import type { AppReading } from '../core/app.js';
import { contentHash } from '../core/canonical.js';
import type { LocalFile, Problem, ProjectFolder } from '../core/types.js';
import type { Variables } from '../core/variables.js';
import { definedOnly } from '../util/defined.js';
import { appContentProblems } from './app-validation.js';
import { MAX_FILE_BYTES, readDashboardBytes, tooLargeMessage } from './dashboard-file.js';

/** Reads and validates one dashboard file of a project folder; its problems when it is not valid. */
export async function readDashboardFile(
  abs: string,
  path: string,
  folder: ProjectFolder,
  variables?: Variables,
  app?: AppReading,
): Promise<LocalFile | Problem[]> {
  return readDashboardFileSync(abs, path, folder, variables, app);
}

/** Reads and validates one file, synchronously (see readFiles for why synchronously). */
export function readDashboardFileSync(
  abs: string,
  path: string,
  folder: ProjectFolder,
  variables?: Variables,
  app?: AppReading,
): LocalFile | Problem[] {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    // Never read a huge file into memory just to refuse it.
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return [{ path, line: 1, col: 1, message: tooLargeMessage(size) }];
    bytes = readFileSync(fd);
  } catch (e) {
    return [{ path, line: 1, col: 1, message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const read = readDashboardBytes(bytes, path, variables);
  if (!read.ok) return read.problems;
  if (app) {
    // An invalid app stops plan, apply and watch before any request, like any invalid file.
    const problems = appContentProblems(path, bytes, read.content);
    if (problems.length) return problems;
    read.content = appFileContent(read.content, folder.folder, folder.projectId, app);
  }
  return {
    contentHash: contentHash(read.content),
    path,
    folder: folder.folder,
    projectId: folder.projectId,
    byteHash: read.byteHash,
    idPos: read.idPos,
    ...definedOnly({ template: read.template }),
    ...read.content,
    ...definedOnly({ fileId: read.content.id }),
  };
}
