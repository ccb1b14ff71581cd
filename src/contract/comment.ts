import type { PlanResult } from './results.js';

/*
 * What `dashsync comment` and its caller agree on: where the comment goes (the CI's own variables,
 * or these flags), how much text that place holds, and the renderer of the plan's Markdown (the
 * CLI gives report/'s; commands never make text).
 */

/** How much text a place holds, how it counts it, and what it is called in the note a cut plan ends with. */
export interface TextLimit {
  max: number;
  unit: 'characters' | 'bytes';
  /** `a GitHub comment`. */
  what: string;
  /** Taken by something else put beside the text (a comment's hidden marker): the text gets the rest. */
  reserved?: number;
}

/** Where a comment goes, as flags say it; what a flag leaves out, the CI's own variables say. */
export interface CommentFlags {
  /** `github` or `gitlab`; else GITHUB_ACTIONS or GITLAB_CI tells. */
  platform?: string;
  /** GitHub: `owner/name`; GitLab: the project's id or path. */
  repo?: string;
  /** The pull request's number (GitHub) or the merge request's iid (GitLab). */
  pr?: string | number;
  /** The platform's API URL; with it, the token must come from --token-env (one source for both). */
  apiUrl?: string;
  /** The variable holding the platform's token (GITHUB_TOKEN, GITLAB_TOKEN unless told). */
  tokenEnv?: string;
  /** Where the whole plan is (the job's artifacts), named by a cut comment. */
  artifactUrl?: string;
}

/** What a comment's Markdown must fit, and where the whole plan is when it is cut. */
export interface CommentFit {
  limit: TextLimit;
  whole?: string;
}

/** Renders a plan as a comment's Markdown, cut to fit; `cut` says whether it was. */
export type CommentRenderer = (result: PlanResult, fit: CommentFit) => { text: string; cut: boolean };

/** What became of the comment. */
export interface CommentOutcome {
  /** `none`: not a pull request, nothing posted. */
  outcome: 'created' | 'updated' | 'unchanged' | 'none';
  platform?: 'github' | 'gitlab';
  /** `pull request #5 of owner/name`, `merge request !5 of group/project`. */
  where?: string;
  /** The comment's web address, where the platform gives one. */
  url?: string;
  /** The comment's (or note's) id. */
  id?: number;
  /** The plan was cut to fit. */
  cut?: boolean;
  /** Why nothing was posted (outcome `none`). */
  reason?: string;
}

/** What `comment` did: the comment's outcome, and the plan it posted (none outside a pull request). */
export interface CommentResult {
  comment: CommentOutcome;
  plan?: PlanResult;
}
