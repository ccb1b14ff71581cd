import type { CommandEvent } from '../commands/events.js';
import { applySummaryLine } from './apply-text.js';
import { deployPlanLines } from './deploy-text.js';
import { noProjectFoldersLine, renderPlan } from './plan-text.js';
import { problemLine } from './problem.js';
import { pullChangeLines, pullSummaryLine } from './pull-text.js';
import type { Style } from './style.js';
import { inert, quoted } from './style.js';
import { validateSummary } from './validate-text.js';

/** Where the terminal text of an event goes: `info` is hidden by --quiet, `result` and `warn` are not. */
export interface TextOutlet {
  readonly style: Style;
  readonly quiet: boolean;
  info(text: string): void;
  result(text: string): void;
  warn(text: string): void;
}

/*
 * What --quiet keeps: errors, and the final summary line of each command. A plan that is about to
 * be confirmed is always shown whole: nobody should be asked to approve what they cannot see.
 */

/** Shows a command's step on the terminal. */
export function showCommandEvent(e: CommandEvent, out: TextOutlet): void {
  const { style } = out;
  switch (e.type) {
    case 'plan': {
      let text = renderPlan(e.plan, { dir: e.dir, style, prune: e.prune, ...sourceOf(e) });
      // A folder with no project folders manages nothing: "Remote matches local files" would be false.
      if (e.unmanagedRemote) {
        const line = noProjectFoldersLine(e.unmanagedRemote.count, e.dir, e.unmanagedRemote.scope);
        text = `${text.slice(0, text.lastIndexOf('\n') + 1)}${style.bold(line)}`;
      }
      const extra = deployPlanLines(e.plan, e.deploy ?? {}, style);
      if (!out.quiet) return out.info(text + extra);
      return out.result(e.confirming ? text + extra : (text.split('\n').pop() ?? ''));
    }
    case 'migrating':
      return out.info(
        `Migrating ${e.count} ${nounOf(e.api, e.count)} from ${e.from} (${e.fromUrl}) to ${e.to} (${e.toUrl}):\n`,
      );
    case 'plan-saved':
      return out.info(`\nPlan saved to ${e.file}. To carry out exactly these actions: dashsync apply ${e.file}`);
    case 'cancelled':
      return out.result(`${e.run === 'apply' ? 'Apply' : 'Migration'} cancelled: nothing was changed.`);
    case 'executed': {
      const run = e.run === 'apply' ? 'Apply' : 'Migration';
      const line = applySummaryLine(e.summary, { interrupted: e.interrupted, run });
      return out.result(`${out.quiet ? '' : '\n'}${style.bold(line)}`);
    }
    case 'bookmarked':
      return out.info(
        `  ${style.green('ok')}  bookmarked ${inert(e.path)} ${style.dim(`(version ${inert(e.versionId)} as ${quoted(e.label)})`)}`,
      );
    case 'published':
      return out.info(`  ${style.green('ok')}  published ${inert(e.path)} ${style.dim(`(id ${inert(e.id)})`)}`);
    case 'validated':
      for (const warning of e.warnings) out.warn(problemLine(warning));
      for (const problem of e.problems) out.result(problemLine(problem));
      return out.result(validateSummary(e.files, e.problems, e.kind));
    case 'pulled':
      for (const line of pullChangeLines(e.changes, style)) out.info(line);
      return out.result(style.bold(pullSummaryLine({ changes: e.changes, unchanged: e.unchanged })));
    case 'initialized':
      for (const path of e.created) out.info(`  created ${path}`);
      for (const path of e.updated) out.info(`  updated ${path}`);
      out.info(`\nNext:\n${e.next.map((line) => `  ${line}`).join('\n')}`);
      if (!e.schemas.resolves)
        out.info(
          `\nEditors find the schemas at ${e.schemas.path}/ once this repository installs dashsync as a dev dependency (README: "Install").`,
        );
      return;
    case 'serving': {
      out.info(`dashsync emulator listening on ${e.url}`);
      if ('random' in e.token) out.info(`token (random, for this run): ${e.token.random}`);
      if (e.dataFile) out.info(`data kept in ${e.dataFile.path} (${e.dataFile.loaded} dashboards loaded)`);
      if (e.faults) out.info(`latency ${e.faults.latencyMs} ms, fail rate ${e.faults.failRate}`);
      // Name the token as it was given: --token wins over DASHSYNC_TOKEN, and neither value is printed.
      const token =
        'random' in e.token ? e.token.random : e.token.given === 'flag' ? '<the --token value>' : '$DASHSYNC_TOKEN';
      return out.info(`try: curl -H "Authorization: Bearer ${token}" ${e.url}/dashboards/list?scope=user`);
    }
  }
}

function sourceOf(e: { source?: string }): { source?: string } {
  return e.source === undefined ? {} : { source: e.source };
}

/** What the things moved are called: apps on the /apps API, dashboards on the other. */
function nounOf(api: string, n: number): string {
  return api === 'apps' ? (n === 1 ? 'app' : 'apps') : n === 1 ? 'dashboard' : 'dashboards';
}
