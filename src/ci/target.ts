import { readFileSync } from 'node:fs';
import type { CommentFlags, TextLimit } from '../contract/comment.js';
import { UsageError } from '../errors.js';
import { GITHUB_COMMENT, GITLAB_NOTE } from './limits.js';

/*
 * Where a plan's comment goes: the platform and the pull request, from the CI's own variables (a
 * flag says otherwise). The platform's token is the CI's own and goes only to the API URL that
 * came from the same source: the CI's variables, or --api-url with --token-env.
 */

/** One pull request (GitHub) or merge request (GitLab), and how to reach its comments. */
export interface CommentTarget {
  platform: 'github' | 'gitlab';
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  /** GitHub `owner/name`; GitLab the project's id or path. */
  repo: string;
  number: number;
  /** The token, never shown; `tokenEnv` names where it came from, for messages. */
  token: string;
  tokenEnv: string;
  limit: TextLimit;
  /** Where the whole plan is, for a comment cut to fit. */
  whole?: string;
}

/** A run outside a pull request: nothing to comment on, and why. */
export interface NoPullRequest {
  none: string;
}

const PLATFORMS = {
  github: { token: 'GITHUB_TOKEN', limit: GITHUB_COMMENT, noun: 'pull request' },
  gitlab: { token: 'GITLAB_TOKEN', limit: GITLAB_NOTE, noun: 'merge request' },
} as const;

/** `pull request #5 of owner/name`, `merge request !5 of group/project`. */
export function targetWords(target: Pick<CommentTarget, 'platform' | 'number' | 'repo'>): string {
  const sign = target.platform === 'github' ? '#' : '!';
  return `${PLATFORMS[target.platform].noun} ${sign}${target.number} of ${target.repo}`;
}

function platformOf(flags: CommentFlags, env: NodeJS.ProcessEnv): 'github' | 'gitlab' {
  if (flags.platform !== undefined) {
    if (flags.platform === 'github' || flags.platform === 'gitlab') return flags.platform;
    throw new UsageError(`--platform must be github or gitlab, not "${flags.platform}"`);
  }
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  throw new UsageError(
    'no CI platform to comment on: this is neither GitHub Actions (GITHUB_ACTIONS) nor GitLab CI (GITLAB_CI)',
    'run it in a pull request pipeline, or give --platform github|gitlab with --repo and --pr',
  );
}

// The API URL, checked: https, or plain http only to this machine (the token must not cross a network in clear).
function apiUrlOf(text: string, from: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${from} is not a URL: "${text}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new UsageError(`${from} must be an https:// URL (plain http only to this machine): "${text}"`);
  return url.href.replace(/\/+$/, '');
}

// The pull request a GitHub event is about: the event file's pull_request (or an issue that is one).
function githubPullRequest(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  let event: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as typeof event;
  } catch {
    throw new UsageError(`cannot read the event of this run: GITHUB_EVENT_PATH (${env.GITHUB_EVENT_PATH})`);
  }
  const number = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  return typeof number === 'number' ? number : undefined;
}

function numberOf(value: string | number, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a number, not "${value}"`);
  return number;
}

/**
 * The pull request this run comments on, from the flags and the CI's variables; NoPullRequest when
 * the run is not about one (a push to main). Refuses, before any request, what it cannot do.
 */
export function commentTarget(flags: CommentFlags, env: NodeJS.ProcessEnv): CommentTarget | NoPullRequest {
  const platform = platformOf(flags, env);
  const github = platform === 'github';
  const given = flags.pr ?? (github ? undefined : env.CI_MERGE_REQUEST_IID);
  const number =
    given !== undefined && given !== '' ? numberOf(given, '--pr') : github ? githubPullRequest(env) : undefined;
  if (number === undefined)
    return {
      none: github
        ? `this run is not about a pull request (event ${env.GITHUB_EVENT_NAME ?? 'unknown'})`
        : 'this pipeline is not for a merge request (no CI_MERGE_REQUEST_IID)',
    };
  if (flags.apiUrl !== undefined && flags.tokenEnv === undefined)
    throw new UsageError(
      "--api-url needs --token-env: the CI token is sent only to the CI's own API URL",
      'name the variable that holds a token for that URL with --token-env',
    );
  const apiUrl =
    flags.apiUrl !== undefined
      ? apiUrlOf(flags.apiUrl, '--api-url')
      : github
        ? apiUrlOf(env.GITHUB_API_URL ?? 'https://api.github.com', 'GITHUB_API_URL')
        : env.CI_API_V4_URL
          ? apiUrlOf(env.CI_API_V4_URL, 'CI_API_V4_URL')
          : undefined;
  if (apiUrl === undefined)
    throw new UsageError('no GitLab API URL: CI_API_V4_URL is not set', 'give --api-url with --token-env');
  const repo = flags.repo ?? (github ? env.GITHUB_REPOSITORY : env.CI_PROJECT_ID);
  if (!repo)
    throw new UsageError(
      `no ${github ? 'repository (GITHUB_REPOSITORY)' : 'project (CI_PROJECT_ID)'} to comment in`,
      'give --repo',
    );
  const tokenEnv = flags.tokenEnv ?? PLATFORMS[platform].token;
  const token = env[tokenEnv];
  if (!token) throw missingToken(platform, tokenEnv, env);
  const whole = flags.artifactUrl ?? artifactsOf(platform, env);
  return {
    platform,
    apiUrl,
    repo,
    number,
    token,
    tokenEnv,
    limit: PLATFORMS[platform].limit,
    ...(whole ? { whole } : {}),
  };
}

function missingToken(platform: 'github' | 'gitlab', tokenEnv: string, env: NodeJS.ProcessEnv): UsageError {
  if (platform === 'github')
    return new UsageError(
      `no GitHub token: ${tokenEnv} is not set`,
      'pass it to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) and give the job permissions: pull-requests: write',
    );
  const jobTokenOnly = env.CI_JOB_TOKEN ? ' (CI_JOB_TOKEN cannot post merge-request notes)' : '';
  return new UsageError(
    `no GitLab token: ${tokenEnv} is not set${jobTokenOnly}`,
    `set ${tokenEnv} as a masked CI/CD variable: a project access token with the api scope and the Reporter role`,
  );
}

// Where this job's artifacts are: the run's page on GitHub, the job's artifacts on GitLab.
function artifactsOf(platform: 'github' | 'gitlab', env: NodeJS.ProcessEnv): string | undefined {
  if (platform === 'github')
    return env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return env.CI_JOB_URL ? `${env.CI_JOB_URL}/artifacts/browse` : undefined;
}
