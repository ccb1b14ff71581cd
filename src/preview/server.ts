import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PreviewItem, PreviewPages, PreviewView } from '../contract/preview.js';
import { UsageError } from '../errors.js';

/*
 * The preview's own small web server: the page, its script, its fragments (the list, the places of
 * the drawings, one file's drawing) and a stream of server-sent events saying which files changed.
 * Read-only: only GET and HEAD are answered. It answers only requests addressed to it by its own
 * host name (no other site can reach it through DNS rebinding), and the page may load nothing but
 * from it (Content-Security-Policy). It holds no token: it has the pages, never the settings.
 */

/** What the server serves: the pages, and the view and files they are made of (read at each request). */
export interface PreviewServerOptions {
  host: string;
  port: number;
  pages: PreviewPages;
  view(): PreviewView;
  item(path: string): PreviewItem | undefined;
}

/** What changed since the last event: the files redrawn, and whether files came or went. */
export interface PreviewChange {
  paths: string[];
  /** Files came or went: the page fetches the places of the drawings again. */
  structure: boolean;
}

/** A running preview server. */
export interface PreviewServer {
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  /** Tells every open page what changed. */
  publish(change: PreviewChange): void;
  close(): Promise<void>;
}

const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:";
const SECURITY = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

// A host name as the URL holds it: an IPv6 address in brackets.
const hostInUrl = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** True for an address only this machine reaches. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Starts the server; a taken port or an address it cannot use is a usage error. */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const streams = new Set<ServerResponse>();
  const loopback = isLoopback(options.host);
  let version = 0;
  let port = options.port;
  const names = (): Set<string> =>
    new Set([hostInUrl(options.host), 'localhost', '127.0.0.1', '[::1]'].flatMap((name) => [`${name}:${port}`]));
  const send = (res: ServerResponse, status: number, type: string, body: string, extra = {}): void => {
    res.writeHead(status, { 'content-type': type, ...SECURITY, ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Served to the network (--host), it is reached by names it cannot know; on loopback, by its own only.
    if (loopback && !names().has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'not this server\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'the preview is read-only\n', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://preview');
    const html = 'text/html; charset=utf-8';
    switch (url.pathname) {
      case '/':
        return send(res, 200, html, options.pages.page({ ...options.view(), version }), {
          'content-security-policy': CSP,
        });
      case '/preview.js':
        return send(res, 200, 'text/javascript; charset=utf-8', options.pages.script);
      case '/list':
        return send(res, 200, html, options.pages.list(options.view()));
      case '/places':
        return send(res, 200, html, options.pages.places(options.view()));
      case '/item': {
        const item = options.item(url.searchParams.get('path') ?? '');
        return item
          ? send(res, 200, html, options.pages.item(item))
          : send(res, 404, 'text/plain', 'no such file in the preview\n');
      }
      case '/events':
        res.writeHead(200, { 'content-type': 'text/event-stream', ...SECURITY, connection: 'keep-alive' });
        res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ version })}\n\n`);
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      default:
        return send(res, 404, 'text/plain', 'not found\n');
    }
  };
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UsageError(
              `port ${options.port} is already in use`,
              'pick another with --port, or leave it out for a free one',
            )
          : new UsageError(`cannot serve the preview on ${options.host}: ${e.message}`),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // A comment line now and then keeps proxies and browsers from closing an idle stream.
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();
  return {
    url: `http://${hostInUrl(options.host)}:${port}/`,
    publish(change) {
      version++;
      const data = JSON.stringify({ version, ...change });
      for (const res of streams) res.write(`event: change\ndata: ${data}\n\n`);
    },
    async close() {
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
