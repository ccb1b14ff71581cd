import { describe, expect, it } from 'vitest';
import { contentChanges } from '../../src/core/changes/index.js';
import type { DashboardContent, JsonObject } from '../../src/core/types.js';
import { planHtml } from '../../src/report/html/index.js';
import type { HtmlPlanItem } from '../../src/report/html/index.js';

/* The plan as one self-contained HTML page: data in, one string out, nothing loaded. */

const dashboard = (name: string, widgets: JsonObject[]): DashboardContent => ({ name, definition: { widgets } });
const item = (
  path: string,
  kind: HtmlPlanItem['kind'],
  before?: DashboardContent,
  after?: DashboardContent,
): HtmlPlanItem => ({
  path,
  kind,
  ...(before ? { before } : {}),
  ...(after ? { after } : {}),
  changes: contentChanges(before, after),
});

const revenueBefore = dashboard('Revenue', [
  { id: 'a', type: 'bar_chart', title: 'By region', query: 'SELECT region' },
  { id: 'b', type: 'kpi', title: 'Total', query: 'SELECT 1' },
]);
const revenueAfter = dashboard('Revenue', [{ id: 'a', type: 'line_chart', title: 'By region', query: 'SELECT month' }]);

describe('plan page', () => {
  const html = planHtml({
    subtitle: 'workspace http://127.0.0.1:1/ (scope user)',
    items: [
      item('dashboards/sales/revenue.yaml', 'update', revenueBefore, revenueAfter),
      item(
        'dashboards/sales/new.yaml',
        'create',
        undefined,
        dashboard('New', [{ id: 'n', type: 'table', title: 'Deals' }]),
      ),
      item(
        'dashboards/ops/old.yaml',
        'delete',
        dashboard('Old', [{ id: 'o', type: 'kpi', title: 'Uptime' }]),
        undefined,
      ),
    ],
  });

  it('shows a summary, then each item with its changes in words and its before and after drawn side by side', () => {
    expect(html).toContain('3 dashboards or apps to change, 5 changes in all.');
    for (const words of [
      '<span class="kind create">+ 1 to create</span>',
      '<span class="kind update">~ 1 to update</span>',
      '<span class="kind delete">- 1 to delete</span>',
      'workspace http://127.0.0.1:1/ (scope user)',
    ])
      expect(html).toContain(words);
    expect(html).toContain(
      '<span class="word changed">changed</span><span>the chart &quot;By region&quot; becomes a line chart (was a bar chart)</span>',
    );
    expect(html).toContain(
      '<span class="word removed">removed</span><span>the KPI &quot;Total&quot; is removed</span>',
    );
    expect(html).toContain('<span class="word added">added</span><span>the table &quot;Deals&quot; is added</span>');
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html.match(/>Before</g)?.length).toBe(2);
    expect(html).toContain('>Before: not there yet<');
    expect(html).toContain('>After: deleted<');
  });

  it('loads nothing and runs nothing: no script, no external reference, a policy that forbids both', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    expect(html).not.toMatch(/\s(src|srcset|action)=/i);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#item-\d+$/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('gives every element id once, across all the drawings', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(6);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('escapes every text of the plan: paths, names, sentences and what the drawings show', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const page = planHtml({
      title: evil,
      items: [
        item(
          `dashboards/${evil}.yaml`,
          'create',
          undefined,
          dashboard(evil, [{ id: evil, type: evil, title: evil, query: evil }]),
        ),
      ],
    });
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('says so when there is nothing to change, its counts greyed', () => {
    const page = planHtml({ items: [] });
    expect(page).toContain('Nothing to change: the files and the workspace agree.');
    expect(page).toContain('<span class="kind zero">+ 0 to create</span>');
    expect(page).not.toContain('<nav');
  });
});
