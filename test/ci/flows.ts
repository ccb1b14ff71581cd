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
  const heads = new Map<string, string>();
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
      heads.set(name, head);
      const run = { gh, origin, cache, event: 'pull_request' as const, sha: head, runId: ++runId };
      return need((await runWorkflow('github-actions.yml', run)).plan, 'plan');
    },
    amend(name, edit) {
      heads.set(name, pushTo(origin, name, edit));
    },
    async merge(name) {
      const merged = mergeBranch(origin, name);
      gh.merged(heads.get(name)!, merged);
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
