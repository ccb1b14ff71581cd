import { actionChanges } from '../core/changes/index.js';
import { ACTION_KINDS, symbolOf } from '../core/action-kinds.js';
import {
  APPLY_SKIPS_CONFLICT as SKIPS,
  CONFLICT_WORDS,
  MERGE_WORDS,
  holdOf,
  namesakeWords,
  remedyOf,
} from '../core/conflicts.js';
import type { Action, ThreeWay } from '../core/types.js';
import { updateDiff } from '../local/yaml-diff.js';
import { toYamlText } from '../local/yaml.js';
import { changeSentences } from './change-text.js';
import { inert, inertLines } from './inert.js';
import { mermaidBlock, mermaidDiagrams } from './mermaid.js';
import { valueText } from './plan-notes.js';

/*
 * One action of a plan as Markdown, for pull-request comments and job summaries: its line; for a
 * create or an update, what it changes in words (visible), a Mermaid diagram of each changed page
 * (collapsed when long), and the YAML it sends in a collapsed block (an update's diff, a create's
 * content). `brief` leaves the diagrams and the YAML out, for a plan cut to fit a comment.
 */

/** Text inert (report/inert.ts), with Markdown's special characters escaped, so a name cannot format the comment. */
export const escapeMarkdown = (text: string): string =>
  inert(text).replace(/[\\`*_{}[\]()#+!|<>]/g, (char) => `\\${char}`);
const CONFLICT = '<b>CONFLICT</b>';
/** Text inside a ``` fence, each line inert (report/inert.ts), with any fence in it defused. */
export const fenced = (text: string): string => inertLines(text).replace(/```/g, "'''");
/** Text as inline code (a path, an id, a URL), inert (report/inert.ts), with any backtick in it defused. */
export const code = (text: string): string => `\`${inert(text).replace(/`/g, "'")}\``;

/** A diagram longer than this many lines is drawn collapsed, under its page's name. */
const OPEN_DIAGRAM_LINES = 30;

/** A collapsible block: the summary line, and under it the content in a fence of that language. */
export function collapsible(summary: string, language: string, content: string): string[] {
  return [
    `<details><summary>${summaryHtml(summary)}</summary>`,
    '',
    `\`\`\`${language}`,
    content,
    '```',
    '',
    '</details>',
    '',
  ];
}

/**
 * A line of Markdown as the HTML a `<summary>` holds: Markdown is not read inside an HTML block, so
 * its escapes would stay as backslashes and a name's `</summary >` or `<img>` would be markup.
 * Inline code becomes `<code>`, our own `<code>` and `<b>` tags stay, and everything else is text.
 */
export function summaryHtml(markdown: string): string {
  const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return markdown
    .split(/(<code>[^<]*<\/code>|<\/?b>|`[^`]*`)/)
    .map((part, i) => {
      if (i % 2 === 0) return html(part.replace(/\\([\\`*_{}[\]()#+\-.!<>|~"])/g, '$1'));
      return part.startsWith('`') ? `<code>${html(part.slice(1, -1))}</code>` : part;
    })
    .join('');
}

/** A value in a table cell: inline code, cut where long, with the table's pipe defused. */
const cell = (text: string): string => code(text).replace(/\|/g, '\\|');

// A three-way comparison as Markdown: a table of the conflicts (base, yours, theirs), then what each side alone changed.
function threeWayMarkdown(threeWay: ThreeWay): string[] {
  const lines: string[] = [];
  if (threeWay.conflicts.length) {
    lines.push('| changed two ways | base | yours | theirs |', '|---|---|---|---|');
    for (const c of threeWay.conflicts)
      lines.push(
        `| ${cell(c.path)} | ${cell(valueText(c.base, 120))} | ${cell(valueText(c.yours, 120))} | ${cell(valueText(c.theirs, 120))} |`,
      );
    lines.push('');
  }
  const list = (paths: string[]): string => paths.map(code).join(', ');
  if (threeWay.yours.length) lines.push(`Changed only in the file: ${list(threeWay.yours)}`, '');
  if (threeWay.theirs.length) lines.push(`Changed only in the workspace: ${list(threeWay.theirs)}`, '');
  if (threeWay.both.length) lines.push(`Changed alike on both sides: ${list(threeWay.both)}`, '');
  return lines;
}

