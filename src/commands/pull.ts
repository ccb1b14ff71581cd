import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { PullOptions } from '../contract/options.js';
import type { PullChange, PullResult } from '../contract/results.js';
import { contentHash } from '../core/canonical.js';
import { compareText } from '../core/compare.js';
import { decidePull, decideRemoval } from '../core/pull-plan.js';
import { idAsFolderProblem, uniqueFileName } from '../core/slug.js';
import { asFileContent, unrender } from '../core/variables.js';
import type { JsonObject, LocalFile, RemoteSummary } from '../core/types.js';
import { FileError, InterruptedError, UsageError } from '../errors.js';
import { appReading } from '../config/app-projects.js';
import { definitionForFile } from '../local/app-file.js';
import { byteHash, readDashboardBytes } from '../local/dashboard-file.js';
import { projectIdOf } from '../local/folder.js';
import { displayPath, removeFile, writeFileAtomic } from '../local/fsutil.js';
import {
  forgetSynced,
  recordPulled,
  recordSeenEqual,
  recordSynced,
  saveState,
  unchangedSince,
} from '../local/state.js';
import { dashboardText, writeIdToFile } from '../local/writeback.js';
import { quote } from '../core/words.js';
import { mapPool } from '../util/pool.js';
import { dashboardFiles, openRemote } from './open-run.js';
import type { RemoteContext } from './open-run.js';
import { unlistedButThere } from './load-plan.js';
import { loadFile, readLocal, withWorkspaceIds } from './read-local.js';
import { requirePullableProjects } from './selection.js';

/** The folder a project is written to: its mapped name, an existing folder, or its id if it may be one (slug.ts). */
function folderFor(projectId: string, ctx: RemoteContext, existing: Map<string, string>, taken: string[]): string {
  for (const [folder, id] of Object.entries(ctx.settings.projects)) if (id === projectId) return folder;
  const existingFolder = existing.get(projectId);
  if (existingFolder) return existingFolder;
  const why = idAsFolderProblem(projectId, taken);
  if (why === undefined) return projectId;
  throw new UsageError(
    `project id ${quote(projectId)} cannot be used as a folder name (${why})`,
    `map a folder to it in dashsync.yaml: projects: { my-folder: ${quote(projectId)} }`,
  );
}

/**
 * Brings the workspace into the folder: new files for dashboards that have none, rewritten files
 * for those changed in the workspace. A file edited locally since the last sync (or, without a
 * sync state, any file that differs) is kept and reported unless `force`.
 */
