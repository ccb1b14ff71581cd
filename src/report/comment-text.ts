import type { CommentOutcome } from '../contract/comment.js';
import { inert } from './inert.js';

/** What `dashsync comment` did, in one line: posted where (and its address), or why nothing was. */
export function commentLine(comment: CommentOutcome): string {
  if (comment.outcome === 'none') return `Nothing posted: ${inert(comment.reason ?? 'not a pull request')}.`;
  const verb = { created: 'Comment posted on', updated: 'Comment updated on', unchanged: 'Comment unchanged on' }[
    comment.outcome
  ];
  const cut = comment.cut ? ' The plan was cut to fit; the comment says where the whole plan is.' : '';
  return `${verb} ${inert(comment.where ?? '')}${comment.url ? `: ${inert(comment.url)}` : ''}.${cut}`;
}
