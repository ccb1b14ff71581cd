import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGitHub, runWorkflow } from './github.js';
import { FakeGitLab } from './gitlab.js';
import { Cache, branch, git, checkout, mergeBranch, pushTo } from './repo.js';
import type { JobResult } from './repo.js';

// A team's day on either CI system, in the same words: propose a change (a branch and its pull or
// merge request, planned by its pipeline), merge it (the default branch's pipeline applies), run
// the scheduled drift check, and read the drift issues.

/** One CI system as the scenarios drive it. */
export interface Flow {
  name: string;
  /** A change made on a new branch by `edit`, and the plan job of its pull or merge request. */
  propose(name: string, edit: (dir: string) => void | Promise<void>): Promise<JobResult>;
  /** A branch pushed (by a person, to `head`): the plan job of its pull or merge request, opened on the first push. */
  review(name: string, head: string): Promise<JobResult>;
  /** One more commit on a proposal after its plan ran (its pipeline has not run for it). */
  amend(name: string, edit: (dir: string) => void): void;
  /** One more commit pushed to a proposal, and the plan job its pipeline runs for it. */
  update(name: string, edit: (dir: string) => void): Promise<JobResult>;
  /**
   * The comments on a proposal's pull or merge request (those `dashsync comment` posts), and how many
   * times one was posted and edited.
   */
  comments(name: string): { bodies: string[]; posts: number; edits: number };
  /** A file the last plan job of a proposal kept as an artifact (plan.json, plan.html), or undefined. */
  artifact(name: string, file: string): string | undefined;
  /** The proposal merged into main, and the apply job of main's pipeline. */
  merge(name: string): Promise<JobResult>;
  /** The scheduled drift check's job. */
  driftCheck(): Promise<JobResult>;
  /** The drift issues: those open, and how many were closed. */
  driftIssues(): { open: Array<{ id: number; title: string; body: string }>; closed: number };
  close(): Promise<void>;
}

const LABEL = 'dashsync-drift';

/** GitHub Actions, with its stand-in of GitHub and a cache. */
export async function githubFlow(origin: string): Promise<Flow> {
  const gh = await FakeGitHub.start();
  const cache = new Cache();
  const pulls = new Map<string, number>();
  let runId = 0;
  const need = (result: JobResult | undefined, job: string): JobResult => {
    if (!result) throw new Error(`the ${job} job did not run`);
    return result;
  };
  const flow: Flow = {
    name: 'GitHub Actions',
    async propose(name, edit) {
      return flow.review(name, await branch(origin, name, edit));
    },
    async review(name, head) {
      const known = pulls.get(name);
      if (known !== undefined) gh.pushed(known, head);
      const pr = known ?? gh.openPull(head);
      pulls.set(name, pr);
      const run = { gh, origin, cache, event: 'pull_request' as const, sha: head, runId: ++runId, pr };
      return need((await runWorkflow('github-actions.yml', run)).plan, 'plan');
    },
    amend(name, edit) {
      gh.pushed(pulls.get(name)!, pushTo(origin, name, edit));
    },
    update: (name, edit) => flow.review(name, pushTo(origin, name, edit)),
    comments(name) {
      const thread = gh.comments.threads.get(pulls.get(name)!) ?? [];
      const ids = new Set(thread.map((c) => `/issues/comments/${c.id}`));
      const { received } = gh.comments;
      return {
        bodies: thread.map((c) => c.body),
        posts: received.filter((r) => r.method === 'POST' && r.url.endsWith(`/issues/${pulls.get(name)}/comments`))
          .length,
        edits: received.filter((r) => r.method === 'PATCH' && [...ids].some((id) => r.url.endsWith(id))).length,
      };
    },
    artifact(name, file) {
      const head = gh.heads.get(pulls.get(name)!);
      const run = gh.runs.filter((r) => r.event === 'pull_request' && r.head === head).at(-1);
      const dir = run?.artifacts.get('dashsync-plan');
      return dir && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined;
    },
    async merge(name) {
      const merged = mergeBranch(origin, name);
      gh.merged(pulls.get(name)!, merged);
      const run = { gh, origin, cache, event: 'push' as const, sha: merged, runId: ++runId };
      return need((await runWorkflow('github-actions.yml', run)).apply, 'apply');
    },
    async driftCheck() {
      const main = git(checkout(origin), 'rev-parse', 'HEAD');
      const run = { gh, origin, cache, event: 'schedule' as const, sha: main, runId: ++runId };
      return need((await runWorkflow('github-drift-check.yml', run)).drift, 'drift');
    },
    driftIssues() {
      const closed = gh.issues.filter((i) => i.labels.includes(LABEL) && i.state === 'closed').length;
      return { open: gh.open(LABEL).map((i) => ({ id: i.number, title: i.title, body: i.body })), closed };
    },
    close: () => gh.close(),
  };
  return flow;
}

/** GitLab CI, with its stand-in of GitLab's API. */
export async function gitlabFlow(origin: string): Promise<Flow> {
  const gl = await FakeGitLab.start();
  const requests = new Map<string, number>();
  const need = (result: JobResult | undefined, job: string): JobResult => {
    if (!result) throw new Error(`the ${job} job did not run`);
    return result;
  };
  const flow: Flow = {
    name: 'GitLab CI',
    async propose(name, edit) {
      return flow.review(name, await branch(origin, name, edit));
    },
    async review(name, head) {
      const known = requests.get(name);
      if (known !== undefined) gl.pushed(known, head);
      const mr = known ?? gl.openMergeRequest(head);
      requests.set(name, mr);
      return need((await gl.runPipeline(origin, { source: 'merge_request_event', sha: head, mr })).plan, 'plan');
    },
    amend(name, edit) {
      gl.pushed(requests.get(name)!, pushTo(origin, name, edit));
    },
    update: (name, edit) => flow.review(name, pushTo(origin, name, edit)),
    comments(name) {
      const mr = requests.get(name)!;
      const at = gl.noteRequests.filter((r) => r.mr === mr);
      return {
        bodies: (gl.notes.get(mr) ?? []).map((n) => n.body),
        posts: at.filter((r) => r.method === 'POST').length,
        edits: at.filter((r) => r.method === 'PUT').length,
      };
    },
    artifact(name, file) {
      const pipeline = gl.pipelines.filter((p) => p.mr === requests.get(name)).at(-1);
      const stored = pipeline?.jobs.find((j) => j.name === 'dashboards:plan')?.artifacts.get(file);
      return stored ? readFileSync(stored, 'utf8') : undefined;
    },
    async merge(name) {
      const merged = mergeBranch(origin, name);
      gl.merged(requests.get(name)!, merged);
      return need((await gl.runPipeline(origin, { source: 'push', sha: merged })).apply, 'apply');
    },
    async driftCheck() {
      const main = git(checkout(origin), 'rev-parse', 'HEAD');
      return need((await gl.runPipeline(origin, { source: 'schedule', sha: main })).drift, 'drift');
    },
    driftIssues() {
      const closed = gl.issues.filter((i) => i.labels.includes(LABEL) && i.state === 'closed').length;
      return { open: gl.open(LABEL).map((i) => ({ id: i.iid, title: i.title, body: i.description })), closed };
    },
    close: () => gl.close(),
  };
  return flow;
}
