import { compareText } from '../core/compare.js';
import type { LocalFile, Problem } from '../core/types.js';

/**
 * Checks files against each other: no two share an id, no two id-less files of one project share
 * a name (dashsync could not tell which dashboard each is). The later file in path order is blamed.
 */
export function crossCheck(files: LocalFile[]): Problem[] {
  const problems: Problem[] = [];
  const pathById = new Map<string, string>();
  const pathByName = new Map<string, string>();
  for (const file of [...files].sort((left, right) => compareText(left.path, right.path))) {
    const at = file.idPos ?? { line: 1, col: 1 };
    if (file.fileId !== undefined) {
      const other = pathById.get(file.fileId);
      if (other)
        problems.push({
          path: file.path,
          ...at,
          message: `id ${file.fileId} is also in ${other}; each dashboard must have one file`,
        });
      else pathById.set(file.fileId, file.path);
    } else {
      const key = `${file.projectId}\u0000${file.name}`;
      const other = pathByName.get(key);
      if (other)
        problems.push({
          path: file.path,
          ...at,
          message:
            `${other} has the same name ${JSON.stringify(file.name)} and neither has an id: ` +
            'dashsync cannot tell which remote dashboard each one is; rename one or add ids',
        });
      else pathByName.set(key, file.path);
    }
  }
  return problems;
}
