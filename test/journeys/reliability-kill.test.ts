import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.js';
import { readDashboardBytes } from '../../src/local/dashboard-file.js';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { CLI, dashboardYaml, run, tree, write } from '../helpers.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/**
 * Runs the CLI and kills it with SIGKILL after `afterMs`, or, with `when`, as soon as `when()` holds
 * plus `afterMs` (if it is still running).
 */
function killAfter(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  afterMs: number,
  when?: () => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'ignore',
    });
    let t: NodeJS.Timeout | undefined;
    const poll = when
      ? setInterval(() => {
          if (when()) {
            clearInterval(poll);
            t = setTimeout(() => child.kill('SIGKILL'), afterMs);
          }
        }, 2)
      : undefined;
    if (!when) t = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', () => {
      if (t) clearTimeout(t);
      if (poll) clearInterval(poll);
      resolve();
    });
  });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(join(dir, 'dashboards'), { recursive: true })
    .map(String)
    .filter((p) => /\.ya?ml$/.test(p) && !p.split('/').some((s) => s.startsWith('.')))
    .map((p) => join('dashboards', p));
}

/** After the re-run: every file intact and valid, exactly one remote dashboard per file, equal to it. */
function invariant(dir: string, server: RunningServer, expected: number): void {
  const files = yamlFiles(dir);
  expect(files).toHaveLength(expected);
  const remote = server.store.list('user');
  expect(remote).toHaveLength(expected);
  for (const f of files) {
    const r = readDashboardBytes(readFileSync(join(dir, f)), f);
    expect(r.ok, `${f} is torn or invalid`).toBe(true);
    if (!r.ok) continue;
    const match = remote.filter((d) => d.id === r.content.id);
    expect(match, `${f} has exactly one dashboard`).toHaveLength(1);
    expect(canonicalJson(match[0]!.definition as never)).toBe(canonicalJson(r.content.definition));
  }
  noLitter(dir);
}

