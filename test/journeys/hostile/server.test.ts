import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardYaml, run, tree } from '../../helpers.js';
import type { RunResult } from '../../helpers.js';

/*
 * A server that answers what our emulator never would: hostile names and ids, broken bodies, huge
 * or endless answers. (Moved from test/hostile.test.ts; the HTTP-side scenarios of issue 20 join it.)
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A hand-written server, for answers our emulator would never give. */
async function fake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const envelope = (data: unknown) => JSON.stringify({ status: 'success', message: 'ok', data });

describe('hostile server responses', () => {
  it('never writes outside --dir, whatever the ids and names, and shows names inert', async () => {
    const evil = [
      '../../../etc/passwd',
      '..\\..\\boot.ini',
      'a/b/../../c',
      'nul\u0000byte',
      'x'.repeat(5000),
      '\u001b]0;pwned\u0007\u001b[2J',
    ];
    const url = await fake((req, res) => {
      if (req.url!.includes('/dashboards/list'))
        return res.end(envelope(evil.map((n, i) => ({ id: `${n}-${i}`, project_id: 'proj', name: n }))));
      const id = decodeURIComponent(req.url!.split('/')[5]!.split('?')[0]!);
      res.end(
        envelope({ id, project_id: 'proj', name: evil[Number(id.split('-').pop())], definition: { note: 'hostile' } }),
      );
    });
    const root = tree();
    const dir = join(root, 'work');
    const r = await run(root, ['pull', '--dir', 'work/dashboards'], {
      DASHSYNC_URL: url,
      DASHSYNC_TOKEN: 'token-hostile-1',
    });
    // The dashboard whose 5000-character id no file may hold is reported, not written (issue 11.8).
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('1 not pulled');
    const written = readdirSync(join(dir, 'dashboards', 'proj'));
    expect(written).toHaveLength(evil.length - 1);
    for (const f of written) expect(f).toMatch(/^[a-z0-9-]+\.yaml$/);
    expect(readdirSync(root).sort()).toEqual(['.dashsync', 'work']);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('"\\x1b]0;pwned\\x07\\x1b[2J"');
  });

  it('refuses a project id that would be a path outside the folder', async () => {
    const url = await fake((req, res) =>
      res.end(
        envelope(
          req.url!.includes('/list')
            ? [{ id: 'a', project_id: '../../outside', name: 'A' }]
            : { id: 'a', project_id: '../../outside', name: 'A', definition: {} },
        ),
      ),
    );
    const root = tree();
    const r = await run(root, ['pull'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-hostile-1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('x project "../../outside"  "A"  its project id cannot be used as a folder name');
    expect(existsSync(join(root, '..', 'outside'))).toBe(false);
    expect(existsSync(join(root, 'dashboards'))).toBe(false);
  });

  it.each([
    ['malformed JSON', (_q: IncomingMessage, res: ServerResponse) => res.end('{"status": "success", "data": [')],
    [
      'a wrong envelope',
      (_q: IncomingMessage, res: ServerResponse) =>
        res.end(JSON.stringify({ status: 'success', data: { dashboards: 'nope' } })),
    ],
    [
      'an HTML error page',
      (_q: IncomingMessage, res: ServerResponse) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad gateway</html>');
      },
    ],
  ])('gives one clear error line for %s', async (_what, handler) => {
    const url = await fake(handler);
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan'], { DASHSYNC_URL: url, DASHSYNC_TOKEN: 'token-hostile-1', DASHSYNC_RETRIES: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: GET \/dashboards\/list(\?scope=user)? failed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops reading a huge body, and gives up on an endless or silent server within the timeout', async () => {
    const huge = await fake((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const silent = await fake(() => undefined);
    const trickle = await fake((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
    });
    // The three runs are independent (plan takes no lock and each has its own server), so they run at
    // the same time: the two timeouts are waited for once, not one after the other.
    const timedRun = async (url: string): Promise<RunResult & { ms: number }> => {
      const started = Date.now();
      const r = await run(dir, ['plan'], {
        DASHSYNC_URL: url,
        DASHSYNC_TOKEN: 'token-hostile-1',
        DASHSYNC_RETRIES: '1',
        DASHSYNC_TIMEOUT: '1',
      });
      return { ...r, ms: Date.now() - started };
    };
    const [big, ...stalled] = await Promise.all([
      run(dir, ['plan'], { DASHSYNC_URL: huge, DASHSYNC_TOKEN: 'token-hostile-1', DASHSYNC_RETRIES: '1' }),
      timedRun(silent),
      timedRun(trickle),
    ]);
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('response body is larger than');

    for (const r of stalled) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('did not answer in time');
      expect(r.ms).toBeLessThan(6000);
    }
  });
});
