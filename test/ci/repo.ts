import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, write } from '../helpers.js';

// What the CI example tests share: the team's repository (a bare origin), the clones CI jobs and
// people make of it, `npm ci`, a CI system's cache, and bash to run the examples' lines in.

/** The production workspace's token, as the examples' secrets hold it. */
export const TOKEN = 'production-token-0123456789';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Team',
  GIT_AUTHOR_EMAIL: 'team@example.invalid',
  GIT_COMMITTER_NAME: 'Team',
  GIT_COMMITTER_EMAIL: 'team@example.invalid',
};

/** Runs git in `cwd`; its output, trimmed. */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();

/**
 * The team's repository: a bare "origin" holding config naming the production workspace, and
 * dashboards. CI jobs clone it; the apply job pushes the ids of new dashboards back to it.
 */
export function repository(url: string, files: Record<string, string>, config = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-repo-'));
  write(
    dir,
    'dashsync.yaml',
    `environments:\n  production:\n    url: ${url}\n    token_env: PRODUCTION_TOKEN\n${config}`,
  );
  write(
    dir,
    'package.json',
    JSON.stringify({ name: 'dashboards', private: true, devDependencies: { dashsync: `file:${ROOT}` } }),
  );
  write(
    dir,
    '.gitignore',
    'node_modules/\n.dashsync/\nplan.json\nplan.html\ndrift.json\ndrift.md\ndashsync-state.tgz\n',
  );
  for (const [p, text] of Object.entries(files)) write(dir, p, text);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'dashboards');
  const origin = `${dir}.git`;
  git(tmpdir(), 'clone', '-q', '--bare', dir, origin);
  return origin;
}

/** A fresh clone of origin at `ref` (a branch or a commit): what a CI job or a person starts from. */
export function checkout(origin: string, ref = 'main'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-job-'));
  git(tmpdir(), 'clone', '-q', origin, dir);
  git(dir, 'checkout', '-q', ref);
  return dir;
}

/** A branch made from main by `edit` (in a person's clone), committed and pushed: its head commit. */
export async function branch(
  origin: string,
  name: string,
  edit: (dir: string) => void | Promise<void>,
): Promise<string> {
  const dir = checkout(origin);
  git(dir, 'checkout', '-q', '-b', name);
  await edit(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', `${name}: an edit`);
  git(dir, 'push', '-q', 'origin', name);
  return git(dir, 'rev-parse', 'HEAD');
}

/** One more commit pushed to a branch (after its plan ran): its new head. */
export function pushTo(origin: string, name: string, edit: (dir: string) => void): string {
  const dir = checkout(origin, name);
  edit(dir);
  git(dir, 'commit', '-q', '-am', `${name}: one more edit`);
  git(dir, 'push', '-q', 'origin', name);
  return git(dir, 'rev-parse', 'HEAD');
}

/** The branch merged into main with a merge commit, as a pull or merge request is: the new main. */
export function mergeBranch(origin: string, name: string): string {
  const dir = checkout(origin);
  git(dir, 'merge', '-q', '--no-ff', '-m', `Merge ${name}`, `origin/${name}`);
  git(dir, 'push', '-q', 'origin', 'HEAD:main');
  return git(dir, 'rev-parse', 'HEAD');
}

/** What `npm ci` gives the repository: dashsync as an installed dev dependency. */
export function npmCi(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  if (!existsSync(join(dir, 'node_modules', 'dashsync'))) symlinkSync(ROOT, join(dir, 'node_modules', 'dashsync'));
  if (!existsSync(join(dir, 'node_modules', '.bin', 'dashsync')))
    symlinkSync('../dashsync/dist/cli.js', join(dir, 'node_modules', '.bin', 'dashsync'));
  chmodSync(join(ROOT, 'dist', 'cli.js'), 0o755); // as npm does for every bin it links
}

/** What a job step printed and how it ended. */
export interface JobResult {
  code: number;
  out: string;
}

/** Runs a script with bash -eo pipefail, as CI runners do, with only the given variables (and PATH, HOME). */
export function bash(script: string, cwd: string, env: Record<string, string>): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        CI: 'true',
        NO_COLOR: '1',
        npm_config_update_notifier: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** A CI system's cache: entries by key, restored by exact key or by the newest with a prefix. */
export class Cache {
  private entries: Array<{ key: string; dir: string }> = [];
  restore(into: string, key: string, prefixes: string[]): string | undefined {
    const hit =
      this.entries.find((e) => e.key === key) ??
      [...this.entries].reverse().find((e) => prefixes.some((p) => e.key.startsWith(p)));
    if (hit) cpSync(hit.dir, join(into, '.dashsync'), { recursive: true });
    return hit?.key;
  }
  save(from: string, key: string, overwrite: boolean): void {
    if (!existsSync(join(from, '.dashsync'))) return;
    const existing = this.entries.findIndex((e) => e.key === key);
    if (existing >= 0 && !overwrite) return; // GitHub: a key, once saved, is never written again
    const dir = mkdtempSync(join(tmpdir(), 'dashsync-ci-cache-'));
    cpSync(join(from, '.dashsync'), dir, { recursive: true });
    if (existing >= 0) this.entries.splice(existing, 1);
    this.entries.push({ key, dir });
  }
}

/** The SHA-256 of a file, as `hashFiles` and GitLab's cache keys compute them. */
export const sha = (dir: string, file: string): string =>
  createHash('sha256')
    .update(readFileSync(join(dir, file)))
    .digest('hex');
