import { actionChanges } from '../core/changes/index.js';
import type { Action } from '../core/types.js';
import { inert } from './inert.js';

/*
 * What an action changes, in the words a person would use (core/changes), as the terminal shows it
 * under the action's line: one sentence a line, above the diff. An update tells every change; a
 * create tells what the new dashboard or app holds, its first few parts and how many more.
 */

/** How many parts of a new dashboard or app the terminal names before "and N more". */
export const CREATE_LINES = 8;

/** The sentences an action's changes read as, a create's cut at `max` with a last line saying how many more. */
export function changeSentences(action: Action, max = CREATE_LINES): string[] {
  const sentences = actionChanges(action).map((change) => change.sentence);
  if (action.kind !== 'create' || sentences.length <= max) return sentences;
  const more = sentences.length - (max - 1);
  return [...sentences.slice(0, max - 1), `and ${more} more`];
}

/** The lines of an action's changes, each `* sentence` at `indent` (inert: names come from files and servers). */
export function changeLines(action: Action, indent: string): string[] {
  return changeSentences(action).map((sentence) => `${indent}* ${inert(sentence)}`);
}
