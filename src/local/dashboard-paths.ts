import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';

const YAML_FILE = /\.ya?ml$/;

// Deeper than this, folders are not even listed: nothing there is read, and a deep tree costs time.
const MAX_DEPTH = 4;

/**
 * True for the path (relative to the dashboards folder, `/`-separated) of a file that readFolder
 * reads as a dashboard: `<project>/<name>.yaml`, nothing hidden. Watch filters its events with it.
 */
export function isDashboardPath(rel: string): boolean {
  const parts = rel.split('/');
  return parts.length === 2 && !parts.some((part) => part.startsWith('.')) && YAML_FILE.test(parts[1]!);
}

/**
 * Paths (relative, with `/`) of the YAML files under the folder, dotfiles and dot-folders left out,
 * symbolic links not followed: a link (or a pipe...) with a YAML name is listed, for the reader to
 * refuse it (see LINK_PROBLEM). `top` is the folder's own listing, which the caller has already read. Project
 * folders are read in full; deeper folders only so that their files can be reported.
 */
export async function yamlFilesBelow(dir: string, top: Dirent[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string, entries: Dirent[], depth: number): Promise<void> => {
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (!entry.isDirectory() && YAML_FILE.test(entry.name)) found.push(path);
      else if (entry.isDirectory() && depth < MAX_DEPTH)
        await walk(path, await readdir(join(dir, path), { withFileTypes: true }), depth + 1);
    }
  };
  await walk('', top, 0);
  return found;
}

/**
 * The one rule for symbolic links inside the dashboards folder, the same in every command: none is
 * followed. A linked dashboard file or project folder is a problem (so validate fails, plan, apply
 * and pull stop, and watch skips it and prunes nothing in its project): a run never reads, writes
 * or prunes through a link, wherever it points. The message of that problem.
 */
export const LINK_PROBLEM =
  'symbolic link: dashsync follows no link inside the dashboards folder; put the file (or folder) itself here';
