import type { PreviewItem, PreviewPages, PreviewStatus, PreviewView } from '../../contract/preview.js';
import { problemLine } from '../../core/words.js';
import { changeList } from '../html/index.js';
import { sideBySideSvg, wireframeSvg } from '../wireframe/index.js';
import { xml } from '../wireframe/svg.js';
import { PREVIEW_SCRIPT } from './script.js';
import { PREVIEW_CSS } from './styles.js';

/*
 * The pages of `dashsync preview`, as HTML: the whole page (a list of the files by project folder,
 * and a place for each drawing), its fragments, and one file's drawing with its changes in words
 * (or its problems, over its last valid drawing). Pure: data in, text out, every text escaped.
 */

// A file's place on the page: an id made of its path, the same on every fetch.
const placeId = (path: string): string =>
  `f-${path.replace(/[^A-Za-z0-9_-]/g, (char) => `_${char.codePointAt(0)!.toString(16)}`)}`;

// What each state says, in full and in short, with its symbol: never colour alone.
function statusWords(item: PreviewItem): { css: string; words: string; short: string } {
  const problems = item.problems.length;
  if (problems > 0) return { css: 'invalid', words: `! invalid (${plural(problems, 'problem')})`, short: '! invalid' };
  const changes = plural(item.changes.length, 'change');
  const words: Record<PreviewStatus, [string, string]> = {
    new: ['+ new: not in the workspace', '+ new'],
    changed: [`~ ${changes}`, `~ ${changes}`],
    unchanged: ['= as in the workspace', '= same'],
    edited: ['~ edited since the last sync', '~ edited'],
    synced: ['= as at the last sync', '= synced'],
    unknown: ['· drawn', '· drawn'],
    pending: ['… comparing', '… comparing'],
  };
  const [full, short] = words[item.status];
  return { css: item.status, words: full, short };
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const badge = (item: PreviewItem): string => {
  const { css, words } = statusWords(item);
  return `<span class="status s-${css}">${xml(words)}</span>`;
};

// The list's badge: the short words (the whole says it in the title).
const shortBadge = (item: PreviewItem): string => {
  const { css, words, short } = statusWords(item);
  return `<span class="status s-${css}" title="${xml(words)}">${xml(short)}</span>`;
};

function listHtml(view: PreviewView): string {
  if (view.folders.length === 0) return '<p class="empty">No dashboard files yet.</p>';
  return view.folders
    .map(
      ({ folder, items }) =>
        `<h2>${xml(folder)}</h2><ul>${items
          .map(
            (item) =>
              `<li><a href="#${placeId(item.path)}" data-path="${xml(item.path)}">${shortBadge(item)}` +
              `<span class="file">${xml(item.name ?? item.path.split('/').pop() ?? item.path)}</span></a></li>`,
          )
          .join('')}</ul>`,
    )
    .join('');
}

function placesHtml(view: PreviewView): string {
  const against = `<p class="against">Compared with ${xml(view.against.words)}. Read-only: edit the files, this page follows.</p>`;
  if (view.folders.length === 0) return `${against}<p class="empty">The dashboards folder holds no dashboard file.</p>`;
  return (
    against +
    view.folders
      .map(
        ({ folder, items }) =>
          `<h2 class="folder">${xml(folder)}</h2>` +
          items
            .map(
              (item) =>
                `<section class="item" id="${placeId(item.path)}" data-path="${xml(item.path)}">` +
                `<p class="loading">${xml(item.path)}: drawing…</p></section>`,
            )
            .join(''),
      )
      .join('')
  );
}

// The drawing: before and after side by side where there is a before; else the file alone.
function drawing(item: PreviewItem): string {
  const content = item.content;
  if (!content) return '';
  const idPrefix = placeId(item.path);
  const svg =
    item.base && item.status === 'changed'
      ? sideBySideSvg({
          name: content.name,
          before: item.base.definition,
          after: content.definition,
          changes: item.changes,
          idPrefix,
        })
      : wireframeSvg(content.definition, {
          name: content.name,
          changes: item.status === 'new' ? item.changes : [],
          side: 'after',
          idPrefix,
          width: 760,
        });
  return `<div class="wireframe${item.problems.length ? ' stale' : ''}">${svg}</div>`;
}

function itemHtml(item: PreviewItem): string {
  const problems = item.problems.length
    ? `<div class="problems" role="alert"><p>Not valid: not synced until fixed${item.content ? '; drawn as last read valid' : ''}.</p><ul>${item.problems
        .map((problem) => `<li><code>${xml(problemLine(problem))}</code></li>`)
        .join('')}</ul></div>`
    : '';
  const message = item.message ? `<div class="problems" role="alert"><p>${xml(item.message)}</p></div>` : '';
  const changes = item.status === 'changed' || item.status === 'new' ? changeList(item.changes) : '';
  return (
    `<div class="file" data-version="${item.version}" data-status="${item.problems.length ? 'invalid' : item.status}">` +
    `<h3>${badge(item)}<code>${xml(item.path)}</code>${item.content ? `<span class="name">${xml(item.content.name)}</span>` : ''}</h3>` +
    problems +
    message +
    changes +
    drawing(item) +
    '</div>'
  );
}

function pageHtml(view: PreviewView): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>dashsync preview</title><style>${PREVIEW_CSS}</style>`,
    `<script src="/preview.js" defer></script></head><body data-version="${view.version ?? 0}">`,
    '<header class="bar"><h1>dashsync preview</h1>',
    '<span class="live" id="live" data-state="connecting">connecting…</span></header>',
    `<div class="layout"><nav id="list" aria-label="Files">${listHtml(view)}</nav>`,
    `<main id="places">${placesHtml(view)}</main></div>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** The preview's pages. */
export const previewPages: PreviewPages = {
  page: pageHtml,
  list: listHtml,
  places: placesHtml,
  item: itemHtml,
  script: PREVIEW_SCRIPT,
};
