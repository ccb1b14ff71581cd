import { pendingPublishes } from '../core/deploy.js';
import { summarize } from '../core/plan-summary.js';
import type { Action, Plan } from '../core/types.js';
import { CONFLICT_WORDS, conflictOf } from '../core/conflicts.js';
import { symbolOf } from '../core/action-kinds.js';
import { APPLY_SKIPS_CONFLICT as SKIPS } from '../core/conflicts.js';
import { inKindColour } from './style.js';
import { updateDiff } from '../local/yaml-diff.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import { changeLines } from './change-text.js';
import { NOTE_INDENT, diffLine, driftSection, isMerge, updateNotes } from './plan-notes.js';
import { inert } from './inert.js';
import { dashboardName, quoted } from './style.js';
import type { Style } from './style.js';

/** How a plan is shown: where the folders are shown from (e.g. `dashboards`), and in which colours. */
export interface PlanTextOptions {
  dir: string;
  style: Style;
  /** Whether deletions were asked for; changes the hint under unmanaged dashboards. */
  prune: boolean;
  /**
   * For `migrate`: the source environment. The plan's "files" are then the source's dashboards, so
   * it speaks of the source instead of files (a first copy is not "created again").
   */
  source?: string;
}

const REASONS: Record<string, string> = {
  'local-edit': 'edited locally',
  drift: 'changed in the workspace since the last sync: apply will revert that change',
  conflict: `CONFLICT: ${CONFLICT_WORDS['both-changed']}; ${SKIPS}`,
  unknown: '',
};

function labelOf(action: Action): string {
  return action.name ? `  ${quoted(action.name)}` : '';
}

/** An action's first line: its symbol and where it is (a path from disk: made inert), in the colour of its kind. */
function head(action: Action, where: string, options: PlanTextOptions): string {
  if (isMerge(action))
    return options.style[ACTION_KINDS.merge.colour](`  ${ACTION_KINDS.merge.symbol} ${inert(where)}`);
  const conflict = conflictOf(action) !== undefined;
  return inKindColour(options.style, action.kind, `  ${symbolOf(action.kind, conflict)} ${inert(where)}`, { conflict });
}

/** The note under a create: a conflict, or why a dashboard that existed is created again. */
function createNotes(action: Extract<Action, { kind: 'create' }>, options: PlanTextOptions): string[] {
  const { style } = options;
  if (action.deletedRemotely === 'conflict')
    return [style.red(`${NOTE_INDENT}CONFLICT: ${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ${SKIPS}`)];
  if (action.deletedRemotely === 'drift')
    return [
      style.dim(
        `${NOTE_INDENT}deleted in the workspace since the last sync: apply will create it again ` +
          '(pull --prune removes the file instead)',
      ),
    ];
  if (action.recreateId && options.source === undefined)
    return [
      style.dim(
        `${NOTE_INDENT}id ${inert(action.recreateId)} is not in the workspace ` +
          '(deleted there, or from another workspace): it will be created again',
      ),
    ];
  return [];
}

/** For migrate, where an action from the source lands: the target environment and project. */
function into(action: Action, options: PlanTextOptions): string {
  return options.source !== undefined ? options.style.dim(`  -> ${inert(`${options.dir}/${action.folder}/`)}`) : '';
}

/** One action as the plan shows it: a symbol line, then details and a diff. */
export function actionLines(action: Action, options: PlanTextOptions): string[] {
  const { style } = options;
  const label = labelOf(action) + into(action, options);
  switch (action.kind) {
    case 'create':
      return [
        head(action, action.path, options) + label,
        ...createNotes(action, options),
        ...changeLines(action, NOTE_INDENT),
      ];
    case 'update': {
      const diff = updateDiff(action)
        .split('\n')
        .map((line) => diffLine(line, style));
      return [
        head(action, action.path, options) + label,
        ...updateNotes(action, style, REASONS),
        ...changeLines(action, NOTE_INDENT),
        ...diff,
      ];
    }
    case 'link':
      return [
        head(action, action.path, options) + label,
        style.dim(`${NOTE_INDENT}same as existing dashboard ${inert(action.id)}: only its id is written to the file`),
      ];
    case 'delete': {
      const why = options.source !== undefined ? `not in ${inert(options.source)}` : 'no file';
      return [
        head(action, `${options.dir}/${action.folder}/`, options) +
          `  ${dashboardName(action.name)}` +
          style.dim(`  (id ${inert(action.id)}, ${why})`),
        ...(action.conflict
          ? [style.red(`${NOTE_INDENT}CONFLICT: ${CONFLICT_WORDS['changed-remotely-file-gone']}; ${SKIPS}`)]
          : []),
      ];
    }
    case 'error':
      return [head(action, action.path, options) + label, style.red(`${NOTE_INDENT}${inert(action.message)}`)];
  }
}

