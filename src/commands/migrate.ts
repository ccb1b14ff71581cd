import { mapPageProjects } from '../core/app.js';
import { contentHash } from '../core/canonical.js';
import { claimRemotes } from '../core/claims.js';
import { computePlan } from '../core/plan.js';
import { hasChanges } from '../core/plan-summary.js';
import type { ProjectFolder } from '../core/types.js';
import { slugify } from '../core/slug.js';
import type { LocalFile, Plan, RemoteDashboard } from '../core/types.js';
import { InterruptedError, UsageError } from '../errors.js';
import { mapPool } from '../util/pool.js';
import { openRemote } from './context.js';
import type { CommonOptions } from './context.js';
import { executePlan, summarizeOutcomes } from './execute.js';
import type { ActionOutcome, ExecutionSummary } from './execute.js';
import { fetchClaimed } from './load-plan.js';
import { migrateErrorMessage, unknownSourceProject } from './migrate-words.js';
import { confirmed } from './confirm.js';
import type { Confirm } from './confirm.js';

/** Options of `migrate`. */
export interface MigrateOptions extends CommonOptions {
  /** Environment (under `environments:`) to copy from; only ever read. */
  from: string;
  /** Environment to copy into. */
  to: string;
  /** `SRC=DST` project pairs, or single projects (ids, or folder names mapped in each environment); all projects when absent. */
  projectPairs?: string[];
  prune?: boolean;
  force?: boolean;
  yes?: boolean;
  /** Only show the plan. */
  dryRun?: boolean;
  /** Asks the user to confirm; absent (no terminal) and without `yes`, migrate refuses. */
  confirm?: Confirm;
  signal?: AbortSignal;
}

/** Result of `migrate`. */
export interface MigrateResult {
  plan: Plan;
  outcomes: ActionOutcome[];
  summary: ExecutionSummary;
  applied: boolean;
  workspace: { url: string; scope: string; env?: string };
}

/**
 * Copies dashboards from one workspace to another without a working folder. Each source dashboard
 * keeps its id in the target where the target accepts it (else the target's id goes in the id map),
 * so a re-run is a no-op and an interrupted run completes without duplicates.
 */
