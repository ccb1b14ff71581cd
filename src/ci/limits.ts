/*
 * How much text each place a plan is posted to holds. A longer text is refused there (GitHub
 * answers 422 "Body is too long"; a job summary over its size is dropped with an error), so a plan
 * is cut to fit, with a pointer to where the whole of it is.
 */

import type { TextLimit } from '../contract/comment.js';

export type { TextLimit } from '../contract/comment.js';

/** A pull-request comment on GitHub: 65,536 characters. */
export const GITHUB_COMMENT: TextLimit = { max: 65_536, unit: 'characters', what: 'a GitHub comment' };

/** A step's job summary on GitHub Actions ($GITHUB_STEP_SUMMARY): 1 MiB; over it, the upload is aborted. */
export const GITHUB_SUMMARY: TextLimit = { max: 1_048_576, unit: 'bytes', what: 'a GitHub job summary' };

/** A merge-request note on GitLab: 1,000,000 characters. */
export const GITLAB_NOTE: TextLimit = { max: 1_000_000, unit: 'characters', what: 'a GitLab note' };

/** The size of a text as the place counts it. */
export function sizeIn(limit: TextLimit, text: string): number {
  return limit.unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/** How much of the place is left for the text: its size less what is reserved. */
export const roomIn = (limit: TextLimit): number => limit.max - (limit.reserved ?? 0);
