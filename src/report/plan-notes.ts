import { ACTION_KINDS } from '../core/action-kinds.js';
import {
  APPLY_SKIPS_CONFLICT,
  APPLY_SKIPS_NAMESAKE,
  CONFLICT_WORDS,
  MERGE_WORDS,
  holdOf,
  namesakeWords,
  remedyOf,
} from '../core/conflicts.js';
import { DEFAULT_DRIFT, DRIFT_DOES, DRIFT_WORDS, driftOf, driftedActions, pullCommandFor } from '../core/drift.js';
import type { Action, Json, Plan, ThreeWay } from '../core/types.js';
import { dashboardDiff } from '../local/yaml-diff.js';
import { inert } from './inert.js';
import type { Style } from './style.js';
import { quoted } from './style.js';

/*
 * The notes a plan shows under the changes the sync state tells apart: a change both sides made
 * (shown three ways, place by place), an adoption that would replace another dashboard, and drift
 * in its own section. plan-text.ts lays out the rest; the words come from core/conflicts.ts and
 * core/drift.ts.
 */

/** Lines under an action's first line are indented this far, below its path. */
export const NOTE_INDENT = '      ';

/** A value of one side, on one line: `(absent)` where that side holds nothing there; long values cut. */
export function valueText(value: Json | undefined, max = 160): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A three-way comparison as lines: each conflict with base, yours and theirs, then what each side alone changed. */
export function threeWayLines(threeWay: ThreeWay, style: Style): string[] {
  const lines: string[] = [];
  for (const conflict of threeWay.conflicts) {
    lines.push(style.red(`${NOTE_INDENT}${inert(conflict.path)}, changed two ways:`));
    lines.push(`${NOTE_INDENT}  base:   ${inert(valueText(conflict.base))}`);
    lines.push(style.green(`${NOTE_INDENT}  yours:  ${inert(valueText(conflict.yours))}`));
    lines.push(style.yellow(`${NOTE_INDENT}  theirs: ${inert(valueText(conflict.theirs))}`));
  }
  const list = (paths: string[]): string => inert(paths.join(', '));
  if (threeWay.yours.length) lines.push(style.dim(`${NOTE_INDENT}changed only in the file: ${list(threeWay.yours)}`));
  if (threeWay.theirs.length)
    lines.push(style.dim(`${NOTE_INDENT}changed only in the workspace: ${list(threeWay.theirs)}`));
  if (threeWay.both.length) lines.push(style.dim(`${NOTE_INDENT}changed alike on both sides: ${list(threeWay.both)}`));
  return lines;
}

/** The notes under an update: an adoption, why it is needed, and what both sides changed. */
export function updateNotes(
  action: Extract<Action, { kind: 'update' }>,
  style: Style,
  reasons: Record<string, string>,
): string[] {
  const notes: string[] = [];
  const note = (text: string): number => notes.push(style.dim(`${NOTE_INDENT}${text}`));
  if (action.adopt && action.adoptAsked) {
    note(
      `adopts existing dashboard ${inert(action.id)} (same name; its id will be written to the file): ` +
        `its content${action.namesakeUpdatedAt ? ` (last changed ${inert(action.namesakeUpdatedAt)})` : ''} is replaced by the file's`,
    );
  } else if (action.adopt) {
    notes.push(
      style.red(
        `${NOTE_INDENT}CONFLICT: ${CONFLICT_WORDS['same-name']} (${inert(namesakeWords(action))}); ${APPLY_SKIPS_NAMESAKE}`,
      ),
    );
    note(inert(remedyOf(action)));
  }
  const hold = holdOf(action);
  if (action.reason === 'merge') notes.push(style.yellow(`${NOTE_INDENT}${MERGE_WORDS}; ${APPLY_SKIPS_CONFLICT}`));
  else if (action.reason === 'local-edit' && action.threeWay)
    note('edited locally; the file already holds the change made in the workspace');
  else if (hold === 'both-changed') notes.push(style.red(`${NOTE_INDENT}${reasons.conflict}`));
  else if (reasons[action.reason]) note(reasons[action.reason]!);
  if (action.threeWay) notes.push(...threeWayLines(action.threeWay, style));
  // How to settle it, last: after what each side changed.
  if (action.threeWay && (hold === 'merge' || hold === 'both-changed')) note(inert(remedyOf(action)));
  return notes;
}

/** True for an action held back as a merge to make in the file: its first line shows `*`, not `!`. */
export function isMerge(action: Action): boolean {
  return holdOf(action) === 'merge';
}

/** A diff line in the colour of what it does: added, removed, or a hunk header. */
export function diffLine(line: string, style: Style): string {
  const text = `${NOTE_INDENT}${inert(line)}`;
  if (line.startsWith('+')) return style.green(text);
  if (line.startsWith('-')) return style.red(text);
  return line.startsWith('@@') ? style.cyan(text) : text;
}

/**
 * The drift section: every dashboard changed in the workspace alone, with what the policy does.
 * Under revert the changes are in the plan above (apply reverts them), so each is one line here;
 * under keep and fail they are nowhere else, so each shows what changed in the workspace.
 */
export function driftSection(plan: Plan, dir: string, style: Style): string[] {
  const drifted = driftedActions(plan);
  if (drifted.length === 0) return [];
  const policy = plan.drift ?? DEFAULT_DRIFT;
  const look = ACTION_KINDS.drift;
  const lines = [style.bold(`Drift (${DRIFT_WORDS}; --drift ${policy}):`)];
  for (const action of drifted) {
    const where = 'path' in action ? action.path : `${dir}/${action.folder}/`;
    const change = driftOf(action) === 'deleted' ? 'deleted in the workspace' : 'changed in the workspace';
    const head = `${style[look.colour](`  ${look.symbol} ${inert(where)}`)}  ${quoted(action.name)}  ${style.dim(change)}`;
    if (policy === 'revert') {
      lines.push(`${head}${style.dim(`: ${DRIFT_DOES.revert}`)}`);
      continue;
    }
    lines.push(head);
    const does = policy === 'keep' ? DRIFT_DOES.keep : `${DRIFT_DOES.fail}: ${pullCommandFor(action)}`;
    lines.push((policy === 'fail' ? style.red : style.dim)(`${NOTE_INDENT}${inert(does)}`));
    if (action.kind === 'update')
      lines.push(
        ...dashboardDiff(action.local, action.remote)
          .split('\n')
          .map((line) => diffLine(line, style)),
      );
  }
  return lines;
}
