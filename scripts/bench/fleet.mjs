// A realistic fleet: N dashboards of about 5 KB each (layout, filters, a dozen widgets with SQL
// queries and thresholds), spread over 20 projects, written as dashsync writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toYamlText } from '../../dist/local/yaml.js';

const KINDS = ['line_chart', 'bar_chart', 'kpi', 'table', 'heatmap', 'scatter'];
const TABLES = ['requests', 'bookings', 'incidents', 'campaign_daily', 'opportunities', 'deploys'];

export function dashboard(i) {
  const widgets = Array.from({ length: 12 }, (_, k) => ({
    id: `w${k}`,
    type: KINDS[(i + k) % KINDS.length],
    title: `${['Latency', 'Revenue', 'Errors', 'Signups', 'Deploys', 'Spend'][k % 6]} by region (${k})`,
    position: { x: (k % 3) * 4, y: Math.floor(k / 3) * 4, w: 4, h: 4 },
    query: {
      language: 'sql',
      text: `SELECT region, date_trunc('hour', ts) AS hour, avg(value_${k}) AS v\nFROM ${TABLES[k % TABLES.length]}_${i % 7}\nWHERE ts > now() - interval '${1 + (k % 7)} days'\nGROUP BY region, hour\nORDER BY hour\n`,
    },
    thresholds: [
      { value: 100 * (k + 1), color: 'orange' },
      { value: 250 * (k + 1), color: 'red' },
    ],
  }));
  return {
    name: `Dashboard ${String(i).padStart(5, '0')}`,
    definition: {
      description: `Operational view ${i}`,
      refresh: '60s',
      layout: { columns: 12, rowHeight: 40 },
      filters: [{ field: 'region', default: 'all' }],
      widgets,
    },
  };
}

export const projectOf = (i) => `project-${String(i % 20).padStart(2, '0')}`;

/** Writes N dashboard files (no ids) under dir/dashboards/project-XX/. */
export function writeFleet(dir, n) {
  for (let i = 0; i < n; i++) {
    const folder = join(dir, 'dashboards', projectOf(i));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `dashboard-${i}.yaml`), toYamlText(dashboard(i)));
  }
}

/** App i of an apps-mode fleet: shaped like the docs' tutorials (a form, run groups, a table, charts). */
export function app(i) {
  const project = projectOf(i);
  const charts = ['line_chart', 'bar_chart', 'area_chart', 'pie_chart'];
  return {
    name: `App ${String(i).padStart(5, '0')}`,
    definition: {
      schemaVersion: 2,
      header: { title: `App ${i}`, subtitle: `Operational view ${i}` },
      pages: [
        {
          id: 'page_1',
          label: 'Overview',
          project: { id: project },
          inputs: [
            {
              id: 'filters',
              type: 'form',
              submitLabel: 'Apply',
              layout: 'grid',
              sections: [
                {
                  title: 'Filters',
                  fields: [
                    { id: 'region', type: 'select', span: 6, options: ['EU', 'US', 'APAC'] },
                    { id: 'min', type: 'number', span: 6, default: 0 },
                  ],
                },
              ],
            },
          ],
          runGroups: [
            {
              id: 'load',
              trigger: 'load',
              execute: [`metrics_${i % 7}`],
              outputs: [
                { id: 'metrics', concept: `metrics_${i % 7}` },
                { id: 'totals', concept: 'totals' },
              ],
            },
            {
              id: 'search',
              trigger: 'form',
              formId: 'filters',
              params: { region: '{{filters.region}}', min: '{{filters.min}}' },
              execute: ['matching'],
              outputs: [{ id: 'rows', concept: 'matching' }],
            },
          ],
          sections: [
            {
              id: 'main',
              layout: 'grid',
              widgets: [
                { id: 'w_form', type: 'form_ref', inputId: 'filters', span: 12 },
                { id: 'w_kpi', type: 'stat_card', outputId: 'totals', valueCol: 'total', span: 3 },
                ...Array.from({ length: 8 }, (_, k) => ({
                  id: `w_chart_${k}`,
                  type: charts[(i + k) % charts.length],
                  outputId: 'metrics',
                  x: 'hour',
                  y: [`value_${k}`],
                  span: 6,
                })),
                {
                  id: 'w_table',
                  type: 'rich_table',
                  outputId: 'rows',
                  span: 12,
                  variant: 'full',
                  formatRules: [
                    { column: 'status', operator: 'equals', value: 'late', color: 'red', display: 'badge' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** Writes N app files (no ids) and a dashsync.yaml with `api: apps` under dir. */
export function writeAppFleet(dir, n) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'dashsync.yaml'), 'api: apps\n');
  for (let i = 0; i < n; i++) {
    const folder = join(dir, 'dashboards', projectOf(i));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `app-${i}.yaml`), toYamlText(app(i)));
  }
}
