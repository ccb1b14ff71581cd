import { copyFileSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { marked } from 'marked';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, appsExampleRepo, read, run, useEmulators, write } from '../helpers.js';

/*
 * The plan's pull-request comment, rendered about as GitHub renders it: the Markdown of a real plan
 * (the built CLI against the emulator) converted by `marked` (GitHub-flavoured), its Mermaid blocks
 * drawn by the mermaid package in the browser, from node_modules: nothing fetched from the network.
 * Every diagram must draw (a diagram GitHub cannot draw shows an error box instead). With
 * DASHSYNC_SCREENSHOTS=1 its screenshot goes to docs/images/ for the README.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const missing = !existsSync(CHROMIUM) && process.env.CI === undefined;
const server = useEmulators();
const MERMAID = join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

// About GitHub's look for a comment: its fonts, code blocks, tables and collapsed blocks.
const GITHUB_CSS = `
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, 'Segoe UI', 'Noto Sans', Helvetica, Arial, 'DejaVu Sans', sans-serif; color: #1f2328; }
.comment { max-width: 900px; margin: 20px auto; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; }
.comment > header { padding: 8px 16px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; border-radius: 6px 6px 0 0; color: #59636e; }
.markdown-body { padding: 16px; }
h3 { margin: 8px 0 16px; font-size: 1.25em; } h4 { margin: 24px 0 12px; font-size: 1em; }
code { padding: .2em .4em; border-radius: 6px; background: #eff1f3; font: 85% ui-monospace, SFMono-Regular, Menlo, 'DejaVu Sans Mono', monospace; }
pre { padding: 16px; overflow: auto; border-radius: 6px; background: #f6f8fa; } pre code { padding: 0; background: none; }
table { border-collapse: collapse; margin: 0 0 16px; } td, th { padding: 6px 13px; border: 1px solid #d0d7de; }
details { margin: 0 0 16px; } summary { cursor: pointer; }
pre.mermaid { background: #fff; text-align: center; }
`;

describe.skipIf(missing)('the pull-request comment in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every Mermaid diagram of a real plan, and the changes and collapsed diffs around them', async () => {
    const s = await server();
    const dir = appsExampleRepo();
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const top = 'dashboards/sales/top-customers.yaml';
    write(
      dir,
      top,
      read(dir, top)
        .replace('type: bar_chart, outputId: totals, x: region', 'type: line_chart, outputId: totals, x: month')
        .replace('            - { id: w_btn, type: run_button, groupId: load_top, span: 3 }\n', '')
        .replace('statSub: customers with orders, span: 3', 'statSub: customers with orders, span: 6'),
    );
    const plan = await run(dir, ['plan', '--format', 'markdown'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    const blocks = plan.stdout.split('```mermaid').length - 1;
    expect(blocks).toBeGreaterThanOrEqual(1);

    const folder = mkdtempSync(join(tmpdir(), 'dashsync-comment-'));
    const file = join(folder, 'comment.html');
    const body = await marked.parse(plan.stdout, { gfm: true });
    writeFileSync(
      file,
      `<!doctype html><html><head><meta charset="utf-8"><style>${GITHUB_CSS}</style>` +
        `<script src="${pathToFileURL(MERMAID).href}"></script></head><body>` +
        `<div class="comment"><header><b>github-actions</b> bot commented</header><div class="markdown-body">${body}</div></div>` +
        // As GitHub does: each ```mermaid block becomes a drawing.
        `<script>for (const code of document.querySelectorAll('code.language-mermaid')) {` +
        `const pre = document.createElement('pre'); pre.className = 'mermaid'; pre.textContent = code.textContent; code.parentElement.replaceWith(pre); }` +
        `mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });` +
        `mermaid.run().then(() => document.body.dataset.drawn = 'yes', (e) => document.body.dataset.drawn = String(e));</script>` +
        '</body></html>',
    );
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.body.dataset.drawn !== undefined');
    expect(await page.evaluate('document.body.dataset.drawn')).toBe('yes');
    expect(await page.locator('pre.mermaid svg').count()).toBe(blocks);
    expect(await page.locator('pre.mermaid', { hasText: 'Syntax error' }).count()).toBe(0);
    expect(await page.locator('h4').allTextContents()).toEqual([
      '~ dashboards/sales/top-customers.yaml "Top Customers"',
    ]);
    expect(await page.locator('.markdown-body li').allTextContents()).toContain(
      'the run button w_btn is removed from section "section_1" on page "Top Customers"',
    );
    const diagram = page.locator('pre.mermaid svg').first();
    expect(await diagram.textContent()).toContain('~ type, x axis');
    expect(await diagram.textContent()).toContain('− removed');
    expect((await diagram.boundingBox())!.height).toBeGreaterThan(150);
    expect(await page.locator('details summary', { hasText: top }).count()).toBe(1);
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);

    const shot = join(folder, 'comment.png');
    await page.locator('.comment').screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    if (process.env.DASHSYNC_SCREENSHOTS === '1') {
      mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
      copyFileSync(shot, join(ROOT, 'docs', 'images', 'pr-comment.png'));
    }
    await page.close();
  }, 90_000);
});
