import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * This package's own folder (the one holding its package.json), found from wherever this code runs:
 * dist/ module by module, the CLI's bundle (dist/cli.js and dist/chunks/), or src/ under the tests.
 * Every file the package ships beside its code (package.json, schemas/) is named from here.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`dashsync's package.json is missing above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return (root = dir);
}
