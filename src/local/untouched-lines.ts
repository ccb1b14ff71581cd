import { canonicalJson } from '../core/canonical.js';
import type { Json } from '../core/types.js';
import { parseYaml } from './yaml.js';

/*
 * Re-serializing a YAML document restyles lines nothing changed (`[a]` becomes `[ a ]`, a plain `y`
 * key gets quoted). A rewritten file should differ from the old one only where its content did.
 */

/**
 * Index pairs (i in `before`, j in `after`) of the longest common subsequence of two line lists;
 * undefined when they are too large to align cheaply.
 */
function commonLines(before: string[], after: string[]): Array<[number, number]> | undefined {
  if (before.length * after.length > 4_000_000) return undefined;
  // lcsLength[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const lcsLength: Uint32Array[] = Array.from({ length: before.length + 1 }, () => new Uint32Array(after.length + 1));
  for (let i = before.length - 1; i >= 0; i--)
    for (let j = after.length - 1; j >= 0; j--)
      lcsLength[i]![j] =
        before[i] === after[j] ? lcsLength[i + 1]![j + 1]! + 1 : Math.max(lcsLength[i + 1]![j]!, lcsLength[i]![j + 1]!);
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < before.length && j < after.length;) {
    if (before[i] === after[j]) pairs.push([i++, j++]);
    else if (lcsLength[i + 1]![j]! >= lcsLength[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * The new text with every line that re-serializing merely restyled taken back from the old text.
 * `before` is the old document re-serialized unchanged, `after` the changed one: a line of `after`
 * that aligns with one of `before` is unchanged, and is written as the old text had it. Used only
 * when `before` and `old` line up line by line and the result reads back (with `read`, by default
 * the exact parser) to exactly what `after` says; else `after` is returned as it is.
 */
export function keepUntouchedLines(
  old: string,
  before: string,
  after: string,
  read: (text: string) => Json = (text) => parseYaml(text).value as Json,
): string {
  return (
    mergeUntouchedLines(old, before, after, (text) => canonicalJson(read(text)) === canonicalJson(read(after))) ?? after
  );
}

/**
 * keepUntouchedLines, or undefined where it would return `after` as it is; `check` says whether the
 * merged text reads as `after` says.
 */
export function mergeUntouchedLines(
  old: string,
  before: string,
  after: string,
  check: (text: string) => boolean,
): string | undefined {
  const oldLines = old.split('\n');
  const beforeLines = before.split('\n');
  if (oldLines.length !== beforeLines.length) return undefined;
  const afterLines = after.split('\n');
  // Changes are local: align the common head and tail directly, and only the middle by LCS.
  let head = 0;
  while (head < beforeLines.length && head < afterLines.length && beforeLines[head] === afterLines[head]) head++;
  let tail = 0;
  while (
    tail < beforeLines.length - head &&
    tail < afterLines.length - head &&
    beforeLines[beforeLines.length - 1 - tail] === afterLines[afterLines.length - 1 - tail]
  )
    tail++;
  const pairs = commonLines(
    beforeLines.slice(head, beforeLines.length - tail),
    afterLines.slice(head, afterLines.length - tail),
  );
  if (!pairs) return undefined;
  const merged = [...afterLines];
  for (let i = 0; i < head; i++) merged[i] = oldLines[i]!;
  for (let i = 1; i <= tail; i++) merged[afterLines.length - i] = oldLines[oldLines.length - i]!;
  for (const [beforeIndex, afterIndex] of pairs) merged[head + afterIndex] = oldLines[head + beforeIndex]!;
  const text = merged.join('\n');
  try {
    return check(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
