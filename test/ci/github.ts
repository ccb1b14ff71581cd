import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers.js';
import { githubStandIn } from '../platform-stand-ins.js';
import type { StandIn } from '../platform-stand-ins.js';
import { TOKEN, bash, checkout, npmCi, sha } from './repo.js';
import type { Cache, JobResult } from './repo.js';

// GitHub Actions, played on this machine: a stand-in of GitHub's API on 127.0.0.1 (pull requests,
// workflow runs, issues, labels) behind a fake `gh` on the PATH, the stand-in of its REST API's pull
// request comments that `dashsync comment` talks to (GITHUB_API_URL), and a runner of the examples'
// workflows that plays each step: `run:` lines with bash as written, the actions by their local
// equivalents (checkout: a clone; cache and artifacts: copies kept here).

const REPO = 'team/dashboards';
/** The token a job's `github.token` (and `secrets.GITHUB_TOKEN`) holds. */
const JOB_TOKEN = 'ghs_job_token_for_tests';

interface Run {
  id: number;
  workflow: string;
  event: string;
  head: string;
  conclusion: 'success' | 'failure';
  artifacts: Map<string, string>;
}

/** An issue as the stand-in keeps it. */
export interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  comments: string[];
}

// The fake `gh`: it sends its arguments (and any --body-file's content) to the stand-in, and prints
// what the stand-in answers, exiting with its code.
const FAKE_GH = `#!/usr/bin/env node
const fs = require('fs');
const http = require('http');
const args = process.argv.slice(2);
const at = args.indexOf('--body-file');
const files = at >= 0 ? { [args[at + 1]]: fs.readFileSync(args[at + 1], 'utf8') } : {};
const body = JSON.stringify({ args, files, token: process.env.GH_TOKEN || '', repo: process.env.GH_REPO || '' });
const req = http.request(process.env.FAKE_GITHUB_API + '/gh', { method: 'POST' }, (res) => {
  let text = '';
  res.on('data', (d) => (text += d));
  res.on('end', () => {
    const answer = JSON.parse(text);
    process.stdout.write(answer.stdout);
    process.stderr.write(answer.stderr);
    process.exit(answer.code);
  });
});
req.end(body);
`;

/** The stand-in of GitHub: its state, and the server the fake `gh` talks to. */
export class FakeGitHub {
  readonly pulls = new Map<string, { number: number; head: string }>();
  readonly heads = new Map<number, string>();
  readonly runs: Run[] = [];
  readonly issues: Issue[] = [];
  readonly labels = new Set<string>();
  /** Pull request comments, as `dashsync comment` posts and edits them with the job's token. */
  comments!: StandIn;
  private nextPull = 1;
  private server!: Server;
  url = '';
  bin = '';

