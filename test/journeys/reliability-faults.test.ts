import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canonicalJson } from '../../src/core/canonical.js';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { AdaptiveLimit } from '../../src/remote/adaptive-limit.js';
import { dashboardYaml, run, tree } from '../helpers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function fleet(n: number, projects = 4): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++)
    files[`dashboards/p${i % projects}/d${i}.yaml`] = dashboardYaml(`Dashboard ${i}`, ` -- ${i}`);
  return files;
}

/** Every file has an id, each id is exactly one remote dashboard, equal to its file. */
function checkInvariant(dir: string, files: string[], server: RunningServer): void {
  const remote = server.store.list('user');
  expect(remote).toHaveLength(files.length);
  for (const f of files) {
    const doc = parse(readFileSync(join(dir, f), 'utf8')) as { id: string; name: string; definition: object };
    const match = remote.filter((r) => r.id === doc.id);
    expect(match, f).toHaveLength(1);
    expect(canonicalJson(match[0]!.definition as never)).toBe(canonicalJson(doc.definition as never));
    expect(match[0]!.name).toBe(doc.name);
  }
}

describe('network faults', () => {
  it('applies 200 dashboards exactly once with 30% of calls failing (500/503/429/drops, drops after commit)', async () => {
    const server = await startServer({ token: 'fault-token-123456', failRate: 0.3, retryAfter: 0, seed: 20261129 });
    servers.push(server);
    const files = fleet(200);
    const dir = tree(files);
    const env = { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token };
    let runs = 0;
    let code = -1;
    let stderr = '';
    while (runs < 2 && code !== 0) {
      runs++;
      ({ code, stderr } = await run(dir, ['apply', '--yes', '--quiet'], env));
    }
    // On failure, what the last run said is the diagnosis.
    expect(code, stderr).toBe(0);
    const faults = server.stats.fault;
    checkInvariant(dir, Object.keys(files), server);
    console.log(`faults: ${faults} injected over ${runs} run(s); 200 files -> ${server.store.count()} dashboards`);
    expect(faults).toBeGreaterThan(50);
  });

  it('backs off its concurrency when the server answers 429, instead of hammering', async () => {
    const server = await startServer({ token: 'rate-token-123456', maxInflight: 2, retryAfter: 0, latencyMs: 10 });
    servers.push(server);
    const files = fleet(60, 3);
    const dir = tree(files);
    const r = await run(dir, ['apply', '--yes', '--quiet', '--concurrency', '16'], {
      DASHSYNC_URL: server.url,
      DASHSYNC_TOKEN: server.token,
    });
    expect(r.code).toBe(0);
    checkInvariant(dir, Object.keys(files), server);
    console.log(
      `rate limit 2 in flight, concurrency 16: ${server.stats.rateLimited} requests got 429 for ${server.stats.save + server.stats.get + server.stats.list} served`,
    );
    expect(server.stats.rateLimited).toBeLessThan(38);
  });
});

describe('adaptive limit', () => {
  it('halves at each 429 and grows back by one after a run of successes', () => {
    const l = new AdaptiveLimit(16);
    expect(l.throttled()).toBe(8);
    expect(l.throttled()).toBe(4);
    expect(l.throttled()).toBe(2);
    expect(l.throttled()).toBe(1);
    expect(l.throttled()).toBe(1);
    l.succeeded();
    expect(l.limit).toBe(2);
    l.succeeded();
    expect(l.limit).toBe(2);
    l.succeeded();
    expect(l.limit).toBe(3);
  });

  it('never lets more than the limit through at once', async () => {
    const l = new AdaptiveLimit(3);
    let inside = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await l.acquire();
        inside++;
        peak = Math.max(peak, inside);
        await new Promise((r) => setTimeout(r, 2));
        inside--;
        l.release();
      }),
    );
    expect(peak).toBe(3);
  });
});