// The note after an update's name: why it is held back or what it replaces, or why it is needed.
function updateNote(action: Extract<Action, { kind: 'update' }>): string {
  const hold = holdOf(action);
  const remedy = ` (${escapeMarkdown(remedyOf(action))})`;
  if (hold === 'same-name')
    return ` ${CONFLICT}: ${CONFLICT_WORDS['same-name']} (${escapeMarkdown(namesakeWords(action))}); apply skips it unless --adopt${remedy}`;
  if (hold === 'merge') return ` ${MERGE_WORDS}; ${SKIPS}${remedy}`;
  if (hold === 'both-changed') return ` ${CONFLICT}: ${CONFLICT_WORDS['both-changed']}; ${SKIPS}`;
  if (action.adopt) return ` (adopts dashboard ${code(action.id)} of the same name: replaces its content)`;
  if (action.reason === 'drift') return ' (reverts a change made in the workspace)';
  if (action.reason === 'local-edit' && action.threeWay)
    return ' (edited locally; the file already holds the change made in the workspace)';
  return '';
}

// The note after an action's name: a conflict, or why it is done (a revert, a create again).
function noteOf(action: Action): string {
  if (action.kind === 'update') return updateNote(action);
  if (action.kind === 'create')
    return action.deletedRemotely === 'conflict'
      ? ` ${CONFLICT}: ${CONFLICT_WORDS['deleted-remotely-edited-locally']}; ${SKIPS}`
      : action.deletedRemotely === 'drift'
        ? ' (deleted in the workspace since the last sync: created again)'
        : '';
  if (action.kind === 'delete' && action.conflict)
    return ` ${CONFLICT}: ${CONFLICT_WORDS['changed-remotely-file-gone']}; ${SKIPS}`;
  return '';
}

// Each changed page's diagram: open when short, else collapsed under the page's name.
function diagramsOf(action: Extract<Action, { kind: 'create' | 'update' }>): string[] {
  const diagrams = mermaidDiagrams({
    name: action.name,
    ...(action.kind === 'update' ? { before: action.remote.definition } : {}),
    after: action.local.definition,
    changes: actionChanges(action),
  });
  return diagrams.flatMap((diagram) => {
    const block = mermaidBlock(diagram);
    if (diagram.text.split('\n').length <= OPEN_DIAGRAM_LINES) return [block, ''];
    return [
      `<details><summary>Diagram: ${summaryHtml(escapeMarkdown(JSON.stringify(diagram.page)))}</summary>`,
      '',
      block,
      '',
      '</details>',
      '',
    ];
  });
}

/** One action as Markdown lines (see above). */
export function actionMarkdown(action: Action, options: { brief?: boolean } = {}): string[] {
  const name = action.name ? ` ${escapeMarkdown(JSON.stringify(action.name))}` : '';
  // A dashboard with no file is named by its folder, its name and its id, in that order, as in the text plan.
  const where =
    'path' in action
      ? code(action.path)
      : `${code(`${action.folder}/`)}${name || ' (no name)'} (id ${code(action.id)})`;
  const hold = action.kind === 'update' ? holdOf(action) : undefined;
  const conflict =
    (hold !== undefined && hold !== 'merge') ||
    (action.kind === 'create' && action.deletedRemotely === 'conflict') ||
    (action.kind === 'delete' && action.conflict === true);
  const symbol = `<code>${hold === 'merge' ? ACTION_KINDS.merge.symbol : symbolOf(action.kind, conflict)}</code>`;
  if (action.kind === 'update' || action.kind === 'create') {
    const title = `${symbol} ${where}${name}${noteOf(action)}`;
    const told = changeSentences(action).map((sentence) => `- ${escapeMarkdown(sentence)}`);
    const threeWay = action.kind === 'update' && action.threeWay ? threeWayMarkdown(action.threeWay) : [];
    const lines = [`#### ${title}`, '', ...(told.length ? [...told, ''] : []), ...threeWay];
    if (options.brief) return [...lines, '_Diagram and YAML left out here: see the whole plan._', ''];
    // A reviewer must see what a new dashboard holds, not only that one appears.
    const yaml =
      action.kind === 'update'
        ? collapsible(title, 'diff', fenced(updateDiff(action)))
        : collapsible(
            title,
            'yaml',
            fenced(toYamlText({ name: action.local.name, definition: action.local.definition }).trimEnd()),
          );
    return [...lines, ...diagramsOf(action), ...yaml];
  }
  if (action.kind === 'delete') return [`- ${symbol} ${where}${noteOf(action)}`];
  if (action.kind === 'error') return [`- ${symbol} ${where}${name} <b>ERROR</b>: ${escapeMarkdown(action.message)}`];
  return [`- ${symbol} ${where}${name}`];
}
