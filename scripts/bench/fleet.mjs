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
    thresholds: [{ value: 100 * (k + 1), color: 'orange' }, { value: 250 * (k + 1), color: 'red' }],
  }));
  return { name: `Dashboard ${String(i).padStart(5, '0')}`, definition: { description: `Operational view ${i}`, refresh: '60s', layout: { columns: 12, rowHeight: 40 }, filters: [{ field: 'region', default: 'all' }], widgets } };
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
