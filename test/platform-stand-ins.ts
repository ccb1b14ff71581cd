import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Local stand-ins of the comment APIs of GitHub (issue comments) and GitLab (merge-request notes),
 * on 127.0.0.1: their routes, their authentication headers, their pagination (GitHub's Link header,
 * GitLab's X-Next-Page), their refusals (401 for a bad token, 403 for GitHub's read-only token of a
 * fork's pull request, a body over the size limit), and a record of every request.
 */

/** A comment or note the stand-in holds. */
export interface Held {
  id: number;
  body: string;
  system?: boolean;
}

/** A request the stand-in received: what tests check the token and the calls against. */
export interface Received {
  method: string;
  url: string;
  auth: string | undefined;
}

/** A running stand-in: its URL, what it holds per pull request, and what it received. */
export interface StandIn {
  url: string;
  /** Comments by pull request number. */
  threads: Map<number, Held[]>;
  received: Received[];
  close(): Promise<void>;
}

/** What the stand-in accepts. */
export interface StandInOptions {
  token: string;
  /** A token that may read but not write (GitHub: a fork's pull request). */
  readOnlyToken?: string;
  /** Comments already on pull requests (number -> bodies). */
  seed?: Record<number, Array<string | Held>>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
  });
}

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function seeded(options: StandInOptions): { threads: Map<number, Held[]>; next: () => number } {
  let id = 1000;
  const threads = new Map<number, Held[]>();
  for (const [number, bodies] of Object.entries(options.seed ?? {}))
    threads.set(
      Number(number),
      bodies.map((b) => (typeof b === 'string' ? { id: ++id, body: b } : b)),
    );
  return { threads, next: () => ++id };
}

/** GitHub's issue comments: GET/POST /repos/:owner/:repo/issues/:n/comments, PATCH /repos/:owner/:repo/issues/comments/:id. */
export async function githubStandIn(options: StandInOptions): Promise<StandIn> {
  const { threads, next } = seeded(options);
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization;
    received.push({ method: req.method ?? '', url: url.pathname + url.search, auth });
    const text = await body(req);
    const token = auth?.replace(/^Bearer /, '');
    if (token !== options.token && token !== options.readOnlyToken)
      return send(res, 401, { message: 'Bad credentials' });
    const list = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const html = (repo: string, n: number, id: number) => `https://github.com/${repo}/pull/${n}#issuecomment-${id}`;
    if (req.method !== 'GET' && token === options.readOnlyToken)
      return send(res, 403, { message: 'Resource not accessible by integration' });
    if (list && req.method === 'GET') {
      const n = Number(list[2]);
      const all = threads.get(n) ?? [];
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const items = all.slice((page - 1) * perPage, page * perPage);
      const more = page * perPage < all.length;
      const link = more
        ? { link: `<${origin}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` }
        : ({} as Record<string, string>);
      return send(
        res,
        200,
        items.map((c) => ({ ...c, html_url: html(list[1]!, n, c.id) })),
        link,
      );
    }
    if (list && req.method === 'POST') {
      const n = Number(list[2]);
      const { body: text2 } = JSON.parse(text) as { body: string };
      if (text2.length > 65_536)
        return send(res, 422, { message: 'Validation Failed', errors: [{ message: 'Body is too long' }] });
      const comment = { id: next(), body: text2 };
      threads.set(n, [...(threads.get(n) ?? []), comment]);
      return send(res, 201, { ...comment, html_url: html(list[1]!, n, comment.id) });
    }
    if (one && req.method === 'PATCH') {
      const id = Number(one[2]);
      for (const [n, comments] of threads) {
        const comment = comments.find((c) => c.id === id);
        if (!comment) continue;
        comment.body = (JSON.parse(text) as { body: string }).body;
        return send(res, 200, { ...comment, html_url: html(one[1]!, n, id) });
      }
    }
    return send(res, 404, { message: 'Not Found' });
  });
  const origin = await listen(server);
  return { url: origin, threads, received, close: () => new Promise((r) => server.close(() => r())) };
}

/** GitLab's merge-request notes: GET/POST /projects/:id/merge_requests/:iid/notes, PUT .../notes/:note_id. */
export async function gitlabStandIn(options: StandInOptions): Promise<StandIn> {
  const { threads, next } = seeded(options);
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers['private-token'] as string | undefined;
    received.push({ method: req.method ?? '', url: url.pathname + url.search, auth });
    const text = await body(req);
    if (auth !== options.token) return send(res, 401, { message: '401 Unauthorized' });
    const match = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(url.pathname);
    if (!match) return send(res, 404, { message: '404 Not found' });
    const n = Number(match[2]);
    const notes = threads.get(n) ?? [];
    if (req.method === 'GET' && !match[3]) {
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 20));
      const page = Number(url.searchParams.get('page') ?? 1);
      const more = page * perPage < notes.length;
      return send(res, 200, notes.slice((page - 1) * perPage, page * perPage), {
        'x-page': String(page),
        'x-next-page': more ? String(page + 1) : '',
        'x-total': String(notes.length),
      });
    }
    const note = JSON.parse(text || '{}') as { body?: string };
    if ((note.body ?? '').length > 1_000_000) return send(res, 400, { message: { body: ['is too long'] } });
    if (req.method === 'POST' && !match[3]) {
      const created = { id: next(), body: note.body ?? '', system: false };
      threads.set(n, [...notes, created]);
      return send(res, 201, created);
    }
    if (req.method === 'PUT' && match[3]) {
      const held = notes.find((c) => c.id === Number(match[3]));
      if (!held) return send(res, 404, { message: '404 Note Not Found' });
      held.body = note.body ?? '';
      return send(res, 200, held);
    }
    return send(res, 405, { message: '405 Method Not Allowed' });
  });
  const origin = await listen(server);
  return { url: `${origin}/api/v4`, threads, received, close: () => new Promise((r) => server.close(() => r())) };
}