  static async start(): Promise<FakeGitHub> {
    const gh = new FakeGitHub();
    gh.bin = mkdtempSync(join(tmpdir(), 'dashsync-fake-gh-'));
    writeFileSync(join(gh.bin, 'gh'), FAKE_GH);
    chmodSync(join(gh.bin, 'gh'), 0o755);
    gh.server = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        const answer = gh.answer(JSON.parse(text) as { args: string[]; files: Record<string, string>; token: string });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => gh.server.listen(0, '127.0.0.1', r));
    gh.url = `http://127.0.0.1:${(gh.server.address() as { port: number }).port}`;
    gh.comments = await githubStandIn({ token: JOB_TOKEN });
    return gh;
  }

  async close(): Promise<void> {
    await this.comments.close();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** A pull request opened for a branch whose head is `head`: its number. */
  openPull(head: string): number {
    const number = this.nextPull++;
    this.heads.set(number, head);
    return number;
  }

  /** A new head pushed to a pull request's branch. */
  pushed(number: number, head: string): void {
    this.heads.set(number, head);
  }

  /** The pull request merged as `merged` (the commit on main). */
  merged(number: number, merged: string): void {
    this.pulls.set(merged, { number, head: this.heads.get(number)! });
  }

  /** The open issues with a label. */
  open(label: string): Issue[] {
    return this.issues.filter((issue) => issue.state === 'open' && issue.labels.includes(label));
  }

  // What `gh` would print for these arguments: only the calls the examples make are known, so a
  // call the stand-in does not know fails the test instead of passing unseen.
  private answer(call: { args: string[]; files: Record<string, string>; token: string }): JobResult & {
    stdout: string;
    stderr: string;
  } {
    const { args } = call;
    const flag = (name: string): string | undefined => {
      const at = args.indexOf(name);
      return at >= 0 ? args[at + 1] : undefined;
    };
    const ok = (value: unknown) => ({ code: 0, out: '', stdout: jq(value, flag('--jq')), stderr: '' });
    const fail = (why: string) => ({ code: 1, out: '', stdout: '', stderr: `gh: ${why}\n` });
    if (call.token !== JOB_TOKEN) return fail('set the GH_TOKEN environment variable to use gh in a workflow');
    const [group, verb] = args;
    const pulls = /^repos\/([^/]+\/[^/]+)\/commits\/([0-9a-f]+)\/pulls$/.exec(verb ?? '');
    if (group === 'api' && pulls && pulls[1] === REPO) {
      const pull = this.pulls.get(pulls[2]!);
      return ok(pull ? [{ number: pull.number, head: { sha: pull.head } }] : []);
    }
    if (group === 'pr' && verb === 'view' && flag('--json') === 'headRefOid')
      return ok({ headRefOid: this.heads.get(Number(args[2])) });
    if (group === 'run' && verb === 'list' && flag('--json') === 'databaseId') {
      const found = this.runs
        .filter(
          (run) =>
            run.workflow === flag('--workflow') &&
            run.event === flag('--event') &&
            run.head === flag('--commit') &&
            run.conclusion === flag('--status'),
        )
        .reverse()
        .slice(0, Number(flag('--limit') ?? 20));
      return ok(found.map((run) => ({ databaseId: run.id })));
    }
    if (group === 'label' && verb === 'create') {
      this.labels.add(args[2]!);
      return ok('');
    }
    if (group === 'issue' && verb === 'list' && flag('--state') === 'open' && flag('--json') === 'number')
      return ok(
        this.open(flag('--label')!)
          .reverse()
          .map((issue) => ({ number: issue.number })),
      );
    if (group === 'issue' && verb === 'create') {
      const label = flag('--label')!;
      if (!this.labels.has(label)) return fail(`could not add label: '${label}' not found`);
      const issue: Issue = {
        number: this.issues.length + 100,
        title: flag('--title')!,
        body: call.files[flag('--body-file')!]!,
        labels: [label],
        state: 'open',
        comments: [],
      };
      this.issues.push(issue);
      return ok(`https://github.com/${REPO}/issues/${issue.number}\n`);
    }
    const issue = this.issues.find((i) => i.number === Number(args[2]));
    if (group === 'issue' && verb === 'edit' && issue) {
      issue.body = call.files[flag('--body-file')!]!;
      issue.title = flag('--title') ?? issue.title;
      return ok('');
    }
    if (group === 'issue' && verb === 'close' && issue) {
      issue.state = 'closed';
      issue.comments.push(flag('--comment') ?? '');
      return ok('');
    }
    return fail(`the stand-in does not know: gh ${args.join(' ')}`);
  }
}

// The few jq filters the examples use, applied as gh's --jq would.
function jq(value: unknown, filter: string | undefined): string {
  if (filter === undefined) return typeof value === 'string' ? value : `${JSON.stringify(value)}\n`;
  const first = /^\.\[0\]\.(\w+) \/\/ empty$/.exec(filter);
  if (first) {
    const item = (value as Array<Record<string, unknown>>)[0];
    return item?.[first[1]!] !== undefined ? `${String(item[first[1]!])}\n` : '';
  }
  const field = /^\.(\w+)$/.exec(filter);
  if (field) return `${String((value as Record<string, unknown>)[field[1]!])}\n`;
  throw new Error(`the stand-in does not know the jq filter ${filter}`);
}

interface Step {
  id?: string;
  if?: string;
  'continue-on-error'?: boolean;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | boolean>;
}

/** Where and how one workflow run happens. */
export interface GithubRun {
  gh: FakeGitHub;
  origin: string;
  cache: Cache;
  event: 'pull_request' | 'push' | 'schedule';
  /** The commit checked out (a pull request's head, or main's). */
  sha: string;
  runId: number;
  /** pull_request: the pull request's number (in the event file the run's steps read). */
  pr?: number;
}

/** Runs the jobs of an example workflow that this event starts; their results by job name. */
export async function runWorkflow(file: string, run: GithubRun): Promise<Record<string, JobResult>> {
  const workflow = parse(readFileSync(join(ROOT, 'examples', 'ci', file), 'utf8')) as {
    name: string;
    jobs: Record<string, { if?: string; steps: Step[] }>;
  };
  const artifacts = new Map<string, string>();
  const results: Record<string, JobResult> = {};
  const context: Record<string, string> = {
    'github.event_name': run.event,
    'github.ref': run.event === 'pull_request' ? `refs/pull/${run.pr}/merge` : 'refs/heads/main',
    'github.ref_name': 'main',
    'github.sha': run.sha,
    'github.repository': REPO,
    'github.workflow': workflow.name,
    'github.run_id': String(run.runId),
    'github.token': JOB_TOKEN,
  };
  for (const [job, { if: condition, steps }] of Object.entries(workflow.jobs)) {
    if (condition !== undefined && !holds(condition, context)) continue;
    results[job] = await runJob(steps, run, context, artifacts);
  }
  const failed = Object.values(results).some((result) => result.code !== 0);
  run.gh.runs.push({
    id: run.runId,
    workflow: workflow.name,
    event: run.event,
    head: run.sha,
    conclusion: failed ? 'failure' : 'success',
    artifacts,
  });
  return results;
}