export async function pull(options: PullOptions = {}): Promise<PullResult> {
  const ctx = await openRemote(options, 'pull');
  try {
    const { settings, reporter, client } = ctx;
    const force = options.force === true;
    const local = await readLocal(ctx, { projects: options.projects, light: true });
    if (local.problems.length)
      throw new FileError(local.problems, 'fix these files first: pull must know which dashboard each file holds');
    local.files = withWorkspaceIds(ctx, local.files);
    const listed = await client.listAll();
    // Which projects: --project; else those with a folder; else (a first pull, or a folder that
    // mirrors the whole workspace) every project. The mirror mark is saved before any file is
    // written, so a re-run after a crash still brings every project.
    let projectIds: Set<string>;
    const mirrors = (ctx.state.mirrors ??= {});
    if (options.projects?.length) {
      requirePullableProjects(
        options.projects,
        settings.projects,
        new Set(listed.map((summary) => summary.projectId)),
        local.folders,
        settings.scope,
      );
      projectIds = new Set(options.projects.map((project) => projectIdOf(project, settings.projects)));
    } else if (local.folders.length && !mirrors[ctx.workspaceKey])
      projectIds = new Set(local.folders.map((folder) => folder.projectId));
    else {
      projectIds = new Set([
        ...listed.map((summary) => summary.projectId),
        ...local.folders.map((folder) => folder.projectId),
      ]);
      if (!mirrors[ctx.workspaceKey]) {
        mirrors[ctx.workspaceKey] = true;
        await saveState(settings.root, ctx.state);
      }
    }

    const existingFolders = new Map(local.folders.map((folder) => [folder.projectId, folder.folder]));
    const folders = new Map<string, string>();
    const namesInDir = existsSync(settings.dir) ? readdirSync(settings.dir) : [];
    for (const projectId of [...projectIds].sort()) {
      const folder = folderFor(projectId, ctx, existingFolders, namesInDir);
      folders.set(projectId, folder);
      namesInDir.push(folder);
    }

    const wanted = listed.filter((summary) => projectIds.has(summary.projectId)).sort(byProjectNameAndId);

    const byId = new Map(local.files.filter((file) => file.id !== undefined).map((file) => [file.id!, file]));
    const byName = new Map(
      local.files.filter((file) => file.id === undefined).map((file) => [`${file.projectId}\u0000${file.name}`, file]),
    );
    const taken = new Map<string, Set<string>>();
    const takenIn = (folder: string): Set<string> => {
      let names = taken.get(folder);
      if (!names) {
        const abs = join(settings.dir, folder);
        names = new Set(existsSync(abs) ? readdirSync(abs).map((name) => name.toLowerCase()) : []);
        taken.set(folder, names);
      }
      return names;
    };

    // A file is written only if dashsync would read it back: one odd dashboard (an empty name, a
    // definition too big for a file) is reported and skipped, and never blocks the others.
    const refusal = (text: string, path: string): string | undefined => {
      const readBack = readDashboardBytes(Buffer.from(text), path, settings.variables);
      if (readBack.ok) return undefined;
      const problem = readBack.problems[0]!;
      return `not pulled: the file would be refused (${problem.message}); fix the dashboard in the workspace`;
    };
    const changes: PullChange[] = [];
    let unchanged = 0;
    const note = (change: PullChange): void => void changes.push(change);
    const matchOf = (summary: RemoteSummary): LocalFile | undefined =>
      byId.get(summary.id) ?? byName.get(`${summary.projectId}\u0000${summary.name}`);
    // Names for new files are chosen in a fixed order, so they never depend on timing. A dashboard
    // unchanged on both sides since the last sync (same updated_at, same file) is not fetched.
    const newPaths = new Map<string, string>();
    const toFetch: RemoteSummary[] = [];
    for (const summary of wanted) {
      const file = matchOf(summary);
      const baseline = ctx.synced[summary.id];
      if (
        file &&
        file.id === summary.id &&
        unchangedSince(baseline, { contentHash: file.contentHash, updatedAt: summary.updatedAt })
      ) {
        unchanged++;
        continue;
      }
      if (!file) {
        const folder = folders.get(summary.projectId)!;
        newPaths.set(summary.id, join(settings.dir, folder, uniqueFileName(summary.name, takenIn(folder))));
      }
      toFetch.push(summary);
    }

    // Each dashboard is fetched, written and let go: memory stays flat however many there are.
    const bar = reporter.progress?.('pulling', toFetch.length);
    // Ctrl-C: no new dashboard is fetched; those in flight are written and recorded.
    const done = await mapPool(
      toFetch,
      settings.concurrency,
      async (summary) => {
        const dashboard = await client.get(summary.projectId, summary.id);
        bar?.tick();
        if (!dashboard) return;
        const file = matchOf(summary);
        if (!file) {
          const abs = newPaths.get(summary.id)!;
          const fresh = asFileContent(dashboard);
          const text = dashboardText({
            id: dashboard.id,
            name: fresh.name,
            definition: definitionForFile(
              fresh.definition,
              folders.get(summary.projectId)!,
              appReading(settings),
              settings.variables,
            ),
          });
          const path = displayPath(relative(ctx.cwd, abs));
          const why = refusal(text, path);
          if (why) return note({ kind: 'refused', path, id: dashboard.id, name: dashboard.name, message: why });
          await writeFileAtomic(abs, text, { ...dashboardFiles(ctx), durable: true });
          recordPulled(ctx.synced, dashboard, { path, text });
          return note({ kind: 'new', path, id: dashboard.id, name: dashboard.name });
        }
        const abs = resolve(ctx.cwd, file.path);
        const inWorkspace = { projectId: dashboard.projectId, hash: contentHash(dashboard) };
        const decision = decidePull(file, inWorkspace, ctx.synced[dashboard.id], { force });
        if (decision.kind === 'kept')
          return note({
            kind: 'kept',
            path: file.path,
            id: dashboard.id,
            name: dashboard.name,
            message: decision.message,
          });
        if (decision.kind !== 'rewrite') {
          if (decision.kind === 'link') {
            const written = await writeIdToFile(abs, dashboard.id, dashboardFiles(ctx));
            // The file went, or no longer parses, since it was read: it carries no id, so it is not in sync.
            if (written === undefined)
              return note({
                kind: 'kept',
                path: file.path,
                id: dashboard.id,
                name: dashboard.name,
                message: 'changed while pulling: id not written',
              });
            // An edit saved meanwhile stays in the file and is not recorded as synced.
            if (byteHash(written.previous) === file.byteHash)
              recordPulled(ctx.synced, dashboard, { path: file.path, text: written.text });
            else recordSynced(ctx.synced, dashboard.id, { hash: contentHash(dashboard), path: file.path });
            return note({
              kind: 'linked',
              path: file.path,
              id: dashboard.id,
              name: dashboard.name,
              message: 'id written to the file',
            });
          }
          recordSeenEqual(ctx.synced, dashboard.id, file, dashboard.updatedAt);
          unchanged++;
          return;
        }
        const current = await readFile(abs, 'utf8');
        if (byteHash(current) !== file.byteHash)
          return note({
            kind: 'kept',
            path: file.path,
            id: dashboard.id,
            name: dashboard.name,
            message: 'the file changed while pulling; kept',
          });
        // Keep the file's own id, and every placeholder whose rendering still matches the workspace.
        const vars = settings.variables;
        const { template } = await loadFile(ctx, file);
        const name = template ? unrender(template.name, dashboard.name, vars) : asFileContent(dashboard).name;
        const templated = template
          ? unrender(template.definition, dashboard.definition, vars)
          : asFileContent(dashboard).definition;
        const definition = definitionForFile(templated as JsonObject, file.folder, appReading(settings), vars, current);
        const text = dashboardText({ id: file.fileId ?? dashboard.id, name: name as string, definition }, current);
        const why = refusal(text, file.path);
        if (why)
          return note({ kind: 'refused', path: file.path, id: dashboard.id, name: dashboard.name, message: why });
        await writeFileAtomic(abs, text, { ...dashboardFiles(ctx), durable: true });
        recordPulled(ctx.synced, dashboard, { path: file.path, text });
        return note({ kind: 'updated', path: file.path, id: dashboard.id, name: dashboard.name });
      },
      options.signal,
    );

    bar?.stop();
    if (options.signal?.aborted) {
      // Nothing is removed after a partial read: what was written is recorded, and said.
      // Those never started are holes in what mapPool returns.
      const notPulled = toFetch.length - Object.keys(done).length;
      await saveState(settings.root, ctx.state);
      changes.sort((left, right) => compareText(left.path, right.path));
      reporter.show({ type: 'pulled', changes, unchanged, notPulled });
      throw new InterruptedError(
        `interrupted: ${notPulled} ${notPulled === 1 ? 'dashboard was' : 'dashboards were'} not pulled`,
        'run dashsync pull again to finish',
      );
    }
    const remoteIds = new Set(listed.map((summary) => summary.id));
    const selected = local.files.filter((file) => projectIds.has(file.projectId));
    for (const found of await unlistedButThere(ctx, selected, listed)) remoteIds.add(found.id);
    for (const file of local.files) {
      if (file.id === undefined || remoteIds.has(file.id) || !projectIds.has(file.projectId)) continue;
      const removal = decideRemoval(file, ctx.synced[file.id], { prune: options.prune === true, force });
      if (removal.kind === 'remove') {
        await removeFile(resolve(ctx.cwd, file.path), dashboardFiles(ctx).fence);
        forgetSynced(ctx.synced, file.id);
      }
      note({
        kind: removal.kind === 'remove' ? 'removed' : removal.kind,
        path: file.path,
        id: file.id,
        name: file.name,
        message: removal.message,
      });
    }

    await saveState(settings.root, ctx.state);
    changes.sort((left, right) => compareText(left.path, right.path));
    reporter.show({ type: 'pulled', changes, unchanged });
    return { changes, unchanged };
  } finally {
    await ctx.close();
  }
}

// The order pull visits dashboards in, and so names new files in: by project, name, then id.
function byProjectNameAndId(left: RemoteSummary, right: RemoteSummary): number {
  return (
    compareText(left.projectId, right.projectId) || compareText(left.name, right.name) || (left.id < right.id ? -1 : 1)
  );
}
