// npm run bench: dashsync against a serial baseline, on the built-in emulator with 20 ms latency.
// Prints one table; each figure is the median of several runs (--runs N, default 3).
//   --quick        N = 100 and 1,000 only, one run each
//   --full         also measure the baseline at N = 10,000 (several minutes)
//   --compare DIR  also run every scenario with the dashsync checkout at DIR (built: its dist/cli.js),
//                  run for run: each run of this checkout is followed by the same run of that one
//                  (who goes first alternates), each against its own emulator and in its own folders,
//                  so that both see the same machine. The table adds its CPU and memory and the change.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboard, projectOf, writeAppFleet, writeFleet } from './bench/fleet.mjs';
import { DEFAULT_CONCURRENCY } from '../dist/config/resolve.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const baselineJs = join(root, 'scripts', 'bench', 'baseline.mjs');
const rssHook = join(root, 'scripts', 'bench', 'rss.cjs');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const full = argv.includes('--full');
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || (quick ? 1 : 3);
const SIZES = quick ? [100, 1000] : [100, 1000, 10000];
const LATENCY = 20;
const CONCURRENCY = DEFAULT_CONCURRENCY; // what dashsync runs with: no --concurrency is given
const TOKEN = 'bench-token-0123456789';
const work = mkdtempSync(join(tmpdir(), 'dashsync-bench-'));
const compareAt = argv.includes('--compare') ? resolve(argv[argv.indexOf('--compare') + 1] ?? '') : undefined;
if (compareAt !== undefined && !existsSync(join(compareAt, 'dist', 'cli.js'))) {
  console.error(`--compare ${compareAt}: no dist/cli.js there (run npm run build in that checkout)`);
  process.exit(1);
}

/** A dashsync being measured: its CLI, its own emulator and its own folders. */
const sides = [
  { name: 'this', cli: join(root, 'dist', 'cli.js'), work: join(work, 'this') },
  ...(compareAt ? [{ name: 'compared', cli: join(compareAt, 'dist', 'cli.js'), work: join(work, 'compared') }] : []),
];
const main = sides[0];

function run(side, cmd, args, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = join(work, `rss-${Math.random().toString(36).slice(2)}`);
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        DASHSYNC_URL: side.server.url,
        DASHSYNC_TOKEN: TOKEN,
        NODE_OPTIONS: `--require ${rssHook}`,
        BENCH_RSS_FILE: rssFile,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0 && code !== 2) return reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`));
      const [rssKb, cpuUs] = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').split(' ').map(Number) : [NaN, NaN];
      resolve({ wall, rss: rssKb / 1024, cpu: cpuUs / 1e6 });
    });
  });
}

async function admin(side, path, method = 'GET') {
  // Retried: a kept-alive connection may be closed by the server just as it is reused.
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(`${side.server.base}/__emulator/${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return (await r.json()).data;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}
const requestsOf = (s) => s.list + s.get + s.save + s.delete;

/**
 * Runs a scenario `runs` times on each side (`fn.prepare(side)`, then `fn.run(side, prepared)`),
 * the sides one after the other within each run; the medians of this checkout, and of the compared
 * one as `compared`.
 */
async function measure(label, n, fn, runs = RUNS, on = sides) {
  const samples = new Map(on.map((side) => [side, []]));
  for (let i = 0; i < runs; i++)
    for (const side of i % 2 ? [...on].reverse() : on) {
      const ctx = await (fn.prepare?.(side) ?? undefined);
      const before = requestsOf(await admin(side, 'stats'));
      const r = await fn.run(side, ctx);
      const requests = requestsOf(await admin(side, 'stats')) - before;
      samples.get(side).push({ ...r, requests });
    }
  const medians = (list) => {
    const med = (k) => list.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
    return { wall: med('wall'), rss: med('rss'), cpu: med('cpu'), requests: med('requests') };
  };
  const [mine, compared] = on.map((side) => medians(samples.get(side)));
  return { label, n, ...mine, ...(compared ? { compared } : {}) };
}

// Each side's emulator, as its own process so that it never competes with what is measured.
function startServer(cli) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'serve', '--port', '0', '--latency', String(LATENCY), '--token', TOKEN],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], base: m[1].replace(/\/api\/v1$/, '') });
    });
    child.on('exit', (c) => reject(new Error(`emulator exited ${c}`)));
  });
}
for (const side of sides) {
  side.server = await startServer(side.cli);
  mkdirSync(side.work, { recursive: true });
}

