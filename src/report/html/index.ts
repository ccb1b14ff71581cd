import type { Change, DefinitionFlavour } from '../../core/changes/index.js';
import { symbolOf } from '../../core/action-kinds.js';
import type { DashboardContent } from '../../core/types.js';
import { sideBySideSvg } from '../wireframe/index.js';
import { xml } from '../wireframe/svg.js';
import { PLAN_CSS } from './styles.js';

/*
 * A plan as one self-contained HTML page, for a CI artifact: every changed dashboard or app with its
 * plain-language changes and its before and after wireframes side by side, and a summary on top.
 * Pure: data in, one HTML string out. Nothing is loaded (inline CSS and SVG, a Content Security
 * Policy that allows nothing else), no script is needed to see it, and every text is escaped.
 */

/** One dashboard or app the plan changes. */
export interface HtmlPlanItem {
  /** The file, as shown to users (`dashboards/sales/top-customers.yaml`). */
  path: string;
  kind: 'create' | 'update' | 'delete';
  /** What the workspace has now (absent for a create). */
  before?: DashboardContent;
  /** What the files say (absent for a delete). */
  after?: DashboardContent;
  changes: readonly Change[];
  /** app or dashboard; told from the definition's shape when absent. */
  flavour?: DefinitionFlavour;
}

/** What the page shows: a title, a line saying where the plan is for, and the items. */
export interface HtmlPlan {
  /** `dashsync plan` unless told. */
  title?: string;
  /** Where the plan applies, in words (the workspace, the environment); shown under the title. */
  subtitle?: string;
  items: readonly HtmlPlanItem[];
  /** What else the plan holds, one line each (links, errors, conflicts), listed after the items. */
  notes?: readonly string[];
}

const VERBS: Record<HtmlPlanItem['kind'], string> = { create: 'create', update: 'update', delete: 'delete' };

/** The changes of one item, each with its kind in words before its sentence (HTML). */
export function changeList(changes: readonly Change[]): string {
  if (changes.length === 0) return '<p class="none">No change a person would see: only the stored form differs.</p>';
  const rows = changes.map(
    (change) => `<li><span class="word ${change.kind}">${change.kind}</span><span>${xml(change.sentence)}</span></li>`,
  );
  return `<ul class="changes">${rows.join('')}</ul>`;
}

function itemHtml(item: HtmlPlanItem, index: number): string {
  const name = item.after?.name ?? item.before?.name ?? item.path;
  // A delete whose content was not fetched has nothing to draw: its line says what goes.
  const wireframe =
    !item.before && !item.after
      ? ''
      : sideBySideSvg({
          name,
          ...(item.before ? { before: item.before.definition } : {}),
          ...(item.after ? { after: item.after.definition } : {}),
          changes: item.changes,
          ...(item.flavour ? { flavour: item.flavour } : {}),
          idPrefix: `wf${index}`,
        });
  return (
    `<section class="item ${item.kind}" id="item-${index}" aria-labelledby="item-${index}-title">` +
    `<h2 id="item-${index}-title"><span class="kind ${item.kind}">${xml(symbolOf(item.kind))} ${VERBS[item.kind]}</span>` +
    `<code>${xml(item.path)}</code><span class="name">${xml(name)}</span></h2>` +
    (wireframe ? changeList(item.changes) + `<div class="wireframe">${wireframe}</div>` : '') +
    '</section>'
  );
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The whole page. */
export function planHtml(plan: HtmlPlan): string {
  const title = plan.title ?? 'dashsync plan';
  const count = (kind: HtmlPlanItem['kind']) => plan.items.filter((item) => item.kind === kind).length;
  const changes = plan.items.reduce((sum, item) => sum + item.changes.length, 0);
  const counts = (['create', 'update', 'delete'] as const)
    .map((kind) => {
      const n = count(kind);
      return `<li><span class="kind ${n === 0 ? 'zero' : kind}">${xml(symbolOf(kind))} ${n} to ${VERBS[kind]}</span></li>`;
    })
    .join('');
  const summary =
    plan.items.length === 0
      ? 'Nothing to change: the files and the workspace agree.'
      : `${plan.items.length === 1 ? '1 dashboard or app' : `${plan.items.length} dashboards or apps`} to change, ` +
        `${plural(changes, 'change')} in all.`;
  const toc =
    plan.items.length === 0
      ? ''
      : `<nav class="toc" aria-label="Contents"><ol>${plan.items
          .map((item, i) => `<li><a href="#item-${i}">${xml(symbolOf(item.kind))} ${xml(item.path)}</a></li>`)
          .join('')}</ol></nav>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${xml(title)}</title><style>${PLAN_CSS}</style></head><body>`,
    `<header class="page"><h1>${xml(title)}</h1>`,
    plan.subtitle ? `<p class="summary">${xml(plan.subtitle)}</p>` : '',
    `<p class="summary">${xml(summary)}</p><ul class="counts">${counts}</ul></header>`,
    toc,
    `<main>${plan.items.map(itemHtml).join('')}${notesHtml(plan.notes ?? [])}</main>`,
    '<footer>Drawn by dashsync from the files alone: wireframes show the layout, not the data.</footer>',
    '</body></html>',
    '',
  ].join('\n');
}

// What else the plan holds, as a list after the items.
function notesHtml(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  return `<section class="notes"><h2>Also in this plan</h2><ul>${notes.map((note) => `<li>${xml(note)}</li>`).join('')}</ul></section>`;
}

/** A page saying a run failed, with what the terminal said about it: an artifact never left empty. */
export function failureHtml(command: string, lines: readonly string[]): string {
  const title = `dashsync ${command}: failed`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${xml(title)}</title><style>${PLAN_CSS}</style></head><body>`,
    `<header class="page"><h1>${xml(title)}</h1></header>`,
    `<main><pre>${xml(lines.join('\n'))}</pre></main>`,
    '</body></html>',
    '',
  ].join('\n');
}
