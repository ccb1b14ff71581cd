import { existsSync, readdirSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { contentHash } from '../core/canonical.js';
import { decidePull, decideRemoval } from '../core/pull-plan.js';
import { uniqueFileName } from '../core/slug.js';
import { asFileContent, unrender } from '../core/variables.js';
import type { JsonObject, LocalFile, RemoteDashboard, RemoteSummary } from '../core/types.js';
import { FileError, UsageError } from '../errors.js';
import { appReading } from '../config/app-projects.js';
import { definitionForFile } from '../local/app-file.js';
import { byteHash, readDashboardBytes } from '../local/dashboard-file.js';
import { projectIdOf } from '../local/folder.js';
import { displayPath, writeFileAtomic } from '../local/fsutil.js';
import { forgetSynced, recordSeenEqual, recordSynced, saveState, unchangedSince } from '../local/state.js';
import { dashboardText, writeIdToFile } from '../local/writeback.js';
import { quote } from '../core/words.js';
import { mapPool } from '../util/pool.js';
import { loadFile, openRemote, readLocal, withWorkspaceIds } from './context.js';
import type { CommonOptions, RemoteContext } from './context.js';
import { requirePullableProjects } from './selection.js';

/** Options of `pull`. */
export interface PullOptions extends CommonOptions {
  /** Remove files whose dashboards were deleted in the workspace. */
  prune?: boolean;
  /** Overwrite files edited locally (and remove them with prune). */
  force?: boolean;
}

/** What pull did, or chose not to do, to one file. */
export interface PullChange {
  kind: 'new' | 'updated' | 'linked' | 'removed' | 'kept' | 'gone-remotely' | 'refused';
  path: string;
  id: string;
  name: string;
  message?: string;
}

/** Result of `pull`. */
export interface PullResult {
  changes: PullChange[];
  unchanged: number;
}

const SAFE_FOLDER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

/** The folder a project is written to: its mapped name, an existing folder, or its id if that is a safe name. */
function folderFor(projectId: string, ctx: RemoteContext, existing: Map<string, string>): string {
  for (const [folder, id] of Object.entries(ctx.settings.projects)) if (id === projectId) return folder;
  const existingFolder = existing.get(projectId);
  if (existingFolder) return existingFolder;
  if (SAFE_FOLDER.test(projectId) && !projectId.includes('..')) return projectId;
  throw new UsageError(
    `project id ${quote(projectId)} cannot be used as a folder name`,
    `map a folder to it in dashsync.yaml: projects: { my-folder: ${quote(projectId)} }`,
  );
}

/**
 * Brings the workspace into the folder: new files for dashboards that have none, rewritten files
 * for those changed in the workspace. A file edited locally since the last sync (or, without a
 * sync state, any file that differs) is kept and reported unless `force`.
 */
export async function pull(o: PullOptions = {}): Promise<PullResult> {
  const ctx = await openRemote(o, 'pull');
  try {
    const { settings, reporter, client } = ctx;
    const local = await readLocal(ctx, { projects: o.projects, light: true });
    if (local.problems.length)
      throw new FileError(local.problems, 'fix these files first: pull must know which dashboard each file holds');
    local.files = withWorkspaceIds(ctx, local.files);
    const all = await client.listAll();
    // Which projects: --project; else those with a folder; else (a first pull, or a folder that
    // mirrors the whole workspace) every project. The mirror mark is saved before any file is
    // written, so a re-run after a crash still brings every project.
    let projectIds: Set<string>;
    const mirrors = (ctx.state.mirrors ??= {});
    if (o.projects?.length) {
      requirePullableProjects(
        o.projects,
        settings.projects,
        new Set(all.map((r) => r.projectId)),
        local.folders,
        settings.scope,
      );
      projectIds = new Set(o.projects.map((p) => projectIdOf(p, settings.projects)));
    } else if (local.folders.length && !mirrors[ctx.workspaceKey])
      projectIds = new Set(local.folders.map((f) => f.projectId));
    else {
      projectIds = new Set([...all.map((r) => r.projectId), ...local.folders.map((f) => f.projectId)]);
      if (!mirrors[ctx.workspaceKey]) {
        mirrors[ctx.workspaceKey] = true;
        await saveState(settings.root, ctx.state);
      }
    }

    const existingFolders = new Map(local.folders.map((f) => [f.projectId, f.folder]));
    const folders = new Map<string, string>();
    for (const p of [...projectIds].sort()) folders.set(p, folderFor(p, ctx, existingFolders));

    const wanted = all.filter((r) => projectIds.has(r.projectId));
    wanted.sort((a, b) =>
      a.projectId < b.projectId
        ? -1
        : a.projectId > b.projectId
          ? 1
          : a.name < b.name
            ? -1
            : a.name > b.name
              ? 1
              : a.id < b.id
                ? -1
                : 1,
    );

    const byId = new Map(local.files.filter((f) => f.id !== undefined).map((f) => [f.id!, f]));
    const byName = new Map(
      local.files.filter((f) => f.id === undefined).map((f) => [`${f.projectId}\u0000${f.name}`, f]),
    );
    const taken = new Map<string, Set<string>>();
    const takenIn = (folder: string): Set<string> => {
      let t = taken.get(folder);
      if (!t) {
        const abs = join(settings.dir, folder);
        t = new Set(existsSync(abs) ? readdirSync(abs).map((n) => n.toLowerCase()) : []);
        taken.set(folder, t);
      }
      return t;
    };

    // A file is written only if dashsync would read it back: one odd dashboard (an empty name, a
    // definition too big for a file) is reported and skipped, and never blocks the others.
    const refusal = (text: string, path: string): string | undefined => {
      const r = readDashboardBytes(Buffer.from(text), path, settings.variables);
      if (r.ok) return undefined;
      const p = r.problems[0]!;
      return `not pulled: the file would be refused (${p.message}); fix the dashboard in the workspace`;
    };
    const changes: PullChange[] = [];
    let unchanged = 0;
    const record = (d: RemoteDashboard, path: string, text: string): void => {
      recordSynced(ctx.synced, d.id, {
        hash: contentHash(d),
        path,
        fileHash: byteHash(text),
        ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}),
      });
    };
    const note = (c: PullChange): void => void changes.push(c);
    const matchOf = (d: RemoteSummary): LocalFile | undefined =>
      byId.get(d.id) ?? byName.get(`${d.projectId}\u0000${d.name}`);
    // Names for new files are chosen in a fixed order, so they never depend on timing. A dashboard
    // unchanged on both sides since the last sync (same updated_at, same file) is not fetched.
    const newPaths = new Map<string, string>();
    const toFetch: RemoteSummary[] = [];
    for (const r of wanted) {
      const file = matchOf(r);
      const b = ctx.synced[r.id];
      if (file && file.id === r.id && unchangedSince(b, { contentHash: file.contentHash, updatedAt: r.updatedAt })) {
        unchanged++;
        continue;
      }
      if (!file)
        newPaths.set(
          r.id,
          join(settings.dir, folders.get(r.projectId)!, uniqueFileName(r.name, takenIn(folders.get(r.projectId)!))),
        );
      toFetch.push(r);
    }

    // Each dashboard is fetched, written and let go: memory stays flat however many there are.
    const bar = reporter.progress?.('pulling', toFetch.length);
    await mapPool(toFetch, settings.concurrency, async (r) => {
      const d = await client.get(r.projectId, r.id);
      bar?.tick();
      if (!d) return;
      const file = matchOf(r);
      if (!file) {
        const abs = newPaths.get(r.id)!;
        const fresh = asFileContent(d);
        const text = dashboardText({
          id: d.id,
          name: fresh.name,
          definition: definitionForFile(
            fresh.definition,
            folders.get(r.projectId)!,
            appReading(settings),
            settings.variables,
          ),
        });
        const path = displayPath(relative(ctx.cwd, abs));
        const why = refusal(text, path);
        if (why) return note({ kind: 'refused', path, id: d.id, name: d.name, message: why });
        await writeFileAtomic(abs, text, { durable: true, tmpDir: ctx.tmpDir });
        record(d, path, text);
        return note({ kind: 'new', path, id: d.id, name: d.name });
      }
      const abs = resolve(ctx.cwd, file.path);
      const decision = decidePull(file, { projectId: d.projectId, hash: contentHash(d) }, ctx.synced[d.id], {
        force: o.force === true,
      });
      if (decision.kind === 'kept')
        return note({ kind: 'kept', path: file.path, id: d.id, name: d.name, message: decision.message });
      if (decision.kind !== 'rewrite') {
        if (decision.kind === 'link') {
          const written = await writeIdToFile(abs, d.id, ctx.tmpDir);
          // The file went, or no longer parses, since it was read: it carries no id, so it is not in sync.
          if (written === undefined)
            return note({
              kind: 'kept',
              path: file.path,
              id: d.id,
              name: d.name,
              message: 'changed while pulling: id not written',
            });
          // An edit saved meanwhile stays in the file and is not recorded as synced.
          if (byteHash(written.previous) === file.byteHash) record(d, file.path, written.text);
          else recordSynced(ctx.synced, d.id, { hash: contentHash(d), path: file.path });
          return note({ kind: 'linked', path: file.path, id: d.id, name: d.name, message: 'id written to the file' });
        }
        recordSeenEqual(ctx.synced, d.id, file, d.updatedAt);
        unchanged++;
        return;
      }
      const current = await readFile(abs, 'utf8');
      if (byteHash(current) !== file.byteHash)
        return note({
          kind: 'kept',
          path: file.path,
          id: d.id,
          name: d.name,
          message: 'the file changed while pulling; kept',
        });
      // Keep the file's own id, and every placeholder whose rendering still matches the workspace.
      const vars = settings.variables;
      const { template } = await loadFile(ctx, file);
      const name = template ? unrender(template.name, d.name, vars) : asFileContent(d).name;
      const written = template ? unrender(template.definition, d.definition, vars) : asFileContent(d).definition;
      const definition = definitionForFile(written as JsonObject, file.folder, appReading(settings), vars, current);
      const text = dashboardText({ id: file.fileId ?? d.id, name: name as string, definition }, current);
      const why = refusal(text, file.path);
      if (why) return note({ kind: 'refused', path: file.path, id: d.id, name: d.name, message: why });
      await writeFileAtomic(abs, text, { durable: true, tmpDir: ctx.tmpDir });
      record(d, file.path, text);
      return note({ kind: 'updated', path: file.path, id: d.id, name: d.name });
    });

    bar?.stop();
    const remoteIds = new Set(all.map((r) => r.id));
    for (const f of local.files) {
      if (f.id === undefined || remoteIds.has(f.id) || !projectIds.has(f.projectId)) continue;
      const removal = decideRemoval(f, ctx.synced[f.id], { prune: o.prune === true, force: o.force === true });
      if (removal.kind === 'remove') {
        await unlink(resolve(ctx.cwd, f.path));
        forgetSynced(ctx.synced, f.id);
      }
      note({
        kind: removal.kind === 'remove' ? 'removed' : removal.kind,
        path: f.path,
        id: f.id,
        name: f.name,
        message: removal.message,
      });
    }

    await saveState(settings.root, ctx.state);
    changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    reporter.show({ type: 'pulled', changes, unchanged });
    return { changes, unchanged };
  } finally {
    await ctx.close();
  }
}
