import type { Change } from '../../core/changes/index.js';
import { fieldWord } from '../../core/changes/words.js';

/*
 * Which elements of a drawing are marked, and how: from the changes, by the element's path on each
 * side. Marked in colour and in words (a tag such as `+ added` or `~ type, x axis`), and removed
 * elements also by a dashed outline and hatching, so the picture never depends on colour alone.
 */

/** How an element changed, as drawn: the strongest of its changes. */
export type MarkState = 'added' | 'removed' | 'changed' | 'moved' | 'resized';

/** The mark of one element: its state and the words of its tag. */
export interface Mark {
  state: MarkState;
  /** What changed, in words (`type`, `x axis`, `moved`), in the order the changes came. */
  words: string[];
}

/** Which drawing: the definition before the change, or after it. */
export type Side = 'before' | 'after';

const STRENGTH: Record<MarkState, number> = { added: 4, removed: 4, changed: 3, resized: 2, moved: 1 };

/** The marks of one side, by element path (`pages[0].sections[1].widgets[2]`). */
export function marksFor(changes: readonly Change[], side: Side): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const change of changes) {
    const path = change.at[side];
    if (path === undefined) continue;
    if ((change.kind === 'added' && side === 'before') || (change.kind === 'removed' && side === 'after')) continue;
    const word =
      change.kind === 'moved' || change.kind === 'resized'
        ? change.kind
        : change.kind === 'changed'
          ? fieldWord(change.field ?? 'changed')
          : undefined;
    const mark = marks.get(path) ?? { state: change.kind, words: [] };
    if (STRENGTH[change.kind] > STRENGTH[mark.state]) mark.state = change.kind;
    if (word !== undefined && !mark.words.includes(word)) mark.words.push(word);
    marks.set(path, mark);
  }
  return marks;
}

/** The words of a mark's tag: `+ added`, `− removed`, `~ type, x axis, moved`. */
export function tagOf(mark: Mark): string {
  if (mark.state === 'added') return '+ added';
  if (mark.state === 'removed') return '− removed';
  return `~ ${mark.words.join(', ')}`;
}

/** The colours of each state (and of an unmarked element): outline, fill, and the tag's text. */
export const LOOK: Record<MarkState | 'none', { stroke: string; fill: string; ink: string; tag: string }> = {
  none: { stroke: '#8c959f', fill: '#ffffff', ink: '#1f2328', tag: '#eaeef2' },
  added: { stroke: '#1a7f37', fill: '#dafbe1', ink: '#116329', tag: '#aceebb' },
  removed: { stroke: '#cf222e', fill: '#ffebe9', ink: '#a40e26', tag: '#ffcecb' },
  changed: { stroke: '#9a6700', fill: '#fff8c5', ink: '#7d4e00', tag: '#fae17d' },
  resized: { stroke: '#0969da', fill: '#ddf4ff', ink: '#0550ae', tag: '#b6e3ff' },
  moved: { stroke: '#0969da', fill: '#ddf4ff', ink: '#0550ae', tag: '#b6e3ff' },
};