/** No temporary file in the dashboards folder (the user's git tree), even right after a kill. */
function noLitter(dir: string): void {
  if (!existsSync(join(dir, 'dashboards'))) return;
  const leftovers = readdirSync(join(dir, 'dashboards'), { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.tmp'));
  expect(leftovers).toEqual([]);
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const TRIALS = 50;

describe('kill -9 at random moments', () => {
  it(`apply: ${TRIALS} trials, each re-run ends with one dashboard per file and every file intact`, async () => {
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Most trials kill once a random number of saves has landed (plus 0-25 ms, to hit id write-backs);
    // every fifth kills at a random time, which also lands in start-up, reading and listing.
    const trials = Array.from({ length: TRIALS }, (_, i) => ({
      i,
      delay: i % 5 === 0 ? 100 + Math.floor(rand() * 700) : Math.floor(rand() * 25),
      after: 1 + Math.floor(rand() * 12),
    }));
    let midway = 0;
    await pool(trials, 4, async ({ i, delay, after }) => {
      const server = await startServer({ token: 'kill-token-123456', latencyMs: 15 });
      servers.push(server);
      const files: Record<string, string> = {};
      for (let i = 0; i < 16; i++)
        files[`dashboards/p${i % 2}/d${i}.yaml`] = `# dashboard ${i}\n${dashboardYaml(`D${i}`, ` -- ${i}`)}`;
      const dir = tree(files);
      const env = { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token };
      // Half the trials start from a synced folder with edits, so updates are killed too.
      const updates = i % 2 === 1;
      if (updates) {
        expect((await run(dir, ['apply', '--yes', '-q'], env)).code).toBe(0);
        for (let i = 0; i < 16; i += 3)
          write(
            dir,
            `dashboards/p${i % 2}/d${i}.yaml`,
            readFileSync(join(dir, `dashboards/p${i % 2}/d${i}.yaml`), 'utf8').replace('SELECT 1', 'SELECT 2'),
          );
      }
      const savesBefore = server.stats.save;
      const total = updates ? 6 : 16;
      await killAfter(
        dir,
        ['apply', '--yes', '--concurrency', '3'],
        env,
        delay,
        i % 5 === 0 ? undefined : () => server.stats.save - savesBefore >= Math.min(after, total - 1),
      );
      noLitter(dir);
      const saved = server.stats.save - savesBefore;
      if (saved > 0 && saved < total) midway++;
      const again = await run(dir, ['apply', '--yes', '-q'], env);
      expect(again.code, again.stderr).toBe(0);
      invariant(dir, server, 16);
    });
    console.log(
      `kill trials (apply): ${TRIALS}, of which ${midway} killed in the middle of saving; nothing lost, no duplicate`,
    );
    expect(midway).toBeGreaterThan(TRIALS / 5);
  }, 240_000);

  it('pull: 10 trials, each re-run leaves every file intact and one file per dashboard', async () => {
    await pool(
      Array.from({ length: 10 }, (_, i) => i * 60),
      3,
      async (delay) => {
        const server = await startServer({ token: 'kill-token-123456', latencyMs: 5 });
        servers.push(server);
        for (let i = 0; i < 30; i++)
          await server.store.save('user', `p${i % 3}`, {
            name: `Board ${i}`,
            definition: { i, q: 'SELECT 1\nFROM t\n' },
          });
        const dir = tree();
        const env = { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token };
        const k = 1 + (delay / 60) * 3;
        const written = (): number => (existsSync(join(dir, 'dashboards')) ? yamlFiles(dir).length : 0);
        await killAfter(dir, ['pull', '--concurrency', '2'], env, delay % 7, () => written() >= k);
        noLitter(dir);
        const again = await run(dir, ['pull', '-q'], env);
        expect(again.code, again.stderr).toBe(0);
        invariant(dir, server, 30);
      },
    );
  }, 120_000);

  it('watch: 10 trials killed while creating, each re-run ends with one dashboard per file', async () => {
    await pool(
      Array.from({ length: 10 }, (_, i) => 300 + i * 40),
      3,
      async (delay) => {
        const server = await startServer({ token: 'kill-token-123456', latencyMs: 5 });
        servers.push(server);
        const files: Record<string, string> = {};
        for (let i = 0; i < 12; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`W${i}`);
        const dir = tree(files);
        const env = { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: server.token };
        await killAfter(dir, ['watch', '--interval', '0', '--concurrency', '2'], env, delay);
        const again = await run(dir, ['apply', '--yes', '-q'], env);
        expect(again.code, again.stderr).toBe(0);
        invariant(dir, server, 12);
      },
    );
  }, 120_000);

  it('migrate: 8 trials killed after a random number of saves, each re-run completes without duplicates', async () => {
    await pool(
      Array.from({ length: 8 }, (_, i) => i),
      4,
      async (i) => {
        const a = await startServer({ token: 'kill-token-aaaaaa', latencyMs: 5 });
        const b = await startServer({
          token: 'kill-token-bbbbbb',
          latencyMs: 15,
          ...(i % 2 ? { clientIds: 'ignore' as const } : {}),
        });
        servers.push(a, b);
        for (let k = 0; k < 20; k++) await a.store.save('user', 'src', { name: `M${k}`, definition: { k } });
        const dir = tree({
          'dashsync.yaml': `environments:\n  a: { url: "${a.url}", token_env: TA }\n  b: { url: "${b.url}", token_env: TB }\n`,
        });
        const env = { TA: a.token, TB: b.token };
        await killAfter(
          dir,
          ['migrate', '--from', 'a', '--to', 'b', '--yes', '--concurrency', '3'],
          env,
          i * 3,
          () => b.stats.save >= 2 + i * 2,
        );
        const again = await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--yes', '-q'], env);
        expect(again.code, again.stderr).toBe(0);
        const names = b.store.list('user', 'src').map((d) => d.name);
        expect(names).toHaveLength(20);
        expect(new Set(names).size).toBe(20);
        expect(
          (await run(dir, ['migrate', '--from', 'a', '--to', 'b', '--dry-run', '--detailed-exitcode'], env)).code,
        ).toBe(0);
      },
    );
  }, 120_000);
});
