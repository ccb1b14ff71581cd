import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PullChange, PullLiteral, PullResult } from '../contract/results.js';
import { hashedContent } from '../core/canonical.js';
import { compareText } from '../core/compare.js';
import { decidePull } from '../core/pull-plan.js';
import type { PullFetch, PullPlan } from '../core/pull-plan.js';
import type { DashboardContent, LocalFile, RemoteDashboard, ThreeWay } from '../core/types.js';
import { newFileContent } from '../core/unrender.js';
import type { LiteralValue } from '../core/unrender.js';
import { byteHash, readDashboardBytes } from '../local/dashboard-file.js';
import { removeFile, writeFileAtomic } from '../local/fsutil.js';
import { baseContentOf, forgetSynced, keepBase, recordPulled, recordSeenEqual, recordSynced } from '../local/state.js';
import { compareThreeWay, mergeTheirs } from '../core/three-way.js';
import { whoChanged } from '../core/who-changed.js';
import { dashboardText, writeIdToFile } from '../local/writeback.js';
import { mapPool } from '../util/pool.js';
import { definedOnly } from '../util/defined.js';
import { dashboardFiles } from './open-run.js';
import type { RemoteContext } from './open-run.js';
import { pulledFileText } from './file-text.js';
import { loadFile } from './read-local.js';

/*
 * Carrying out a pull's plan (core/pull-plan.ts): each dashboard is fetched, decided, written and
 * let go, so memory stays flat however many there are; then the removals. What was written is
 * recorded in the sync state as it is written. Once `signal` aborts (Ctrl-C, SIGTERM), no new
 * dashboard is fetched, those in flight are written, and nothing is removed after a partial read.
 * Every write and removal goes through the dashboards folder's fence (open-run.ts, dashboardFiles):
 * no link below it is followed.
 */

/** What one fetched dashboard came to. */
type Written = { change?: PullChange; unchanged?: true; literals?: PullLiteral[] };

/**
 * What a pull carried out: its result, and, when it was interrupted or a dashboard failed, how many
 * dashboards it did not pull, and the failure that stopped it.
 */
export type ExecutedPull = PullResult & { notPulled?: number; failure?: unknown };

/** Fetches, writes and removes as planned; returns every change, sorted by path. */
export async function executePull(
  ctx: RemoteContext,
  plan: PullPlan,
  { force, signal }: { force: boolean; signal?: AbortSignal | undefined },
): Promise<ExecutedPull> {
  const changes = [...plan.changes];
  const literals: PullLiteral[] = [];
  let unchanged = plan.unchanged;
  const bar = ctx.reporter.progress?.('pulling', plan.fetch.length);
  // The first failure (a call that failed for good, a file that could not be written) stops the
  // pull as Ctrl-C does: nothing new is started, what is in flight is written, and all that was
  // written is recorded and shown before the failure is told, so that no file is written unrecorded.
  const stop = new AbortController();
  const stopped = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let failure: { error: unknown } | undefined;
  let pulled = 0;
  await mapPool(
    plan.fetch,
    ctx.settings.concurrency,
    async (item) => {
      try {
        const dashboard = await ctx.client.get(item.summary.projectId, item.summary.id);
        bar?.tick();
        if (dashboard) {
          const written = await writeFetched(ctx, item, dashboard, force);
          if (written.change) changes.push(written.change);
          if (written.unchanged) unchanged++;
          literals.push(...(written.literals ?? []));
        }
        pulled++;
      } catch (error) {
        failure ??= { error };
        stop.abort();
      }
    },
    stopped,
  );
  bar?.stop();
  const sorted = (): PullResult => {
    changes.sort((left, right) => compareText(left.path, right.path));
    literals.sort((left, right) => compareText(left.path, right.path) || compareText(left.at, right.at));
    return { changes, unchanged, literals };
  };
  // Nothing is removed after a partial read.
  if (stopped.aborted)
    return { ...sorted(), notPulled: plan.fetch.length - pulled, ...(failure ? { failure: failure.error } : {}) };
  for (const { file, message } of plan.removals) {
    await removeFile(resolve(ctx.cwd, file.path), dashboardFiles(ctx).fence);
    forgetSynced(ctx.synced, file.id!);
    changes.push({ kind: 'removed', path: file.path, id: file.id!, name: file.name, message });
  }
  return sorted();
}

