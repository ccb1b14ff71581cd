import { copyFileSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHtml } from '../../src/report/html/index.js';
import { sideBySideSvg } from '../../src/report/wireframe/index.js';
import { examplePlan } from '../example-plan.js';
import { ROOT, appsExampleRepo, read, run, useEmulators, write } from '../helpers.js';

/*
 * The plan page in a real browser: Debian's Chromium, driven by playwright-core (which downloads no
 * browser of its own; .ci/run installs chromium when it is missing). What a reviewer sees is
 * checked: both sides drawn, the boxes' words, the added and removed tags, no text running out of
 * its box, no box over another, nothing fetched. A screenshot is saved to a temp folder (and, with
 * DASHSYNC_SCREENSHOTS=1, to docs/images/ for the README).
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Locally without Chromium the test is skipped; in CI it must run (.ci/run installs it).
const missing = !existsSync(CHROMIUM) && process.env.CI === undefined;
const server = useEmulators();

// Run in the page (as text: this project's types know no DOM): what a reviewer would notice first,
// a text running out of its box, and boxes drawn over each other.
const LAYOUT_PROBLEMS = `(() => {
  const found = [];
  const outside = (inner, outer) =>
    inner.x < outer.x - 1 || inner.x + inner.width > outer.x + outer.width + 1 ||
    inner.y < outer.y - 1 || inner.y + inner.height > outer.y + outer.height + 1;
  const overlap = (a, b) =>
    a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;
  for (const svg of document.querySelectorAll('.wireframe svg')) {
    const boxes = [...svg.querySelectorAll('g[data-box]')].map((g) => ({
      name: g.dataset.box,
      path: g.dataset.path || '',
      frame: g.querySelector('rect').getBBox(),
      texts: [...g.querySelectorAll('text')].map((t) => ({ words: t.textContent, box: t.getBBox() })),
    }));
    for (const b of boxes)
      for (const t of b.texts) if (outside(t.box, b.frame)) found.push('"' + t.words + '" runs out of the box of ' + b.name);
    const widgets = boxes.filter((b) => b.path.includes('widgets['));
    for (let i = 0; i < widgets.length; i++)
      for (let j = i + 1; j < widgets.length; j++)
        if (overlap(widgets[i].frame, widgets[j].frame)) found.push(widgets[i].name + ' overlaps ' + widgets[j].name);
  }
  return found;
})()`;

describe.skipIf(missing)('the plan page in Chromium', () => {
  let browser: Browser;
  const folder = mkdtempSync(join(tmpdir(), 'dashsync-browser-'));
  const file = join(folder, 'plan.html');

  beforeAll(async () => {
    writeFileSync(file, planHtml(examplePlan()));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every change side by side, with its words and tags, nothing cut, nothing overlapping, nothing fetched', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);

    expect(await page.title()).toBe('dashsync plan');
    const drawings = page.locator('.wireframe svg');
    expect(await drawings.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const headings = await drawings.nth(i).locator('[data-side] text').allTextContents();
      expect(headings.join(' | ')).toMatch(/^Before.* \| After/);
      expect((await drawings.nth(i).boundingBox())!.width).toBeGreaterThan(900);
    }
    const chart = page.locator('g[data-box="Revenue by month"]');
    expect(await chart.count()).toBe(1);
    expect(await chart.getAttribute('data-mark')).toBe('~ type, label, x axis');
    expect(await chart.textContent()).toContain('line chart');
    expect(await chart.textContent()).toContain('x: month · y: revenue');
    expect(await page.locator('g[data-box="w_chart"]').textContent()).toContain('x: region · y: revenue');
    expect(await page.locator('g[data-mark="+ added"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('g[data-mark="− removed"]').count()).toBeGreaterThanOrEqual(2);
    await expect(page.locator('g[data-mark="− removed"]').first().isVisible()).resolves.toBe(true);
    expect(await page.locator('ul.changes li').allTextContents()).toContain(
      'changedthe chart "Revenue by month" on page "Top Customers" becomes a line chart (was a bar chart)',
    );

    // What a reviewer would notice first: text running out of its box, boxes drawn over each other.
    const problems = (await page.evaluate(LAYOUT_PROBLEMS)) as string[];
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const shot = join(folder, 'plan.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    if (process.env.DASHSYNC_SCREENSHOTS === '1') {
      await page.setViewportSize({ width: 1180, height: 900 });
      const readme = join(ROOT, 'docs', 'images');
      mkdirSync(readme, { recursive: true });
      await page.locator('#item-0').screenshot({ path: join(folder, 'item.png') });
      copyFileSync(join(folder, 'item.png'), join(readme, 'plan-html.png'));
    }
    await page.close();
  });

  it('draws the page plan --format html makes of a real plan: each change side by side, nothing cut, nothing fetched', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const top = 'dashboards/sales/top-customers.yaml';
    write(
      dir,
      top,
      read(dir, top).replace(
        'type: bar_chart, outputId: totals, x: region',
        'type: line_chart, outputId: totals, x: month',
      ),
    );
    write(
      dir,
      'dashboards/sales/new.yaml',
      read(dir, 'dashboards/sales/order-search.yaml')
        .replace(/^id: .*\n/m, '')
        .replace(/^name: .*$/m, 'name: New search'),
    );
    const plan = await run(dir, ['plan', '--format', 'html'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('Plan: 1 to create, 1 to update, 0 to delete.');
    const html = join(folder, 'cli-plan.html');
    writeFileSync(html, plan.stdout);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(html).href);
    expect(await page.locator('header.page .summary').first().textContent()).toMatch(
      /^Workspace http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(scope user\): Plan: 1 to create, 1 to update, 0 to delete\.$/,
    );
    expect(await page.locator('section.item h2 code').allTextContents()).toEqual(['dashboards/sales/new.yaml', top]);
    expect(await page.locator('section.item').nth(1).locator('ul.changes li').allTextContents()).toEqual([
      'changedthe chart w_chart on page "Top Customers" becomes a line chart (was a bar chart)',
      'changedx axis of the line chart w_chart on page "Top Customers": month (was region)',
    ]);
    expect(await page.locator('g[data-mark="~ type, x axis"]').count()).toBe(2);
    expect(await page.locator('section.item').first().locator('svg').textContent()).toContain('+ added page');
    expect((await page.evaluate(LAYOUT_PROBLEMS)) as string[]).toEqual([]);
    expect(requests).toEqual([pathToFileURL(html).href]);
    await page.close();
  }, 60_000);

  it('opens a drawing on its own as an SVG file: well-formed XML, all its words in place', async () => {
    const [item] = examplePlan().items;
    const svg = join(folder, 'top-customers.svg');
    writeFileSync(
      svg,
      sideBySideSvg({
        name: item!.after!.name,
        before: item!.before!.definition,
        after: item!.after!.definition,
        changes: item!.changes,
      }),
    );
    const page = await browser.newPage();
    await page.goto(pathToFileURL(svg).href);
    // Chromium shows a parsererror instead of a drawing when an SVG file is not well-formed XML.
    expect(await page.locator('parsererror').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.localName')).toBe('svg');
    expect(await page.locator('g[data-mark="+ added"]').count()).toBe(1);
    expect(await page.locator('text', { hasText: 'Revenue by month' }).count()).toBe(1);
    await page.close();
  });
});
