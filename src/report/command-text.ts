import type { CommandEvent } from '../commands/events.js';
import { applySummaryLine } from './apply-text.js';
import { deployPlanLines } from './deploy-text.js';
import { noProjectFoldersLine, renderPlan } from './plan-text.js';
import { problemLine } from './problem.js';
import { pullChangeLines, pullSummaryLine } from './pull-text.js';
import type { Style } from './style.js';
import { inert, quoted } from './style.js';
import { validateSummary } from './validate-text.js';
import { showWatchNotice } from './watch-text.js';

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
      return out.info(`Migrating ${e.count} ${e.noun} from ${e.from} (${e.fromUrl}) to ${e.to} (${e.toUrl}):\n`);
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
    case 'watch':
      return showWatchNotice(e, out);
  }
}

function sourceOf(e: { source?: string }): { source?: string } {
  return e.source === undefined ? {} : { source: e.source };
}
