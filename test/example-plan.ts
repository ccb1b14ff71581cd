import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentChanges } from '../src/core/changes/index.js';
import type { DashboardContent, JsonObject } from '../src/core/types.js';
import type { HtmlPlan } from '../src/report/html/index.js';
import { loadYaml } from '../src/util/lazy.js';
import { ROOT } from './helpers.js';

/*
 * A plan made from the examples, as a reviewer would meet one: an app whose chart becomes a line
 * chart by month (a button removed, a note added, a card widened), a dashboard losing a KPI and
 * gaining a table, and a new app. The browser test draws it, and its screenshot is the README's.
 */

type Definition = JsonObject & { pages: Array<{ sections: Array<{ widgets: JsonObject[] }> }>; widgets: JsonObject[] };

function example(path: string): DashboardContent {
  const parsed = loadYaml().parse(readFileSync(join(ROOT, 'examples', path), 'utf8')) as DashboardContent;
  return { name: parsed.name, definition: parsed.definition };
}

/** The example plan: three items, every kind of mark among them. */
export function examplePlan(): HtmlPlan {
  const app = example('apps/dashboards/sales/top-customers.yaml');
  const appAfter = structuredClone(app);
  const widgets = (appAfter.definition as Definition).pages[0]!.sections[0]!.widgets;
  Object.assign(widgets[3]!, { type: 'line_chart', x: 'month', label: 'Revenue by month' });
  Object.assign(widgets[1]!, { span: 6, label: 'Customers' });
  widgets.splice(0, 1);
  widgets.splice(2, 0, { id: 'w_note', type: 'text', content: 'Revenue is net of refunds.', span: 6 });
  const dashboard = example('dashboards/sales/revenue-overview.yaml');
  const dashboardAfter = structuredClone(dashboard);
  const tiles = (dashboardAfter.definition as Definition).widgets;
  const byRegion = tiles[1] as { query: { text: string }; type: string };
  byRegion.query.text = byRegion.query.text.replace(/region/g, 'country');
  tiles.splice(0, 1);
  tiles.push({
    id: 'top-deals',
    type: 'table',
    title: 'Top deals',
    position: { x: 0, y: 11, w: 12, h: 5 },
    query: { language: 'sql', text: 'SELECT name, amount_eur\nFROM bookings\nORDER BY amount_eur DESC\nLIMIT 10' },
  });
  const created = example('apps/dashboards/sales/order-search.yaml');
  return {
    subtitle: 'Workspace http://127.0.0.1:8080 (scope user)',
    items: [
      {
        path: 'dashboards/sales/top-customers.yaml',
        kind: 'update',
        before: app,
        after: appAfter,
        changes: contentChanges(app, appAfter),
      },
      {
        path: 'dashboards/sales/revenue-overview.yaml',
        kind: 'update',
        before: dashboard,
        after: dashboardAfter,
        changes: contentChanges(dashboard, dashboardAfter),
      },
      {
        path: 'dashboards/sales/order-search.yaml',
        kind: 'create',
        after: created,
        changes: contentChanges(undefined, created),
      },
    ],
  };
}
