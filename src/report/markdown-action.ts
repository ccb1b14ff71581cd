import { actionChanges } from '../core/changes/index.js';
import { symbolOf } from '../core/action-kinds.js';
import { APPLY_SKIPS_CONFLICT as SKIPS, CONFLICT_WORDS } from '../core/conflicts.js';
import type { Action } from '../core/types.js';
import { updateDiff } from '../local/yaml-diff.js';
import { toYamlText } from '../local/yaml.js';
import { changeSentences } from './change-text.js';
import { mermaidBlock, mermaidDiagrams } from './mermaid.js';

/*
 * One action of a plan as Markdown, for pull-request comments and job summaries: its line; for a
 * create or an update, what it changes in words (visible), a Mermaid diagram of each changed page
 * (collapsed when long), and the YAML it sends in a collapsed block (an update's diff, a create's
 * content). `brief` leaves the diagrams and the YAML out, for a plan cut to fit a comment.
 */

/** Text with Markdown's special characters escaped, so a name cannot format the comment. */
export const escapeMarkdown = (text: string): string => text.replace(/[\\`*_{}[\]()#+!|<>]/g, (char) => `\\${char}`);
const CONFLICT = '<b>CONFLICT</b>';
/** Text inside a ``` fence, with any fence in it defused. */
export const fenced = (text: string): string => text.replace(/```/g, "'''");
/** Text as inline code, with any backtick in it defused. */
export const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** A diagram longer than this many lines is drawn collapsed, under its page's name. */
const OPEN_DIAGRAM_LINES = 30;

/** A collapsible block: the summary line, and under it the content in a fence of that language. */
function collapsible(summary: string, language: string, content: string): string[] {
  return [`<details><summary>${summary}</summary>`, '', `\`\`\`${language}`, content, '```', '', '</details>', ''];
}

// The note after an action's name: a conflict, or why it is done (a revert, a create again).
function noteOf(action: Action): string {
  if (action.kind === 'update')
    return action.reason === 'conflict'
      ? ` ${CONFLICT}: ${CONFLICT_WORDS['both-changed']}; ${SKIPS}`
      : action.reason === 'drift'
        ? ' (reverts a change made in the workspace)'
        : '';
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
      `<details><summary>Diagram: ${escapeMarkdown(JSON.stringify(diagram.page))}</summary>`,
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
  const conflict =
    (action.kind === 'update' && action.reason === 'conflict') ||
    (action.kind === 'create' && action.deletedRemotely === 'conflict') ||
    (action.kind === 'delete' && action.conflict === true);
  const symbol = `<code>${symbolOf(action.kind, conflict)}</code>`;
  if (action.kind === 'update' || action.kind === 'create') {
    const title = `${symbol} ${where}${name}${noteOf(action)}`;
    const told = changeSentences(action).map((sentence) => `- ${escapeMarkdown(sentence)}`);
    const lines = [`#### ${title}`, '', ...(told.length ? [...told, ''] : [])];
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