// One fetched dashboard: a new file, or what its file gets (the id, the workspace's content, nothing).
async function writeFetched(
  ctx: RemoteContext,
  item: PullFetch,
  dashboard: RemoteDashboard,
  force: boolean,
): Promise<Written> {
  const about = { id: dashboard.id, name: dashboard.name };
  const { settings } = ctx;
  if (!item.file) {
    const path = item.newPath!;
    const fresh = newFileContent(dashboard, settings.variables);
    const folder = path.split('/').at(-2)!;
    const definition = ctx.flavour.fileDefinition(fresh.definition, folder);
    const text = dashboardText({ id: dashboard.id, name: fresh.name, definition });
    const why = refusal(ctx, text, path);
    if (why) return { change: { kind: 'refused', path, ...about, message: why } };
    await writeFileAtomic(resolve(ctx.cwd, path), text, { ...dashboardFiles(ctx), durable: true });
    const hashed = hashedContent(dashboard);
    recordPulled(ctx.synced, dashboard, { path, text }, hashed.hash);
    keepBase(ctx.state, dashboard, hashed);
    return { change: { kind: 'new', path, ...about }, literals: literalsOf(path, fresh.literals) };
  }
  const file = item.file;
  const abs = resolve(ctx.cwd, file.path);
  const hashed = hashedContent(dashboard);
  const remoteHash = hashed.hash;
  const compared = force ? undefined : await compareBothChanged(ctx, file, dashboard, remoteHash);
  const decision = decidePull(
    compared?.file ?? file,
    { projectId: dashboard.projectId, hash: remoteHash },
    ctx.synced[dashboard.id],
    { force },
    compared?.threeWay,
  );
  switch (decision.kind) {
    case 'kept':
      return { change: { kind: 'kept', path: file.path, ...about, message: decision.message } };
    case 'unchanged':
      recordSeenEqual(ctx.synced, dashboard.id, file, dashboard.updatedAt);
      keepBase(ctx.state, dashboard, hashed);
      return { unchanged: true };
    case 'link': {
      const written = await writeIdToFile(abs, dashboard.id, dashboardFiles(ctx));
      // The file went, or no longer parses, since it was read: it carries no id, so it is not in sync.
      if (written === undefined)
        return {
          change: { kind: 'kept', path: file.path, ...about, message: 'changed while pulling: id not written' },
        };
      // An edit saved meanwhile stays in the file and is not recorded as synced.
      if (byteHash(written.previous) === file.byteHash)
        recordPulled(ctx.synced, dashboard, { path: file.path, text: written.text }, remoteHash);
      else recordSynced(ctx.synced, dashboard.id, { hash: remoteHash, path: file.path });
      return { change: { kind: 'linked', path: file.path, ...about, message: 'id written to the file' } };
    }
    case 'merge': {
      // The file keeps its edits and takes the workspace's; the workspace's content is now the base,
      // so the next plan sends the file's edits as a local edit.
      const { threeWay, yours, base } = compared!;
      const merged = mergeTheirs(base, yours, dashboard);
      const written = await rewriteFile(ctx, file, merged, about);
      if ('refused' in written) return { change: written.refused };
      recordSynced(ctx.synced, dashboard.id, {
        hash: remoteHash,
        path: file.path,
        ...definedOnly({ updatedAt: dashboard.updatedAt }),
      });
      keepBase(ctx.state, dashboard, hashed);
      const message =
        `merged the workspace's changes (${threeWay.theirs.join(', ')}) into the file; ` +
        `your edits (${threeWay.yours.join(', ') || 'none left'}) kept: apply sends them`;
      return { change: { kind: 'merged', path: file.path, ...about, message }, literals: written.literals };
    }
    case 'rewrite':
      break;
  }
  const written = await rewriteFile(ctx, file, dashboard, about);
  if ('refused' in written) return { change: written.refused };
  recordPulled(ctx.synced, dashboard, { path: file.path, text: written.text }, remoteHash);
  keepBase(ctx.state, dashboard, hashed);
  return { change: { kind: 'updated', path: file.path, ...about }, literals: written.literals };
}

/**
 * Writes `content` into an existing file: its own id kept, and every placeholder whose rendering
 * still stands in the value. Kept (not written) when the file changed while pulling.
 */
async function rewriteFile(
  ctx: RemoteContext,
  file: LocalFile,
  content: DashboardContent,
  about: { id: string; name: string },
): Promise<{ text: string; literals: PullLiteral[] } | { refused: PullChange }> {
  const abs = resolve(ctx.cwd, file.path);
  const current = await readFile(abs, 'utf8');
  if (byteHash(current) !== file.byteHash)
    return { refused: { kind: 'kept', path: file.path, ...about, message: 'the file changed while pulling; kept' } };
  // Keep the file's own id, and every placeholder whose rendering still stands in the workspace's value.
  const loaded = await loadFile(ctx, file);
  const template = loaded.template ?? { name: loaded.name, definition: loaded.definition! };
  const { text, literals } = pulledFileText(
    ctx,
    { folder: file.folder, fileId: file.fileId ?? about.id, template, text: current },
    content,
  );
  const why = refusal(ctx, text, file.path);
  if (why) return { refused: { kind: 'refused', path: file.path, ...about, message: why } };
  await writeFileAtomic(abs, text, { ...dashboardFiles(ctx), durable: true });
  return { text, literals: literalsOf(file.path, literals) };
}

/**
 * For a dashboard both sides changed since the last sync, where the state kept the base: the
 * three-way comparison (and the file, loaded). Undefined otherwise.
 */
async function compareBothChanged(
  ctx: RemoteContext,
  file: LocalFile,
  dashboard: RemoteDashboard,
  remoteHash: string,
): Promise<{ file: LocalFile; threeWay: ThreeWay; base: DashboardContent; yours: DashboardContent } | undefined> {
  if (file.contentHash === remoteHash) return undefined;
  if (whoChanged(ctx.synced[dashboard.id], file.contentHash, remoteHash) !== 'conflict') return undefined;
  const base = await baseContentOf(ctx.state, ctx.synced[dashboard.id]);
  if (!base) return undefined;
  const loaded = await loadFile(ctx, file);
  const yours = { name: loaded.name, definition: loaded.definition! };
  return { file: loaded, threeWay: compareThreeWay(base, yours, dashboard), base, yours };
}

// A file is written only if dashsync would read it back: one odd dashboard (an empty name, a
// definition too big for a file) is reported and skipped, and never blocks the others.
function refusal(ctx: RemoteContext, text: string, path: string): string | undefined {
  const readBack = readDashboardBytes(Buffer.from(text), path, ctx.settings.variables, ctx.flavour.reading);
  if (readBack.ok) return undefined;
  const problem = readBack.problems[0]!;
  return `not pulled: the file would be refused (${problem.message}); fix the dashboard in the workspace`;
}

// Where in a file each literal value stands, as messages write it: `definition.widgets[0].query`.
function literalsOf(path: string, found: LiteralValue[]): PullLiteral[] {
  return found.map(({ at, variable }) => ({
    path,
    at: at.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join(''),
    variable,
  }));
}
