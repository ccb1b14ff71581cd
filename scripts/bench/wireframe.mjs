// The budget of issue 23 for drawing: one 60-widget app renders in under 5 ms. Prints, for an app of
// 3 pages x 2 sections x 10 widgets (every widget type, grid and weighted columns): the median and
// the 95th percentile of its plain-language changes, its wireframe, its before-and-after drawing,
// its Mermaid diagrams and its HTML page, over many runs after a warm-up.
// Usage: npm run build && node scripts/bench/wireframe.mjs [--runs N]
import { contentChanges } from '../../dist/core/changes/index.js';
import { planHtml } from '../../dist/report/html/index.js';
import { mermaidDiagrams } from '../../dist/report/mermaid.js';
import { sideBySideSvg, wireframeSvg } from '../../dist/report/wireframe/index.js';
import { dashboard } from './fleet.mjs';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 500;
const TYPES = [
  'bar_chart',
  'line_chart',
  'area_chart',
  'pie_chart',
  'heatmap',
  'rich_table',
  'stat_card',
  'text',
  'run_button',
  'button',
];

function widget(page, section, k) {
  const type = TYPES[k % TYPES.length];
  return {
    id: `w${page}_${section}_${k}`,
    type,
    label: `${type.replace('_', ' ')} ${k} of section ${section}`,
    span: [3, 3, 6, 12, 4, 4, 4, 6, 6, 12][k],
    ...(section === 1 ? { column: (k % 2) + 1 } : {}),
    ...(type === 'run_button'
      ? { groupId: 'load' }
      : type === 'button'
        ? { action: { type: 'open_url', url: 'https://example.com' } }
        : { outputId: 'out' }),
    ...(type.endsWith('chart') ? { x: 'month', y: ['revenue', 'cost'], seriesCol: 'region' } : {}),
    ...(type === 'rich_table' ? { columns: ['name', 'region', 'revenue'], columnFormats: { revenue: 'number' } } : {}),
    ...(type === 'heatmap' ? { rowCol: 'weekday', colCol: 'hour', valueCol: 'n' } : {}),
    ...(type === 'text' ? { content: 'Counts per owner, refreshed hourly.' } : {}),
  };
}

function app() {
  return {
    schemaVersion: 2,
    header: { title: 'Sixty widgets', subtitle: 'A benchmark app' },
    pages: [0, 1, 2].map((p) => ({
      id: `page${p}`,
      label: `Page ${p}`,
      project: { id: 'sales' },
      inputs: [{ id: 'region', type: 'select', label: 'Region', options: ['EU', 'US'] }],
      runGroups: [
        { id: 'load', label: 'Load', trigger: 'button', execute: ['c'], outputs: [{ id: 'out', concept: 'c' }] },
      ],
      sections: [0, 1].map((s) => ({
        id: `s${s}`,
        title: `Section ${s}`,
        layout: s === 1 ? 'columns' : 'grid',
        ...(s === 1 ? { weights: [8, 4] } : {}),
        widgets: Array.from({ length: 10 }, (_, k) => widget(p, s, k)),
      })),
    })),
  };
}

const before = { name: 'Sixty widgets', definition: app() };
const after = { name: before.name, definition: app() };
for (const page of after.definition.pages) {
  const widgets = page.sections[0].widgets;
  widgets[0].type = 'line_chart';
  widgets[1].x = 'week';
  widgets[2].span = 12;
  widgets.splice(3, 1);
  widgets.push({ id: `new_${page.id}`, type: 'stat_card', label: 'New', outputId: 'out', span: 3 });
}
const changes = contentChanges(before, after);
const widgetCount = before.definition.pages.flatMap((p) => p.sections.flatMap((s) => s.widgets)).length;

function measure(name, work) {
  for (let i = 0; i < 50; i++) work();
  const times = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const out = work();
    times.push(performance.now() - t0);
    size = typeof out === 'string' ? out.length : JSON.stringify(out).length;
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(
    `${name.padEnd(44)} ${at(0.5).padStart(7)} ms ${at(0.95).padStart(7)} ms ${String(size).padStart(9)} chars`,
  );
}

console.log(`A ${widgetCount}-widget app (${changes.length} changes), ${RUNS} runs each:\n`);
console.log(`${'what'.padEnd(44)} ${'median'.padStart(10)} ${'p95'.padStart(10)} ${'output'.padStart(15)}`);
measure('plain-language changes', () => contentChanges(before, after));
measure('wireframe of the app (wireframeSvg)', () => wireframeSvg(after.definition));
measure('before and after, all pages (sideBySideSvg)', () =>
  sideBySideSvg({ name: 'Sixty', before: before.definition, after: after.definition, changes, pages: 'all' }),
);
measure('Mermaid diagrams of the changed pages', () =>
  mermaidDiagrams({ name: 'Sixty', before: before.definition, after: after.definition, changes }),
);
measure('HTML page of a one-item plan', () =>
  planHtml({ items: [{ path: 'apps/sixty.yaml', kind: 'update', before, after, changes }] }),
);
console.log('\nBudget: one 60-widget app renders in under 5 ms (the wireframe line).');

// For the plan budget (changes and wireframes of a 1,000-update plan add under 20% to plan's CPU
// time): 1,000 updates of the fleet's dashboards (12 widgets each, one retyped, one query edited).
const updates = Array.from({ length: 1000 }, (_, i) => {
  const was = dashboard(i);
  const now = dashboard(i);
  now.definition.widgets[0].type = 'area_chart';
  now.definition.widgets[5].query.text = now.definition.widgets[5].query.text.replace('avg', 'max');
  return [was, now];
});
for (let round = 0; round < 2; round++) {
  const t0 = performance.now();
  const all = updates.map(([was, now]) => contentChanges(was, now));
  const t1 = performance.now();
  updates.forEach(([was, now], i) =>
    sideBySideSvg({ name: now.name, before: was.definition, after: now.definition, changes: all[i] }),
  );
  const t2 = performance.now();
  if (round === 1)
    console.log(
      `1,000 dashboard updates: changes ${(t1 - t0).toFixed(0)} ms, before-and-after drawings ${(t2 - t1).toFixed(0)} ms`,
    );
}