/** The summary line: `Plan: 1 to create, ...` or `No changes. ...`; `source` for migrate. */
export function planSummaryLine(plan: Plan, source?: string): string {
  const counts = summarize(plan);
  const held = driftNote(plan, counts.drift);
  // apps: publishing an app whose viewers are behind is work apply does too (core/deploy.ts).
  const publish = pendingPublishes(plan).length;
  const work = counts.create + counts.update + counts.delete + counts.link + publish;
  if (work + counts.error + counts.conflict + counts.merge === 0)
    return source !== undefined
      ? `No changes. The target matches ${source}.`
      : held
        ? `No changes to apply.${held}`
        : 'No changes. Remote matches local files.';
  const parts = [`${counts.create} to create`, `${counts.update} to update`, `${counts.delete} to delete`];
  if (counts.link) parts.push(`${counts.link} to link`);
  if (publish) parts.push(`${publish} to publish`);
  let line = `Plan: ${parts.join(', ')}.`;
  if (counts.conflict) line += conflictNote(plan, counts.conflict);
  if (counts.merge)
    line += plan.force
      ? ` ${counts.merge} to merge (forced: the file's version is sent).`
      : ` ${counts.merge} changed on both sides in different places, not counted above: ` +
        `apply skips ${counts.merge === 1 ? 'it' : 'them'} and fails unless --force (dashsync pull merges them into the files).`;
  if (counts.error) line += ` ${counts.error} ${counts.error === 1 ? 'error' : 'errors'}.`;
  return line + held;
}

// The conflicts of the summary line: what apply does with them, and what settles them.
function conflictNote(plan: Plan, count: number): string {
  const namesakes = plan.actions.filter((action) => conflictOf(action) === 'same-name').length;
  if (plan.force && namesakes === 0) return ` ${count} in conflict (forced).`;
  const it = count === 1 ? 'it' : 'them';
  const unless =
    namesakes === count ? 'unless --adopt' : namesakes ? 'unless --force (--adopt for a namesake)' : 'unless --force';
  return ` ${count} in conflict, not counted above: apply skips ${it} and fails ${unless}.`;
}

// What the summary line says of drift the plan does not carry out (under revert it is counted above).
function driftNote(plan: Plan, drift: number): string {
  if (drift === 0) return '';
  const policy = plan.drift ?? 'revert';
  const what = `${drift} changed in the workspace alone (drift)`;
  if (policy === 'revert') return ` ${what}: apply reverts ${drift === 1 ? 'it' : 'them'} (counted above).`;
  if (policy === 'keep') return ` ${what}, kept: dashsync pull brings ${drift === 1 ? 'it' : 'them'} into git.`;
  return ` ${what}: --drift fail stops here; bring ${drift === 1 ? 'it' : 'them'} into git (dashsync pull, commit, review).`;
}

/**
 * What `apply FILE` will do with a saved plan: carry it out; or, where it holds errors, refuse it;
 * or, where it holds conflicts made without --force, skip them and fail. Never an invitation to
 * apply what will not be applied.
 */
export function savedPlanNext(saved: { file: string; errors: number; conflicts: number; namesakes?: number }): string {
  const apply = `dashsync apply ${saved.file}`;
  if (saved.errors)
    return (
      `It has ${saved.errors} ${saved.errors === 1 ? 'error' : 'errors'} (marked x above): ${apply} would refuse it ` +
      'and change nothing; fix them and make the plan again.'
    );
  if (saved.conflicts) {
    const one = saved.conflicts === 1;
    // --force never adopts: a namesake is taken only with --adopt for its file (conflictOf decides).
    const namesakes = saved.namesakes ?? 0;
    const again =
      namesakes === saved.conflicts
        ? `with --adopt for the ${one ? 'file' : 'files'} to replace the ${one ? 'dashboard' : 'dashboards'} named above`
        : `with --force to apply your side${namesakes ? ' (--adopt for a namesake)' : ''}`;
    return (
      `${apply} would carry out its other actions, skip the ${saved.conflicts} in conflict (marked ! above) ` +
      `and exit 1: settle ${one ? 'it' : 'them'} first, or make the plan again ${again}.`
    );
  }
  return `To carry out exactly these actions: ${apply}`;
}

/** The whole plan as text, Terraform-style. */
export function renderPlan(plan: Plan, options: PlanTextOptions): string {
  const { style } = options;
  const lines: string[] = [];
  for (const action of plan.actions) lines.push(...actionLines(action, options));
  const drift = driftSection(plan, options.dir, style);
  if (drift.length) lines.push(...(lines.length ? [''] : []), ...drift);
  if (plan.unmanaged.length) {
    if (lines.length) lines.push('');
    const hint = options.prune ? '' : '; --prune would delete them';
    lines.push(
      style.dim(
        options.source !== undefined
          ? `In the target, not in ${inert(options.source)} (kept${hint}):`
          : `Not managed here (in the workspace, no file${hint}):`,
      ),
    );
    for (const unmanaged of plan.unmanaged)
      lines.push(
        style.dim(
          `    ${inert(`${options.dir}/${unmanaged.folder}/`)}  ${quoted(unmanaged.name)}  (id ${inert(unmanaged.id)})`,
        ),
      );
  }
  if (lines.length) lines.push('');
  lines.push(style.bold(planSummaryLine(plan, options.source)));
  return lines.join('\n');
}

/**
 * The summary line of a plan made in a folder with no project folders, where the workspace holds
 * `count` dashboards.
 */
export function noProjectFoldersLine(count: number, dir: string, scope: string): string {
  const one = count === 1;
  return (
    `No changes: ${dir} has no project folders, so the ${one ? 'dashboard' : `${count} dashboards`} ` +
    `in the workspace (scope ${scope}) ${one ? 'is' : 'are'} not managed here. ` +
    `Run dashsync pull to bring ${one ? 'it' : 'them'} in.`
  );
}
