import { canonicalJson } from '../core/canonical.js';
import type { Json } from '../core/types.js';
import { parseYaml } from './yaml.js';

/*
 * Re-serializing a YAML document restyles lines nothing changed (`[a]` becomes `[ a ]`, a plain `y`
 * key gets quoted). A rewritten file should differ from the old one only where its content did.
 */

/** Index pairs of the longest common subsequence of two line lists (undefined when too large to align cheaply). */
function commonLines(a: string[], b: string[]): Array<[number, number]> | undefined {
  if (a.length * b.length > 4_000_000) return undefined;
  const n = a.length;
  const m = b.length;
  const len: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * The new text with every line that re-serializing merely restyled taken back from the old text.
 * `before` is the old document re-serialized unchanged, `after` the changed one: a line of `after`
 * that aligns with one of `before` is unchanged, and is written as the old text had it. Used only
 * when `before` and `old` line up line by line and the result reads back to exactly what `after`
 * says; else `after` is returned as it is.
 */
export function keepUntouchedLines(old: string, before: string, after: string): string {
  const oldLines = old.split('\n');
  const beforeLines = before.split('\n');
  if (oldLines.length !== beforeLines.length) return after;
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
  if (!pairs) return after;
  const out = [...afterLines];
  for (let k = 0; k < head; k++) out[k] = oldLines[k]!;
  for (let k = 1; k <= tail; k++) out[afterLines.length - k] = oldLines[oldLines.length - k]!;
  for (const [i, j] of pairs) out[head + j] = oldLines[head + i]!;
  const text = out.join('\n');
  try {
    return canonicalJson(parseYaml(text).value as Json) === canonicalJson(parseYaml(after).value as Json)
      ? text
      : after;
  } catch {
    return after;
  }
}
