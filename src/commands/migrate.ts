import { contentHash } from '../core/canonical.js';
import { claimRemotes } from '../core/claims.js';
import { computePlan } from '../core/plan.js';
import { filesOnlyScope, relativeToFolder } from '../core/selection.js';
import { hasChanges } from '../core/plan-summary.js';
import type { ProjectFolder } from '../core/types.js';
import { slugify } from '../core/slug.js';
import type { LocalFile, RemoteDashboard } from '../core/types.js';
import { InterruptedError, UsageError } from '../errors.js';
import { mapPool } from '../util/pool.js';
import type { MigrateOptions } from '../contract/options.js';
import type { MigrateResult } from '../contract/results.js';
import { confirmed, willAsk } from './confirm.js';
import { executePlan, summarizeOutcomes } from './execute.js';
import { fetchClaimed } from './load-plan.js';
import { migrateFiles } from './migrate-selection.js';
import { migrateErrorMessage, unknownSourceProject } from './migrate-words.js';
import { openRemote } from './open-run.js';

/**
 * Copies dashboards from one workspace to another without a working folder. Each source dashboard
 * keeps its id in the target where the target accepts it (else the target's id goes in the id map),
 * so a re-run is a no-op and an interrupted run completes without duplicates.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  if (options.from === options.to) throw new UsageError('--from and --to name the same environment');
  // Each side is one environment of dashsync.yaml, whole: a flag that would apply to both sides (one
  // URL or token for two workspaces) or that migrate has no use for (no folder) is refused, not guessed.
  const foreign = (['url', 'token', 'env', 'dir'] as const).filter((flag) => options.flags?.[flag] !== undefined);
  if (foreign.length)
    throw new UsageError(
      'migrate takes its two workspaces from --from and --to, and uses no folder: ' +
        `${foreign.map((flag) => `--${flag}`).join(', ')} cannot be used with it`,
      'set url and token_env of each side under environments: in dashsync.yaml',
    );
  // Neither side has a folder. The source is only read, so it takes no lock; the target takes migrate's.
  const sourceOptions = { ...options, flags: { ...options.flags, env: options.from } };
  const targetOptions = { ...options, flags: { ...options.flags, env: options.to } };
  const source = await openRemote(sourceOptions, undefined, { folder: false });
  try {
    const target = await openRemote(targetOptions, 'migrate', { folder: false });
    try {
      const { reporter } = target;
      target.flavour.checkSteps(options);
      // Project pairs: explicit SRC=DST, else every source project, mapped through both
      // environments' projects: (same folder name) or kept as the same id.
      const pairs = new Map<string, string>();
      // A source project without a folder name in the source's map has the folder name it would
      // get from pull: its id. The target's map then places that folder like any other.
      const viaFolder = (srcId: string): string => {
        const folder = Object.entries(source.settings.projects).find(([, id]) => id === srcId)?.[0] ?? srcId;
        return target.settings.projects[folder] ?? srcId;
      };
      const sourceListed = await source.client.listAll();
      if (options.projectPairs?.length) {
        const present = new Set(sourceListed.map((summary) => summary.projectId));
        for (const pair of options.projectPairs) {
          const parsed = /^([^=]+)(?:=([^=]+))?$/.exec(pair);
          if (!parsed) throw new UsageError(`--project takes SRC=DST (or one project) for migrate, not "${pair}"`);
          const srcGiven = parsed[1]!;
          const dstGiven = parsed[2];
          const src = source.settings.projects[srcGiven] ?? srcGiven;
          if (!present.has(src))
            throw unknownSourceProject(srcGiven, src, options.from, source.settings.scope, present);
          pairs.set(
            src,
            dstGiven !== undefined
              ? (target.settings.projects[dstGiven] ?? dstGiven)
              : (target.settings.projects[srcGiven] ?? viaFolder(src)),
          );
        }
      } else {
        for (const { projectId } of sourceListed) if (!pairs.has(projectId)) pairs.set(projectId, viaFolder(projectId));
      }
      // Paths and excludes select the source dashboards that files hold; the others are held out.
      const { selected, steps } = await migrateFiles(source, options, sourceListed);
      const paired = sourceListed.filter((summary) => pairs.has(summary.projectId));
      const wanted = paired.filter((summary) => !selected || selected.has(summary.id));
      const heldOut = paired.filter((summary) => selected && !selected.has(summary.id));
      const fetched = (
        await mapPool(wanted, source.settings.concurrency, (summary) =>
          source.client.get(summary.projectId, summary.id),
        )
      ).filter((dashboard): dashboard is RemoteDashboard => dashboard !== undefined);

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
      // Each stand-in file's source project, for the messages about it.
      const sourceProjects = new Map<string, string>();
      const files: LocalFile[] = fetched.map((dashboard) => {
        const dst = pairs.get(dashboard.projectId)!;
        const stem = `${options.from}/${dashboard.projectId}/${slugify(dashboard.name)}`;
        let path = stem;
        for (let suffix = 2; taken.has(path); suffix++) path = `${stem}-${suffix}`;
        taken.add(path);
        sourceProjects.set(path, dashboard.projectId);
        const pageProject = (id: string): string | undefined => (id === dashboard.projectId ? dst : moves.get(id));
        const content = target.flavour.copied(dashboard, pageProject);
        return {
          path,
          folder: dst,
          projectId: dst,
          name: dashboard.name,
          definition: content.definition,
          contentHash: contentHash(content),
          byteHash: '',
          id: target.idmap.resolve(dashboard.id),
          fileId: dashboard.id,
          // The steps after the save the source's file asks for (an app's publish:, bookmark:).
          ...(steps.has(dashboard.id) ? { deploy: steps.get(dashboard.id)! } : {}),
        };
      });
      // A held-out dashboard still claims its copy in the target, which is then neither updated nor pruned.
      const held: LocalFile[] = heldOut.map((summary) => ({
        path: `${options.from}/${summary.projectId}/.held-${summary.id}`,
        folder: pairs.get(summary.projectId)!,
        projectId: pairs.get(summary.projectId)!,
        name: summary.name,
        contentHash: '',
        byteHash: '',
        id: target.idmap.resolve(summary.id),
        fileId: summary.id,
      }));
      const copied = new Set(files.map(relativeToFolder));
      const folders: ProjectFolder[] = [...new Set(pairs.values())]
        .sort()
        .map((projectId) => ({ folder: projectId, projectId, path: `${options.to}/${projectId}` }));
      const targetListed = await target.client.listAll();
      const claims = claimRemotes([...files, ...held], targetListed);
      const { hashes, details } = await fetchClaimed(target, claims.slice(0, files.length), targetListed);
      const plan = computePlan({
        folders,
        claims,
        scope: filesOnlyScope((rel) => copied.has(rel)),
        remote: targetListed.filter((summary) => folders.some((folder) => folder.projectId === summary.projectId)),
        remoteHashes: hashes,
        details,
        base: new Map(),
        prune: options.prune === true,
        force: options.force === true,
      });
      const workspace = { url: target.url, scope: target.settings.scope, env: options.to };
      reporter.show({
        type: 'migrating',
        count: fetched.length,
        noun: target.flavour.noun,
        from: options.from,
        fromUrl: source.url,
        to: options.to,
        toUrl: target.url,
      });
      for (const action of plan.actions)
        if (action.kind === 'error')
          action.message = migrateErrorMessage(
            action.message,
            options.to,
            sourceProjects.get(action.path) ?? action.projectId,
          );
      const confirming = willAsk(options) && hasChanges(plan);
      reporter.show({
        type: 'plan',
        plan,
        dir: options.to,
        prune: options.prune === true,
        source: options.from,
        deploy: options,
        confirming,
      });
      const empty = { plan, outcomes: [], summary: summarizeOutcomes([]), workspace };
      if (options.dryRun || !hasChanges(plan)) return { ...empty, applied: !options.dryRun };
      const request = { run: 'migrate' as const, url: target.url, to: options.to };
      if (!(await confirmed(request, { ...options, reporter }))) return { ...empty, applied: false };
      const outcomes = await executePlan(
        target,
        { plan, remote: targetListed },
        { force: options.force === true, ...(options.signal ? { signal: options.signal } : {}) },
      );
      // What follows the saves in the target (apps: publish and bookmark, as the files and the flags ask).
      const deployed = await target.flavour.afterSaves(target, outcomes, options);
      const summary = summarizeOutcomes(outcomes);
      summary.failed += deployed.filter((app) => app.message !== undefined).length;
      const interrupted = options.signal?.aborted === true;
      reporter.show({ type: 'executed', run: 'migrate', summary, interrupted });
      if (interrupted)
        throw new InterruptedError(
          `interrupted: ${summary.notStarted} not started`,
          'run the same migrate again to finish it; it creates no duplicates',
        );
      return { plan, outcomes, summary, applied: true, workspace, ...(deployed.length ? { deployed } : {}) };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