// A job's `if:`: comparisons of the context joined by &&, as the examples write them.
function holds(condition: string, context: Record<string, string>): boolean {
  return condition.split('&&').every((part) => {
    const match = /^\s*([\w.]+)\s*==\s*'([^']*)'\s*$/.exec(part);
    if (!match) throw new Error(`the runner does not know the condition ${condition}`);
    return context[match[1]!] === match[2];
  });
}

async function runJob(
  steps: Step[],
  run: GithubRun,
  context: Record<string, string>,
  artifacts: Map<string, string>,
): Promise<JobResult> {
  let dir = '';
  let out = '';
  let code = 0;
  const outputs = new Map<string, string>();
  // The event that started the run, as GitHub writes it for the steps (GITHUB_EVENT_PATH).
  const event = join(mkdtempSync(join(tmpdir(), 'dashsync-ci-event-')), 'event.json');
  writeFileSync(event, JSON.stringify(run.pr !== undefined ? { pull_request: { number: run.pr } } : {}));
  const expr = (text: string): string =>
    text.replaceAll(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, inner: string) => {
      const hash = /^hashFiles\('([^']+)'\)$/.exec(inner);
      if (hash) return sha(dir, hash[1]!);
      if (inner === 'secrets.GITHUB_TOKEN') return JOB_TOKEN;
      if (inner.startsWith('secrets.')) return TOKEN;
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(inner);
      if (output) return outputs.get(`${output[1]}.${output[2]}`) ?? '';
      if (inner in context) return context[inner]!;
      throw new Error(`the runner does not know the expression ${inner}`);
    });
  for (const step of steps) {
    if (code !== 0 && step.if !== 'always()') continue;
    if (step.if !== undefined && step.if !== 'always()' && !holds(step.if, context)) continue;
    const uses = step.uses ?? '';
    const w = (key: string): string => expr(String(step.with?.[key] ?? ''));
    if (uses.startsWith('actions/checkout@')) dir = checkout(run.origin, run.sha);
    else if (uses.startsWith('actions/setup-node@')) continue;
    else if (uses.startsWith('actions/cache/restore@'))
      run.cache.restore(dir, w('key'), w('restore-keys').split('\n').filter(Boolean));
    else if (uses.startsWith('actions/cache/save@')) run.cache.save(dir, w('key'), false);
    else if (uses.startsWith('actions/upload-artifact@')) {
      const paths = w('path').split('\n').filter(Boolean);
      // v4 leaves hidden files out unless asked: the sync state (.dashsync/) would be lost.
      if (paths.some((p) => p.startsWith('.')) && step.with?.['include-hidden-files'] !== true)
        throw new Error('upload-artifact@v4 leaves .dashsync/ out without include-hidden-files: true');
      const into = mkdtempSync(join(tmpdir(), 'dashsync-ci-artifact-'));
      for (const p of paths) if (existsSync(join(dir, p))) cpSync(join(dir, p), join(into, p), { recursive: true });
      artifacts.set(w('name'), into);
    } else if (uses.startsWith('actions/download-artifact@')) {
      const from = w('run-id') ? run.gh.runs.find((r) => r.id === Number(w('run-id'))) : undefined;
      if (w('run-id') && w('github-token') !== JOB_TOKEN)
        throw new Error('download-artifact: run-id needs github-token');
      const artifact = (from?.artifacts ?? artifacts).get(w('name'));
      if (!artifact) throw new Error(`download-artifact: no artifact ${w('name')} in run ${w('run-id') || 'this one'}`);
      cpSync(artifact, dir, { recursive: true });
    } else if (step.run === 'npm ci') npmCi(dir);
    else if (step.run !== undefined) {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(v)]));
      const outputFile = join(mkdtempSync(join(tmpdir(), 'dashsync-ci-output-')), 'output');
      writeFileSync(outputFile, '');
      const r = await bash(expr(step.run), dir, {
        ...env,
        PATH: `${run.gh.bin}:${process.env.PATH ?? ''}`,
        FAKE_GITHUB_API: run.gh.url,
        GITHUB_ACTIONS: 'true',
        GITHUB_API_URL: run.gh.comments.url,
        GITHUB_REPOSITORY: REPO,
        GITHUB_EVENT_NAME: run.event,
        GITHUB_EVENT_PATH: event,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: String(run.runId),
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: join(dir, '.summary.md'),
      });
      for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
        const at = line.indexOf('=');
        if (step.id && at > 0) outputs.set(`${step.id}.${line.slice(0, at)}`, line.slice(at + 1));
      }
      out += r.out;
      // continue-on-error: a failed step is shown, and the job goes on as if it had passed.
      code = step['continue-on-error'] === true ? 0 : r.code;
    } else throw new Error(`a step this runner does not know how to play: ${JSON.stringify(step)}`);
  }
  return { code, out };
}
