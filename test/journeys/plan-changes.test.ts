import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, dashboardYaml, read, run, tree, until, useEmulators, write } from '../helpers.js';

/*
 * The plan says what changes in words (issue 23): each update's changes above its diff, what a new
 * dashboard holds, the same as data in --json; and the diff is on the file's own lines. Through the
 * built CLI against the emulator.
 */

const server = useEmulators();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

// A file as a person writes it: comments, quotes where YAML does not need them, a flow list.
const REVENUE = `# Revenue, owned by the sales team
name: "Revenue"
definition:
  refresh: '60s'   # every minute
  widgets:
    # the headline
    - id: kpi
      type: kpi
      title: "Total revenue"
      query: SELECT sum(amount) FROM orders
    - id: chart
      type: bar_chart
      title: Revenue by region
      tags: [sales, weekly]
      query: SELECT region, sum(amount) FROM orders GROUP BY region
`;

describe('the plan in words', () => {
  it("shows each update's changes above its diff, and what a new dashboard holds", async () => {
    const s = await server();
    const dir = tree({ 'dashboards/sales/revenue.yaml': REVENUE });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    write(
      dir,
      'dashboards/sales/revenue.yaml',
      read(dir, 'dashboards/sales/revenue.yaml').replace('type: bar_chart', 'type: line_chart'),
    );
    write(dir, 'dashboards/sales/new.yaml', dashboardYaml('New'));
    const r = await run(dir, ['plan'], s.env);
    expect(r.code, r.stderr).toBe(0);
    // The hunk starts three lines above the changed line, counted in the file (its id line included).
    const line = read(dir, 'dashboards/sales/revenue.yaml').split('\n').indexOf('      type: line_chart') + 1;
    expect(r.stdout.split('\n').slice(0, 6)).toEqual([
      '  + dashboards/sales/new.yaml  "New"',
      '      * the chart "#1" is added',
      '  ~ dashboards/sales/revenue.yaml  "Revenue"',
      '      edited locally',
      '      * the chart "Revenue by region" becomes a line chart (was a bar chart)',
      `      @@ -${line - 3},7 +${line - 3},7 @@`,
    ]);
  });

  it("diffs the file's own lines: its comments, quoting and line numbers, against the workspace written in its style", async () => {
    const s = await server();
    const dir = tree({ 'dashboards/sales/revenue.yaml': REVENUE });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const text = read(dir, 'dashboards/sales/revenue.yaml');
    write(dir, 'dashboards/sales/revenue.yaml', text.replace('title: Revenue by region', 'title: "Revenue by month"'));
    const lines = text.split('\n');
    const at = lines.indexOf('      title: Revenue by region') + 1;
    const r = await run(dir, ['plan', '--json'], s.env);
    expect(r.code, r.stderr).toBe(0);
    const [update] = JSON.parse(r.stdout).actions;
    // The file's own lines (its quotes and its flow list), numbered as in the file.
    expect(update.diff.split('\n')).toEqual([
      `@@ -${at - 3},6 +${at - 3},6 @@`,
      '       query: SELECT sum(amount) FROM orders',
      '     - id: chart',
      '       type: bar_chart',
      '-      title: Revenue by region',
      '+      title: "Revenue by month"',
      '       tags: [sales, weekly]',
      '       query: SELECT region, sum(amount) FROM orders GROUP BY region',
    ]);
    expect(lines.slice(0, 2)).toEqual(['# Revenue, owned by the sales team', expect.stringMatching(/^id: /)]);
    expect(update.changes).toEqual([
      {
        kind: 'changed',
        what: 'widget',
        id: 'chart',
        label: 'Revenue by month',
        type: 'bar_chart',
        where: {},
        field: 'title',
        before: 'Revenue by region',
        after: 'Revenue by month',
        text: 'the bar chart "Revenue by region" is renamed "Revenue by month"',
      },
    ]);
  });

  it('keeps a placeholder line unchanged in the diff when the workspace holds its rendering', async () => {
    const s = await server();
    const dir = tree({
      'dashsync.yaml': 'variables:\n  source: sales_db\n',
      'dashboards/sales/revenue.yaml':
        'name: Revenue\ndefinition:\n  widgets:\n    - type: chart\n      title: Orders\n      query: SELECT * FROM ${{ var.source }}.orders\n',
    });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    write(
      dir,
      'dashboards/sales/revenue.yaml',
      read(dir, 'dashboards/sales/revenue.yaml').replace('title: Orders', 'title: All orders'),
    );
    const r = await run(dir, ['plan'], s.env);
    expect(r.stdout).toContain('-      title: Orders\n      +      title: All orders\n');
    expect(r.stdout).toContain('             query: SELECT * FROM ${{ var.source }}.orders');
    expect(r.stdout).not.toContain('sales_db');
  });

  it('tells what a save changed under its line in watch', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/sales/revenue.yaml': REVENUE });
    const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env },
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('watching dashboards/'), 'watch to start');
    write(
      dir,
      'dashboards/sales/revenue.yaml',
      read(dir, 'dashboards/sales/revenue.yaml').replace('type: kpi', 'type: stat'),
    );
    // The line and its sentences may come in separate chunks: wait for the sentence too.
    await until(() => out.includes('becomes a stat'), 'the update and what it changed');
    expect(out).toMatch(
      /"Revenue" {2}updated \(id [0-9a-f-]+\)\n {12}\* the widget "Total revenue" becomes a stat \(was a KPI\)\n/,
    );
  });
});