export async function migrate(o: MigrateOptions): Promise<MigrateResult> {
  if (o.from === o.to) throw new UsageError('--from and --to name the same environment');
  // Each side is one environment of dashsync.yaml, whole: a flag that would apply to both sides (one
  // URL or token for two workspaces) or that migrate has no use for (no folder) is refused, not guessed.
  const foreign = (['url', 'token', 'env', 'dir'] as const).filter((k) => o.flags?.[k] !== undefined);
  if (foreign.length)
    throw new UsageError(
      `migrate takes its two workspaces from --from and --to, and uses no folder: ${foreign.map((k) => `--${k}`).join(', ')} cannot be used with it`,
      'set url and token_env of each side under environments: in dashsync.yaml',
    );
  const source = await openRemote({ ...o, flags: { ...o.flags, env: o.from } }, undefined, { folder: false });
  try {
    const target = await openRemote({ ...o, flags: { ...o.flags, env: o.to } }, 'migrate', { folder: false });
    try {
      const { reporter } = target;
      // Project pairs: explicit SRC=DST, else every source project, mapped through both
      // environments' projects: (same folder name) or kept as the same id.
      const pairs = new Map<string, string>();
      // A source project without a folder name in the source's map has the folder name it would
      // get from pull: its id. The target's map then places that folder like any other.
      const viaFolder = (srcId: string): string => {
        const folder = Object.entries(source.settings.projects).find(([, id]) => id === srcId)?.[0] ?? srcId;
        return target.settings.projects[folder] ?? srcId;
      };
      const all = await source.client.listAll();
      if (o.projectPairs?.length) {
        const present = new Set(all.map((r) => r.projectId));
        for (const pair of o.projectPairs) {
          const m = /^([^=]+)(?:=([^=]+))?$/.exec(pair);
          if (!m) throw new UsageError(`--project takes SRC=DST (or one project) for migrate, not "${pair}"`);
          const src = source.settings.projects[m[1]!] ?? m[1]!;
          if (!present.has(src)) throw unknownSourceProject(m[1]!, src, o.from, source.settings.scope, present);
          pairs.set(
            src,
            m[2] !== undefined
              ? (target.settings.projects[m[2]] ?? m[2])
              : (target.settings.projects[m[1]!] ?? viaFolder(src)),
          );
        }
      } else {
        for (const r of all) if (!pairs.has(r.projectId)) pairs.set(r.projectId, viaFolder(r.projectId));
      }
      const wanted = all.filter((r) => pairs.has(r.projectId));
      const fetched = (
        await mapPool(wanted, source.settings.concurrency, (r) => source.client.get(r.projectId, r.id))
      ).filter((d): d is RemoteDashboard => d !== undefined);

      // An app copied to another project points its pages at that project, and a page bound to any
      // other project the source maps (a folder's id there) at what the target maps that folder to.
      const moves = new Map<string, string>();
      for (const folder of new Set([
        ...Object.keys(source.settings.projects),
        ...Object.keys(target.settings.projects),
      ])) {
        moves.set(source.settings.projects[folder] ?? folder, target.settings.projects[folder] ?? folder);
      }
      for (const [src, dst] of pairs) moves.set(src, dst);
      // Source dashboards stand in for files: the source id plays the file's id.
      const taken = new Set<string>();
      const files: LocalFile[] = fetched.map((d) => {
        const dst = pairs.get(d.projectId)!;
        let path = `${o.from}/${d.projectId}/${slugify(d.name)}`;
        for (let n = 2; taken.has(path); n++) path = `${o.from}/${d.projectId}/${slugify(d.name)}-${n}`;
        taken.add(path);
        const content =
          target.settings.api === 'apps'
            ? {
                name: d.name,
                definition: mapPageProjects(d.definition, (id) => (id === d.projectId ? dst : moves.get(id))),
              }
            : d;
        return {
          path,
          folder: dst,
          projectId: dst,
          name: d.name,
          definition: content.definition,
          contentHash: contentHash(content),
          byteHash: '',
          id: target.idmap.resolve(d.id),
          fileId: d.id,
        };
      });
      const folders: ProjectFolder[] = [...new Set(pairs.values())]
        .sort()
        .map((p) => ({ folder: p, projectId: p, path: `${o.to}/${p}` }));
      const targetAll = await target.client.listAll();
      const claims = claimRemotes(files, targetAll);
      const { hashes, details } = await fetchClaimed(target, claims, targetAll);
      const plan = computePlan({
        folders,
        claims,
        remote: targetAll.filter((r) => folders.some((f) => f.projectId === r.projectId)),
        remoteHashes: hashes,
        details,
        base: new Map(),
        prune: o.prune === true,
        force: o.force === true,
      });
      const workspace = { url: target.url, scope: target.settings.scope, env: o.to };
      reporter.show({
        type: 'migrating',
        count: fetched.length,
        api: target.settings.api,
        from: o.from,
        fromUrl: source.url,
        to: o.to,
        toUrl: target.url,
      });
      for (const a of plan.actions) if (a.kind === 'error') a.message = migrateErrorMessage(a.message, o.to);
      const confirming = !o.yes && !o.dryRun && hasChanges(plan);
      reporter.show({ type: 'plan', plan, dir: o.to, prune: o.prune === true, source: o.from, confirming });
      const empty = { plan, outcomes: [], summary: summarizeOutcomes([]), workspace };
      if (o.dryRun || !hasChanges(plan)) return { ...empty, applied: !o.dryRun };
      const request = { run: 'migrate' as const, url: target.url, to: o.to };
      if (!(await confirmed(request, { ...o, reporter }))) return { ...empty, applied: false };
      const outcomes = await executePlan(
        target,
        { plan, remote: targetAll },
        { force: o.force === true, ...(o.signal ? { signal: o.signal } : {}) },
      );
      const summary = summarizeOutcomes(outcomes);
      const interrupted = o.signal?.aborted === true;
      reporter.show({ type: 'executed', run: 'migrate', summary, interrupted });
      if (interrupted)
        throw new InterruptedError(
          `interrupted: ${summary.notStarted} not started`,
          'run the same migrate again to finish it; it creates no duplicates',
        );
      return { plan, outcomes, summary, applied: true, workspace };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
