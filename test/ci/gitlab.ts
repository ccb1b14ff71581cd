import { existsSync, mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers.js';
import { TOKEN, bash, checkout, npmCi } from './repo.js';
import type { JobResult } from './repo.js';

// GitLab CI, played on this machine: a stand-in of GitLab's REST API on 127.0.0.1 (merge requests,
// pipelines, jobs and their artifacts, issues, merge request notes) and a runner of the example's pipeline that plays
// each job's `script:` lines with bash as written, in a fresh clone, with the variables GitLab sets.

const PROJECT = '42';
const JOB_TOKEN = 'glcbt-job-token-for-tests';
/** DASHSYNC_API_TOKEN: the project access token the example asks for. */
const API_TOKEN = 'glpat-api-token-for-tests';
/** GITLAB_TOKEN: the token the example gives `dashsync comment` for merge request notes. */
const NOTE_TOKEN = 'glpat-note-token-for-tests';

interface Job {
  id: number;
  name: string;
  status: 'success' | 'failed';
  artifacts: Map<string, string>;
}
interface Pipeline {
  id: number;
  sha: string;
  ref: string;
  source: string;
  mr?: number;
  status: 'success' | 'failed';
  jobs: Job[];
}
/** An issue as the stand-in keeps it. */
export interface GitlabIssue {
  iid: number;
  title: string;
  description: string;
  labels: string[];
  state: 'opened' | 'closed';
}

/** The stand-in of GitLab: its state, and its API on 127.0.0.1. */
export class FakeGitLab {
  readonly pipelines: Pipeline[] = [];
  readonly issues: GitlabIssue[] = [];
  /** Merge request notes by iid, and every request made to them. */
  readonly notes = new Map<number, Array<{ id: number; body: string }>>();
  readonly noteRequests: Array<{ method: string; mr: number }> = [];
  private readonly mrs = new Map<number, { head: string; merged?: string }>();
  private nextId = 1000;
  private server!: Server;
  url = '';

  static async start(): Promise<FakeGitLab> {
    const gl = new FakeGitLab();
    gl.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => gl.route(req, res, body));
    });
    await new Promise<void>((r) => gl.server.listen(0, '127.0.0.1', r));
    gl.url = `http://127.0.0.1:${(gl.server.address() as { port: number }).port}`;
    return gl;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Opens a merge request of a branch whose head is `head`: its iid. */
  openMergeRequest(head: string): number {
    const iid = this.mrs.size + 1;
    this.mrs.set(iid, { head });
    return iid;
  }

  /** A new head pushed to a merge request's branch. */
  pushed(iid: number, head: string): void {
    this.mrs.get(iid)!.head = head;
  }

  /** The merge request merged as the commit `merged` on the default branch. */
  merged(iid: number, merged: string): void {
    this.mrs.get(iid)!.merged = merged;
  }

  /** The open issues with a label. */
  open(label: string): GitlabIssue[] {
    return this.issues.filter((issue) => issue.state === 'opened' && issue.labels.includes(label));
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const form = new URLSearchParams(body);
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
    const prefix = `/api/v4/projects/${PROJECT}/`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: '404 Project Not Found' });
    const path = decodeURIComponent(url.pathname.slice(prefix.length));
    const artifactRoute = /^jobs\/(artifacts\/|\d+\/artifacts\/)/.test(path);
    const notes = /^merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(path);
    const authorised = notes
      ? req.headers['private-token'] === NOTE_TOKEN
      : req.headers['private-token'] === API_TOKEN || (artifactRoute && req.headers['job-token'] === JOB_TOKEN);
    if (!authorised) return send(401, { message: '401 Unauthorized' });
    if (notes)
      return this.note(req, res, body, Number(notes[1]), notes[2] === undefined ? undefined : Number(notes[2]));
    const file = (job: Job | undefined, name: string): void => {
      const stored = job?.artifacts.get(name);
      if (!stored) return send(404, { message: '404 Not found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(readFileSync(stored));
    };
    let match: RegExpExecArray | null;
    if ((match = /^jobs\/artifacts\/([^/]+)\/raw\/(.+)$/.exec(path)) && req.method === 'GET') {
      const job = this.pipelines
        .filter((p) => p.ref === match![1])
        .flatMap((p) => p.jobs)
        .filter((j) => j.name === url.searchParams.get('job') && j.status === 'success')
        .at(-1);
      return file(job, match[2]!);
    }
    if ((match = /^jobs\/(\d+)\/artifacts\/(.+)$/.exec(path)))
      return file(
        this.pipelines.flatMap((p) => p.jobs).find((j) => j.id === Number(match![1])),
        match[2]!,
      );
    if ((match = /^repository\/commits\/([0-9a-f]+)\/merge_requests$/.exec(path)))
      return send(
        200,
        [...this.mrs].filter(([, mr]) => mr.merged === match![1]).map(([iid, mr]) => ({ iid, sha: mr.head })),
      );
    if ((match = /^merge_requests\/(\d+)$/.exec(path))) {
      const mr = this.mrs.get(Number(match[1]));
      return mr ? send(200, { iid: Number(match[1]), sha: mr.head }) : send(404, { message: '404 Not found' });
    }
    if ((match = /^merge_requests\/(\d+)\/pipelines$/.exec(path)))
      return send(
        200,
        this.pipelines
          .filter((p) => p.mr === Number(match![1]))
          .reverse()
          .map(({ id, sha, status }) => ({ id, sha, status })),
      );
    if ((match = /^pipelines\/(\d+)\/jobs$/.exec(path)))
      return send(
        200,
        (this.pipelines.find((p) => p.id === Number(match![1]))?.jobs ?? []).map(({ id, name, status }) => ({
          id,
          name,
          status,
        })),
      );
    if (path === 'issues' && req.method === 'GET') {
      const label = url.searchParams.get('labels') ?? '';
      const state = url.searchParams.get('state');
      return send(200, this.issues.filter((i) => i.labels.includes(label) && (!state || i.state === state)).reverse());
    }
    if (path === 'issues' && req.method === 'POST') {
      const issue: GitlabIssue = {
        iid: this.issues.length + 1,
        title: form.get('title') ?? '',
        description: form.get('description') ?? '',
        labels: (form.get('labels') ?? '').split(','),
        state: 'opened',
      };
      this.issues.push(issue);
      return send(201, issue);
    }
    if ((match = /^issues\/(\d+)$/.exec(path)) && req.method === 'PUT') {
      const issue = this.issues.find((i) => i.iid === Number(match![1]));
      if (!issue) return send(404, { message: '404 Not found' });
      if (form.has('description')) issue.description = form.get('description')!;
      if (form.has('title')) issue.title = form.get('title')!;
      if (form.get('state_event') === 'close') issue.state = 'closed';
      return send(200, issue);
    }
    send(404, { message: `the stand-in does not know ${req.method} ${path}` });
  }

  // A merge request's notes: listed (one page, no next), posted, edited in place.
  private note(req: IncomingMessage, res: ServerResponse, text: string, mr: number, id: number | undefined): void {
    this.noteRequests.push({ method: req.method ?? '', mr });
    const send = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-next-page': '' });
      res.end(JSON.stringify(value));
    };
    const held = this.notes.get(mr) ?? [];
    if (req.method === 'GET' && id === undefined)
      return send(
        200,
        held.map((n) => ({ ...n, system: false })),
      );
    const body = (): string => (JSON.parse(text || '{}') as { body?: string }).body ?? '';
    if (req.method === 'POST' && id === undefined) {
      const note = { id: this.nextId++, body: body() };
      this.notes.set(mr, [...held, note]);
      return send(201, note);
    }
    const note = held.find((n) => n.id === id);
    if (req.method === 'PUT' && note) {
      note.body = body();
      return send(200, note);
    }
    send(404, { message: '404 Note Not Found' });
  }

  /**
   * Runs the pipeline GitLab would start for this event: the jobs whose rules match, stage by stage,
   * each in a fresh clone at `sha` (a manual job is played as if someone started it).
   */
  async runPipeline(
    origin: string,
    event: { source: 'merge_request_event' | 'push' | 'schedule'; sha: string; mr?: number },
  ): Promise<Record<string, JobResult>> {
    const config = parse(readFileSync(join(ROOT, 'examples', 'ci', 'gitlab-ci.yml'), 'utf8')) as Record<
      string,
      GitlabJob & { before_script?: string[] }
    > & { stages: string[] };
    const variables: Record<string, string> = {
      CI_PIPELINE_SOURCE: event.source,
      CI_DEFAULT_BRANCH: 'main',
      ...(event.source === 'merge_request_event' ? {} : { CI_COMMIT_BRANCH: 'main' }),
    };
    const ref = event.source === 'merge_request_event' ? `refs/merge-requests/${event.mr}/head` : 'main';
    const pipeline: Pipeline = {
      id: this.nextId++,
      sha: event.sha,
      ref,
      source: event.source,
      ...(event.mr !== undefined ? { mr: event.mr } : {}),
      status: 'success',
      jobs: [],
    };
    this.pipelines.push(pipeline);
    const results: Record<string, JobResult> = {};
    const defaults = config.default as unknown as { before_script: string[] };
    for (const stage of config.stages)
      for (const [name, job] of Object.entries(config)) {
        if (!job || typeof job !== 'object' || !('script' in job) || job.stage !== stage) continue;
        if (!job.rules.some((rule) => matches(rule.if, variables))) continue;
        const result = await this.runJob(origin, pipeline, name, job, [...defaults.before_script, ...job.script], {
          ...variables,
          CI_COMMIT_SHA: event.sha,
          ...(event.mr !== undefined ? { CI_MERGE_REQUEST_IID: String(event.mr) } : {}),
        });
        results[name.replace('dashboards:', '')] = result;
        if (result.code !== 0) pipeline.status = 'failed';
      }
    return results;
  }

  private async runJob(
    origin: string,
    pipeline: Pipeline,
    name: string,
    spec: GitlabJob,
    lines: string[],
    variables: Record<string, string>,
  ): Promise<JobResult> {
    const dir = checkout(origin, pipeline.sha);
    let out = '';
    let code = 0;
    for (const line of lines) {
      if (line === 'npm ci') {
        npmCi(dir);
        continue;
      }
      const r = await bash(line, dir, {
        ...variables,
        GITLAB_CI: 'true',
        CI_API_V4_URL: `${this.url}/api/v4`,
        CI_PROJECT_ID: PROJECT,
        CI_JOB_TOKEN: JOB_TOKEN,
        DASHSYNC_API_TOKEN: API_TOKEN,
        GITLAB_TOKEN: NOTE_TOKEN,
        CI_JOB_URL: `https://gitlab.example/team/dashboards/-/jobs/${pipeline.id}`,
        PRODUCTION_TOKEN: TOKEN,
        DASHSYNC_PUSH_URL: origin,
      });
      out += r.out;
      code = r.code;
      if (code !== 0) break;
    }
    const job: Job = { id: this.nextId++, name, status: code === 0 ? 'success' : 'failed', artifacts: new Map() };
    if (code === 0 || spec.artifacts?.when === 'always') {
      const kept = mkdtempSync(join(tmpdir(), 'dashsync-ci-artifact-'));
      for (const path of spec.artifacts?.paths ?? [])
        if (existsSync(join(dir, path))) {
          copyFileSync(join(dir, path), join(kept, path));
          job.artifacts.set(path, join(kept, path));
        }
    }
    pipeline.jobs.push(job);
    return { code, out };
  }
}

interface GitlabJob {
  stage: string;
  rules: Array<{ if: string; when?: string }>;
  script: string[];
  artifacts?: { when?: string; paths: string[] };
}

// A rule's `if:`: comparisons of variables with strings or other variables, joined by &&.
function matches(condition: string, variables: Record<string, string>): boolean {
  return condition.split('&&').every((part) => {
    const match = /^\s*\$(\w+)\s*==\s*(?:"([^"]*)"|\$(\w+))\s*$/.exec(part);
    if (!match) throw new Error(`the runner does not know the rule ${condition}`);
    const left = variables[match[1]!];
    const right = match[2] ?? variables[match[3]!];
    return left !== undefined && left === right;
  });
}
