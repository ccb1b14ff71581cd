import { UsageError } from '../errors.js';
import { call } from './http.js';
import type { CallOptions, Reply } from './http.js';
import type { CommentTarget } from './target.js';
import { targetWords } from './target.js';
import { VERSION } from '../version.js';

/*
 * One comment per pull request and marker, kept up to date: the comments are read page by page
 * until the one holding the marker is found; it is updated (unless it already says the same), or
 * one is created. GitHub: issue comments (list, POST, PATCH); GitLab: merge-request notes (list,
 * POST, PUT), the platform's system notes skipped.
 */

/** A comment as the platforms list it. */
interface Listed {
  id: number;
  body: string;
  url?: string;
}

/** The parts of a platform's comments API this needs. */
interface CommentsApi {
  call: CallOptions;
  firstPage: string;
  /** The next page's URL, or undefined after the last. */
  next(reply: Reply, url: string): string | undefined;
  listed(body: unknown): Listed[];
  create: { method: string; url: string };
  update(id: number): { method: string; url: string };
}

/** What was done: created, updated, or left as it was (it already said the same). */
export interface Posted {
  outcome: 'created' | 'updated' | 'unchanged';
  id: number;
  url?: string;
}

// Pages read at most: 100 comments each, so 10,000 comments.
const MAX_PAGES = 100;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function listedOf(items: unknown, skip: (item: Record<string, unknown>) => boolean): Listed[] {
  if (!Array.isArray(items)) return [];
  return items
    .filter(isObject)
    .flatMap((item) =>
      typeof item.id === 'number' && typeof item.body === 'string' && !skip(item)
        ? [{ id: item.id, body: item.body, ...(typeof item.html_url === 'string' ? { url: item.html_url } : {}) }]
        : [],
    );
}

function githubApi(target: CommentTarget, onDebug?: (line: string) => void): CommentsApi {
  const issue = `${target.apiUrl}/repos/${target.repo}/issues`;
  const origin = new URL(target.apiUrl).origin;
  return {
    call: {
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': `dashsync/${VERSION}`,
      },
      explain: (status) =>
        status === 403
          ? 'GitHub refused the token: a pull request from a fork gets a read-only GITHUB_TOKEN, and a job ' +
            'needs permissions: pull-requests: write to comment. The plan is in the job summary either way'
          : status === 404
            ? `no ${targetWords(target)}, or the token (${target.tokenEnv}) cannot see it`
            : status === 401
              ? `GitHub rejected the token in ${target.tokenEnv}`
              : undefined,
      onDebug,
    },
    firstPage: `${issue}/${target.number}/comments?per_page=100`,
    next(reply) {
      const link = /<([^>]+)>;\s*rel="next"/.exec(reply.headers.get('link') ?? '')?.[1];
      // The token goes only to the API it came with: a next page elsewhere is not followed.
      if (link === undefined) return undefined;
      if (new URL(link).origin !== origin)
        throw new UsageError(`GitHub's next page of comments is on another host: ${link}`);
      return link;
    },
    listed: (body) => listedOf(body, () => false),
    create: { method: 'POST', url: `${issue}/${target.number}/comments` },
    update: (id) => ({ method: 'PATCH', url: `${issue}/comments/${id}` }),
  };
}

function gitlabApi(target: CommentTarget, onDebug?: (line: string) => void): CommentsApi {
  const notes = `${target.apiUrl}/projects/${encodeURIComponent(target.repo)}/merge_requests/${target.number}/notes`;
  return {
    call: {
      headers: { 'private-token': target.token, 'user-agent': `dashsync/${VERSION}` },
      explain: (status) =>
        status === 401 || status === 403
          ? `GitLab refused the token in ${target.tokenEnv}: it needs the api scope and at least the Reporter ` +
            'role (a project access token); CI_JOB_TOKEN cannot post merge-request notes'
          : status === 404
            ? `no ${targetWords(target)}, or the token (${target.tokenEnv}) cannot see it`
            : undefined,
      onDebug,
    },
    firstPage: `${notes}?per_page=100&sort=asc&order_by=created_at&page=1`,
    next(reply, url) {
      const page = reply.headers.get('x-next-page');
      if (!page || !/^\d+$/.test(page)) return undefined;
      const next = new URL(url);
      next.searchParams.set('page', page);
      return next.href;
    },
    listed: (body) => listedOf(body, (item) => item.system === true),
    create: { method: 'POST', url: notes },
    update: (id) => ({ method: 'PUT', url: `${notes}/${id}` }),
  };
}

/** Posts `body` as the comment holding `marker` on the target: updates it if there is one, else creates it. */
export async function upsertComment(
  target: CommentTarget,
  marker: string,
  body: string,
  onDebug?: (line: string) => void,
): Promise<Posted> {
  const api = target.platform === 'github' ? githubApi(target, onDebug) : gitlabApi(target, onDebug);
  let found: Listed | undefined;
  let url: string | undefined = api.firstPage;
  for (let page = 0; url !== undefined && !found && page < MAX_PAGES; page++) {
    const reply = await call('GET', url, api.call);
    found = api.listed(reply.body).find((comment) => comment.body.includes(marker));
    url = api.next(reply, url);
  }
  if (found?.body === body) return { outcome: 'unchanged', id: found.id, ...(found.url ? { url: found.url } : {}) };
  const { method, url: to } = found ? api.update(found.id) : api.create;
  const reply = await call(method, to, api.call, { body });
  const saved = api.listed([reply.body])[0];
  const id = saved?.id ?? found?.id ?? 0;
  const web = saved?.url ?? found?.url;
  return { outcome: found ? 'updated' : 'created', id, ...(web ? { url: web } : {}) };
}
