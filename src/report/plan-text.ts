import { summarize } from '../core/plan-summary.js';
import type { Action, Plan } from '../core/types.js';
import { CONFLICT_WORDS, conflictOf } from '../core/conflicts.js';
import { symbolOf } from '../core/action-kinds.js';
import { APPLY_SKIPS_CONFLICT as SKIPS } from '../core/conflicts.js';
import { inKindColour } from './style.js';
import { dashboardDiff } from '../local/yaml-diff.js';
import { inert, quoted } from './style.js';
import type { Style } from './style.js';

/** Where the folders are shown from, e.g. `dashboards`. */
export interface PlanTextContext {
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

function label(a: Action): string {
  return a.name ? `  ${quoted(a.name)}` : '';
}

/** An action's first line: its symbol and where it is, in the colour of its kind. */
function head(a: Action, where: string, ctx: PlanTextContext): string {
  const conflict = conflictOf(a) !== undefined;
  return inKindColour(ctx.style, a.kind, `  ${symbolOf(a.kind, conflict)} ${where}`, conflict);
}

/** One action as the plan shows it: a symbol line, then details and a diff. */
export function actionLines(a: Action, ctx: PlanTextContext): string[] {
  const { style: s } = ctx;
  switch (a.kind) {
    case 'create':
      return [
        head(a, a.path, ctx) + label(a),
        ...(a.deletedRemotely === 'conflict'
          ? [s.red(`      CONFLICT: ${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ${SKIPS}`)]
          : a.deletedRemotely === 'drift'
            ? [
                s.dim(
                  `      deleted in the workspace since the last sync: apply will create it again (pull --prune removes the file instead)`,
                ),
              ]
            : a.recreateId && ctx.source === undefined
              ? [
                  s.dim(
                    `      id ${inert(a.recreateId)} is not in the workspace (deleted there, or from another workspace): it will be created again`,
                  ),
                ]
              : []),
      ];
    case 'update': {
      const notes = [
        a.adopt ? `adopts existing dashboard ${inert(a.id)} (same name; its id will be written to the file)` : '',
        REASONS[a.reason] ?? '',
      ].filter(Boolean);
      const diff = dashboardDiff(a.remote, a.local)
        .split('\n')
        .map((l) => {
          const t = `      ${inert(l)}`;
          return l.startsWith('+') ? s.green(t) : l.startsWith('-') ? s.red(t) : l.startsWith('@@') ? s.cyan(t) : t;
        });
      return [head(a, a.path, ctx) + label(a), ...notes.map((n) => s.dim(`      ${n}`)), ...diff];
    }
    case 'link':
      return [
        head(a, a.path, ctx) + label(a),
        s.dim(`      same as existing dashboard ${inert(a.id)}: only its id is written to the file`),
      ];
    case 'delete':
      return [
        head(a, `${ctx.dir}/${a.folder}/`, ctx) +
          label(a) +
          s.dim(`  (id ${inert(a.id)}, ${ctx.source !== undefined ? `not in ${inert(ctx.source)}` : 'no file'})`),
        ...(a.conflict ? [s.red(`      CONFLICT: ${CONFLICT_WORDS['changed-remotely-file-gone']}; ${SKIPS}`)] : []),
      ];
    case 'error':
      return [head(a, a.path, ctx) + label(a), s.red(`      ${inert(a.message)}`)];
  }
}

/** The summary line: `Plan: 1 to create, ...` or `No changes. ...`; `source` for migrate. */
export function summaryLine(plan: Plan, source?: string): string {
  const c = summarize(plan);
  if (c.create + c.update + c.delete + c.link + c.error + c.conflict === 0)
    return source !== undefined
      ? `No changes. The target matches ${source}.`
      : 'No changes. Remote matches local files.';
  const parts = [`${c.create} to create`, `${c.update} to update`, `${c.delete} to delete`];
  if (c.link) parts.push(`${c.link} to link`);
  let line = `Plan: ${parts.join(', ')}.`;
  if (c.conflict)
    line += plan.force
      ? ` ${c.conflict} in conflict (forced).`
      : ` ${c.conflict} in conflict, not counted above: apply skips ${c.conflict === 1 ? 'it' : 'them'} and fails unless --force.`;
  if (c.error) line += ` ${c.error} ${c.error === 1 ? 'error' : 'errors'}.`;
  return line;
}

/** The whole plan as text, Terraform-style. */
export function renderPlan(plan: Plan, ctx: PlanTextContext): string {
  const lines: string[] = [];
  for (const a of plan.actions) lines.push(...actionLines(a, ctx));
  if (plan.unmanaged.length) {
    if (lines.length) lines.push('');
    const hint = ctx.prune ? '' : '; --prune would delete them';
    lines.push(
      ctx.style.dim(
        ctx.source !== undefined
          ? `In the target, not in ${inert(ctx.source)} (kept${hint}):`
          : `Not managed here (in the workspace, no file${hint}):`,
      ),
    );
    for (const u of plan.unmanaged)
      lines.push(ctx.style.dim(`    ${ctx.dir}/${u.folder}/  ${quoted(u.name)}  (id ${inert(u.id)})`));
  }
  if (lines.length) lines.push('');
  lines.push(ctx.style.bold(summaryLine(plan, ctx.source)));
  return lines.join('\n');
}

/** The summary line of a plan made in a folder with no project folders, where the workspace holds `n` dashboards. */
export function noProjectFoldersLine(n: number, dir: string, scope: string): string {
  return `No changes: ${dir} has no project folders, so the ${n === 1 ? 'dashboard' : `${n} dashboards`} in the workspace (scope ${scope}) ${n === 1 ? 'is' : 'are'} not managed here. Run dashsync pull to bring ${n === 1 ? 'it' : 'them'} in.`;
}
