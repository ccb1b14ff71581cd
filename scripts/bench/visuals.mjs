// The budgets of issue 23, measured: what the plain-language changes (and the drawings) add to a
// plan of 1,000 updates; one 60-widget app drawn; `dashsync preview` of 1,000 files to its first
// page, and a save shown on it. Starts its own emulator (no latency); prints one line per budget.
// Usage: npm run build && node scripts/bench/visuals.mjs [--runs N]   (npm run bench runs it last)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboard, projectOf, writeFleet } from './fleet.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
const rssHook = join(root, 'scripts', 'bench', 'rss.cjs');
const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 3;
const N = 1000;
const TOKEN = 'bench-token-0123456789';
const work = mkdtempSync(join(tmpdir(), 'dashsync-visuals-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The edit of each dashboard: one widget retyped, one query changed (as wireframe.mjs measures).
const edit = (text) => text.replace('type: line_chart', 'type: area_chart').replace('avg(value_5)', 'max(value_5)');
function edited(i) {
  const now = dashboard(i);
  for (const w of now.definition.widgets)
    if (w.type === 'line_chart') {
      w.type = 'area_chart';
      break;
    }
  for (const w of now.definition.widgets) w.query.text = w.query.text.replace('avg(value_5)', 'max(value_5)');
  return now;
}

// One CLI run: its CPU time (user + system, seconds) as the preloaded hook records it.
function cpuOf(args, cwd, env) {
  const file = join(work, `cpu-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    env: { ...process.env, ...env, NO_COLOR: '1', NODE_OPTIONS: `--require ${rssHook}`, BENCH_RSS_FILE: file },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Number(readFileSync(file, 'utf8').split(' ')[1]) / 1e6;
}

// What the renderings cost alone, in a fresh process as a plan's (cold: no warm-up), on the same 1,000 updates.
function renderingCpu() {
  const script = `
    import { contentChanges } from ${JSON.stringify(join(root, 'dist/core/changes/index.js'))};
    import { mermaidDiagrams } from ${JSON.stringify(join(root, 'dist/report/mermaid.js'))};
    import { sideBySideSvg } from ${JSON.stringify(join(root, 'dist/report/wireframe/index.js'))};
    import { dashboard } from ${JSON.stringify(join(root, 'scripts/bench/fleet.mjs'))};
    const edited = ${edited.toString()};
    const pairs = Array.from({ length: ${N} }, (_, i) => [dashboard(i), edited(i)]);
    const cpu = (work) => { const c = process.cpuUsage(); const out = work(); const d = process.cpuUsage(c); return [(d.user + d.system) / 1e6, out]; };
    const [changes, all] = cpu(() => pairs.map(([a, b]) => contentChanges(a, b)));
    const [diagrams] = cpu(() => pairs.map(([a, b], i) => mermaidDiagrams({ name: b.name, before: a.definition, after: b.definition, changes: all[i] })));
    const [drawings] = cpu(() => pairs.map(([a, b], i) => sideBySideSvg({ name: b.name, before: a.definition, after: b.definition, changes: all[i] })));
    console.log(JSON.stringify({ changes, diagrams, drawings, told: all.reduce((n, c) => n + c.length, 0) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

async function previewTimes(repo, env) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'preview', '--offline'], {
    cwd: repo,
    env: { ...process.env, ...env, NO_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out)) await new Promise((r) => setTimeout(r, 5));
  const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)[1];
  const page = await (await fetch(url)).text();
  const firstPage = performance.now() - t0;
  if (!page.includes('dashsync preview')) throw new Error('no page');
  // A save: from the write to the redrawn file fetched again, as the page does on the event.
  const events = await fetch(`${url}events`);
  const reader = events.body.getReader();
  await reader.read(); // hello
  const path = `dashboards/${projectOf(500)}/dashboard-500.yaml`;
  const abs = join(repo, path);
  const marker = `Saved ${Date.now()}`;
  const t1 = performance.now();
  writeFileSync(abs, readFileSync(abs, 'utf8').replace(/title: .*/, `title: ${marker}`));
  for (let text = ''; !text.includes(path);) text += new TextDecoder().decode((await reader.read()).value);
  const item = await (await fetch(`${url}item?path=${encodeURIComponent(path)}`)).text();
  const shown = performance.now() - t1;
  if (!item.includes(marker)) throw new Error('the save is not shown');
  await reader.cancel();
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  return { firstPage, shown };
}

const server = await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (\S+)/.exec(out);
    if (m) resolve({ child, url: m[1] });
  });
  child.on('exit', (c) => reject(new Error(`emulator exited ${c}`)));
});

try {
  const env = { DASHSYNC_URL: server.url, DASHSYNC_TOKEN: TOKEN };
  const repo = join(work, 'repo');
  writeFleet(repo, N);
  const applied = spawnSync(process.execPath, [cli, 'apply', '--yes', '-q'], {
    cwd: repo,
    env: { ...process.env, ...env },
  });
  if (applied.status !== 0) throw new Error(String(applied.stderr));
  for (let i = 0; i < N; i++) {
    const file = join(repo, 'dashboards', projectOf(i), `dashboard-${i}.yaml`);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  }
  const formats = { text: [], markdown: ['--format', 'markdown'], html: ['--format', 'html'] };
  const plans = {};
  for (const [name, args] of Object.entries(formats))
    plans[name] = median(Array.from({ length: RUNS }, () => cpuOf(['plan', ...args], repo, env)));
  const cost = median(Array.from({ length: RUNS }, renderingCpu).map((r) => r.changes));
  const one = renderingCpu();
  const share = (part, whole) => `${((100 * part) / (whole - part)).toFixed(1)}%`;
  const lines = [];
  lines.push(`Visual budgets (issue 23), ${N} dashboards, median of ${RUNS} run(s):`);
  lines.push(
    `- plan of ${N} updates: ${plans.text.toFixed(2)} s CPU; its plain-language changes (${one.told} of them) ` +
      `${cost.toFixed(2)} s, adding ${share(cost, plans.text)} to the plan without them (budget: under 20%)`,
  );
  lines.push(
    `- plan --format markdown: ${plans.markdown.toFixed(2)} s CPU; its Mermaid diagrams ${one.diagrams.toFixed(2)} s ` +
      `(+${share(one.diagrams + cost, plans.markdown)} with the changes); plan --format html: ${plans.html.toFixed(2)} s CPU, ` +
      `its before-and-after drawings ${one.drawings.toFixed(2)} s (+${share(one.drawings + cost, plans.html)} with the changes)`,
  );
  const wireframe = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'wireframe.mjs'), '--runs', '300'], {
    encoding: 'utf8',
  });
  const drawn = /wireframe of the app \(wireframeSvg\)\s+([\d.]+) ms\s+([\d.]+) ms/.exec(wireframe.stdout);
  lines.push(
    `- one 60-widget app drawn (wireframeSvg): median ${drawn?.[1]} ms, p95 ${drawn?.[2]} ms (budget: under 5 ms)`,
  );
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const copy = join(work, `preview-${r}`);
    cpSync(repo, copy, { recursive: true });
    times.push(await previewTimes(copy, {}));
    rmSync(copy, { recursive: true, force: true });
  }
  lines.push(
    `- preview of ${N} files: first page ${median(times.map((t) => t.firstPage)).toFixed(0)} ms after start (budget: under 1 s); ` +
      `a save shown ${median(times.map((t) => t.shown)).toFixed(0)} ms after it (budget: under 1 s)`,
  );
  console.log(lines.join('\n'));
} finally {
  server.child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