const rows = [];
// The network's share alone: one list call, then N calls CONCURRENCY at a time, each LATENCY long.
// Beside it the table shows the process's own CPU time (its floor on one core) and the ratio of
// the wall time to the two added: 1.0 would be no overlap and no waiting beyond them.
const latencyBound = (n) => (LATENCY / 1000) * (1 + Math.ceil(n / CONCURRENCY));
const dash = (side, args, cwd) => run(side, process.execPath, [side.cli, ...args], cwd);
// The serial baseline runs on this side only (its emulator and folders): it is the same program for both.
const base = (op, cwd) => run(main, process.execPath, [baselineJs, op, cwd], cwd);
const baselineOk = (n) => n <= 1000 || full;

try {
  for (const n of SIZES) {
    const template = join(work, `fleet-${n}`);
    writeFleet(template, n);
    const repo = (side) => join(side.work, `repo-${n}`);
    const fresh = (side) => {
      rmSync(repo(side), { recursive: true, force: true });
      cpSync(template, repo(side), { recursive: true });
    };

    // 4. apply N creates into an empty workspace (the last run leaves the workspace populated).
    const apply = await measure('apply: create all into an empty workspace', n, {
      prepare: async (side) => {
        await admin(side, 'reset', 'POST');
        fresh(side);
      },
      run: (side) => dash(side, ['apply', '--yes', '-q'], repo(side)),
    });
    const applyBase = baselineOk(n)
      ? await measure(
          '',
          n,
          {
            prepare: async (side) => {
              await admin(side, 'reset', 'POST');
              fresh(side);
            },
            run: () => base('apply', repo(main)),
          },
          RUNS,
          [main],
        )
      : undefined;
    for (const side of sides) {
      await admin(side, 'reset', 'POST');
      fresh(side);
      await dash(side, ['apply', '--yes', '-q'], repo(side));
    }
    rows.push({ ...apply, baseline: applyBase, bound: latencyBound(n) });

    // 1. cold plan, no changes: no sync state, no file cache.
    const cold = await measure('plan, cold (no sync state), no changes', n, {
      prepare: (side) => rmSync(join(repo(side), '.dashsync'), { recursive: true, force: true }),
      run: (side) => dash(side, ['plan', '-q'], repo(side)),
    });
    const planBase = baselineOk(n)
      ? await measure('', n, { run: () => base('plan', repo(main)) }, RUNS, [main])
      : undefined;
    rows.push({ ...cold, baseline: planBase, bound: latencyBound(n) });

    // 2. warm plan, no changes.
    for (const side of sides) await dash(side, ['plan', '-q'], repo(side));
    const warm = await measure('plan, warm, no changes', n, { run: (side) => dash(side, ['plan', '-q'], repo(side)) });
    rows.push({ ...warm, baseline: planBase });

    // 2b. CI: a fresh checkout (new files, new times) with and without .dashsync restored from the
    // last run, as the CI examples' cache steps do.
    if (n <= 1000) {
      const checkout = (side) => join(side.work, `checkout-${n}`);
      const cached = (side) => join(side.work, `cache-${n}`);
      for (const side of sides) {
        rmSync(cached(side), { recursive: true, force: true });
        cpSync(join(repo(side), '.dashsync'), cached(side), { recursive: true });
      }
      const fresh = (withCache) => (side) => {
        rmSync(checkout(side), { recursive: true, force: true });
        cpSync(repo(side), checkout(side), { recursive: true, filter: (src) => !src.endsWith('.dashsync') });
        if (withCache) cpSync(cached(side), join(checkout(side), '.dashsync'), { recursive: true });
      };
      const ciCold = await measure('plan in CI, fresh checkout, no cache', n, {
        prepare: fresh(false),
        run: (side) => dash(side, ['plan', '-q'], checkout(side)),
      });
      rows.push({ ...ciCold, baseline: planBase });
      const ciWarm = await measure('plan in CI, fresh checkout, .dashsync restored', n, {
        prepare: fresh(true),
        run: (side) => dash(side, ['plan', '-q'], checkout(side)),
      });
      rows.push({ ...ciWarm, baseline: planBase });
    }

    // 3. warm plan after editing 10 files.
    const edited = Array.from({ length: 10 }, (_, k) => Math.floor((k * n) / 10));
    const originals = sides.flatMap((side) =>
      edited.map((i) => {
        const p = join(repo(side), 'dashboards', projectOf(i), `dashboard-${i}.yaml`);
        const text = readFileSync(p, 'utf8');
        writeFileSync(p, text.replace('Operational view', 'Operational view, edited'));
        return [p, text];
      }),
    );
    const edits = await measure('plan, warm, 10 files edited', n, {
      run: (side) => dash(side, ['plan', '-q'], repo(side)),
    });
    rows.push({ ...edits, baseline: planBase });
    for (const [p, text] of originals) writeFileSync(p, text);

    // 5. pull N dashboards into an empty folder.
    const target = (side) => join(side.work, `pull-${n}`);
    const empty = (side) => {
      rmSync(target(side), { recursive: true, force: true });
      mkdirSync(target(side));
    };
    const pull = await measure('pull: all into an empty folder', n, {
      prepare: empty,
      run: (side) => dash(side, ['pull', '-q'], target(side)),
    });
    const pullBase = baselineOk(n)
      ? await measure('', n, { prepare: empty, run: () => base('pull', target(main)) }, RUNS, [main])
      : undefined;
    rows.push({ ...pull, baseline: pullBase, bound: latencyBound(n) });
  }

  // 6. validate 10,000 files, cold (no file cache) and warm.
  const vn = quick ? 1000 : 10000;
  const vrepo = join(work, `fleet-${vn}`);
  const vcopy = (side) => join(side.work, `validate-${vn}`);
  for (const side of sides) cpSync(vrepo, vcopy(side), { recursive: true });
  const vcold = await measure('validate, cold', vn, {
    prepare: (side) => rmSync(join(vcopy(side), '.dashsync'), { recursive: true, force: true }),
    run: (side) => dash(side, ['validate', '-q'], vcopy(side)),
  });
  const vbase = await measure('', vn, { run: () => base('validate', vcopy(main)) }, Math.min(RUNS, 2), [main]);
  rows.push({ ...vcold, baseline: vbase });
  for (const side of sides) await dash(side, ['validate', '-q'], vcopy(side));
  const vwarm = await measure('validate, warm', vn, { run: (side) => dash(side, ['validate', '-q'], vcopy(side)) });
  rows.push({ ...vwarm, baseline: vbase });

  // 8. watch: from a file save to the change visible through the API.
  const wn = 1000;
  const settle = 100;
  const watchRows = [];
  for (const side of sides) {
    const wrepo = join(side.work, `repo-${wn}`);
    const watcher = spawn(process.execPath, [side.cli, 'watch', '--interval', '0', '--settle', String(settle)], {
      cwd: wrepo,
      env: { ...process.env, NO_COLOR: '1', DASHSYNC_URL: side.server.url, DASHSYNC_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let wout = '';
    watcher.stdout.on('data', (d) => (wout += d));
    while (!wout.includes('watching')) await new Promise((r) => setTimeout(r, 20));
    const ids = new Map();
    for (const d of (
      await (
        await fetch(`${side.server.url}/dashboards/list?scope=user`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()
    ).data)
      ids.set(d.name, d);
    const lat = [];
    for (let k = 0; k < 20; k++) {
      const i = k * 37;
      const d = ids.get(dashboard(i).name);
      const p = join(wrepo, 'dashboards', projectOf(i), `dashboard-${i}.yaml`);
      const marker = `watch edit ${k}`;
      writeFileSync(p, readFileSync(p, 'utf8').replace(/description: .*/, `description: ${marker}`));
      const t0 = performance.now();
      for (;;) {
        const r = await (
          await fetch(`${side.server.url}/dashboards/${d.project_id}/${d.id}?scope=user`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          })
        ).json();
        if (r.data?.definition?.description === marker) break;
        await new Promise((r2) => setTimeout(r2, 5));
      }
      lat.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    watcher.kill('SIGINT');
    lat.sort((a, b) => a - b);
    watchRows.push({ side, median: lat[Math.floor(lat.length / 2)], p95: lat[Math.floor(lat.length * 0.95)] });
  }

  // 7. apps mode (api: apps) at N = 1,000. Lists of apps carry no timestamps, so no plan can know an
  // app unchanged without getting it: cold and warm plans both need 1 list + N gets, and their
  // bound is the latency of that many calls at the configured concurrency.
  {
    const an = 1000;
    const atemplate = join(work, `apps-${an}`);
    writeAppFleet(atemplate, an);
    const arepo = (side) => join(side.work, `apps-${an}`);
    const acreate = await measure(
      'apps: apply, create all into an empty workspace',
      an,
      {
        prepare: async (side) => {
          await admin(side, 'reset', 'POST');
          rmSync(arepo(side), { recursive: true, force: true });
          cpSync(atemplate, arepo(side), { recursive: true });
        },
        run: (side) => dash(side, ['apply', '--yes', '-q'], arepo(side)),
      },
      1,
    );
    rows.push({ ...acreate, bound: (LATENCY / 1000) * (1 + Math.ceil(an / CONCURRENCY)) });
    const acold = await measure('apps: plan, cold (no sync state), no changes', an, {
      prepare: (side) => rmSync(join(arepo(side), '.dashsync'), { recursive: true, force: true }),
      run: (side) => dash(side, ['plan', '-q'], arepo(side)),
    });
    rows.push({ ...acold, bound: (LATENCY / 1000) * (1 + Math.ceil(an / CONCURRENCY)) });
    for (const side of sides) await dash(side, ['plan', '-q'], arepo(side));
    const awarm = await measure('apps: plan, warm, no changes', an, {
      run: (side) => dash(side, ['plan', '-q'], arepo(side)),
    });
    rows.push({ ...awarm, bound: (LATENCY / 1000) * (1 + Math.ceil(an / CONCURRENCY)) });
  }

  // The table.
  const f = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  const change = (now, then) => (then ? `${now >= then ? '+' : ''}${f((now / then - 1) * 100, 0)}%` : '-');
  const lines = [];
  lines.push(
    `dashsync ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version} benchmark, ${new Date().toISOString().slice(0, 10)}: ${availableParallelism()} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; emulator latency ${LATENCY} ms; concurrency ${CONCURRENCY}; median of ${RUNS} run(s)`,
  );
  if (compareAt) lines.push(`compared with the dashsync at ${compareAt}, run for run`);
  lines.push('');
  const compared = compareAt ? ' compared CPU s | CPU change | compared MB | MB change |' : '';
  lines.push(
    `| scenario | N | requests | wall s | CPU s | peak MB | baseline s | baseline MB | speed-up | latency bound s | bound + CPU s | wall / (bound + CPU) |${compared}`,
  );
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${compareAt ? '---:|---:|---:|---:|' : ''}`);
  for (const r of rows) {
    const then = r.compared;
    const comparedCells = compareAt
      ? ` ${f(then?.cpu)} | ${change(r.cpu, then?.cpu)} | ${f(then?.rss, 0)} | ${change(r.rss, then?.rss)} |`
      : '';
    lines.push(
      `| ${r.label} | ${r.n} | ${r.requests} | ${f(r.wall)} | ${f(r.cpu)} | ${f(r.rss, 0)} | ${f(r.baseline?.wall)} | ${f(r.baseline?.rss, 0)} | ${r.baseline ? `${f(r.baseline.wall / r.wall, 1)}x` : '-'} | ${r.bound ? f(r.bound) : '-'} | ${r.bound ? f(r.bound + r.cpu) : '-'} | ${r.bound ? f(r.wall / (r.bound + r.cpu)) : '-'} |${comparedCells}`,
    );
  }
  lines.push('');
  for (const { side, median, p95 } of watchRows)
    lines.push(
      `watch, ${wn} dashboards${side === main ? '' : ` (compared)`}: save -> visible through the API: median ${f(median, 0)} ms, p95 ${f(p95, 0)} ms (settle delay ${settle} ms; beyond it: median ${f(median - settle, 0)} ms, p95 ${f(p95 - settle, 0)} ms)`,
    );
  console.log(lines.join('\n'));
  // The visual budgets (issue 23): the plan's changes and drawings, one app drawn, the preview.
  const visuals = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'visuals.mjs'), '--runs', String(RUNS)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  console.log(`\n${visuals.stdout.trim()}`);
} finally {
  for (const side of sides) side.server?.child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
