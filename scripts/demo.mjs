// The README's "main job": start the built-in emulator, then run the real CLI against it on a copy
// of examples/: plan (all creates), apply, plan (no changes), an edit, plan (a diff), apply, and a
// pull into a second folder. Leaves nothing running and nothing behind.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'dashsync-demo-'));
const repo = join(work, 'repo');
cpSync(join(root, 'examples'), repo, { recursive: true, filter: (src) => !src.includes('.dashsync') });

const token = 'demo-token';
const server = spawn(process.execPath, [cli, 'serve', '--port', '0', '--token', token], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The start-up timer is cleared once the emulator answers: left running, it kept the demo alive for
// the rest of its 10 s after every step had finished.
let startTimer;
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  startTimer = setTimeout(() => reject(new Error('emulator did not start within 10 s')), 10_000);
}).finally(() => clearTimeout(startTimer));

const env = { ...process.env, DASHSYNC_URL: url, DASHSYNC_TOKEN: token };
// Colour only on a terminal and without NO_COLOR, as the CLI itself does.
const color = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s);
let failed = false;
function step(title, args, expect = [0]) {
  console.log(`\n${bold(`== ${title}`)}\n$ dashsync ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repo, env, stdio: 'inherit' });
  if (!expect.includes(r.status)) {
    console.error(`demo: step "${title}" exited ${r.status}, expected ${expect.join(' or ')}`);
    failed = true;
  }
}

try {
  console.log(`emulator at ${url}; working copy of examples/ in ${repo}`);
  step('validate the files (offline)', ['validate']);
  step('plan against an empty workspace: everything is a create', ['plan', '--detailed-exitcode'], [2]);
  step('apply it', ['apply', '--yes']);
  console.log('\nids written back into the files, nothing else touched:');
  console.log(
    readFileSync(join(repo, 'dashboards/sales/revenue-overview.yaml'), 'utf8').split('\n').slice(0, 4).join('\n'),
  );
  step('plan again: nothing to do', ['plan', '--detailed-exitcode'], [0]);

  const file = join(repo, 'dashboards/operations/service-latency.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace("interval '6 hours'", "interval '24 hours'")
      .replace('title: p99 latency (ms)', 'title: p99 latency over 24h (ms)'),
  );
  console.log('\n(edited dashboards/operations/service-latency.yaml: a title and a query)');
  step('plan shows a readable diff', ['plan', '--detailed-exitcode'], [2]);
  step('apply the edit', ['apply', '--yes']);
  step('pull the workspace into a second folder', ['pull', '--dir', 'pulled']);
  const pulled = readdirSync(join(repo, 'pulled'), { recursive: true }).filter((p) => String(p).endsWith('.yaml'));
  console.log(
    `\n${pulled.length} files pulled into ${relative(work, join(repo, 'pulled'))}/: ${pulled.sort().join(', ')}`,
  );
  step(
    'plan from the pulled folder: the workspace already matches it',
    ['plan', '--dir', 'pulled', '--detailed-exitcode'],
    [0],
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
console.log(failed ? '\ndemo: FAILED' : '\ndemo: all steps behaved as expected; emulator stopped, temp files removed.');
process.exitCode = failed ? 1 : 0;
