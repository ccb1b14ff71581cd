import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT, GITHUB_SUMMARY, sizeIn } from '../../src/ci/limits.js';
import type { TextLimit } from '../../src/ci/limits.js';
import type { Action, JsonObject, Plan } from '../../src/core/types.js';
import { applyMarkdown, fittedPlanMarkdown, planMarkdown } from '../../src/report/plan-markdown.js';

/*
 * The plan as Markdown for pull requests, in process: what changes in words above a diagram of each
 * changed page and the collapsed diff; cut between dashboards to fit the place it is posted to,
 * never over it, saying what is left out and where the whole plan is.
 */

const workspace = { url: 'http://127.0.0.1:9/api/v1', scope: 'user' };
const widgets = (n: number, type = 'bar_chart'): JsonObject[] =>
  Array.from({ length: n }, (_, i) => ({ id: `w${i}`, type, title: `Chart ${i}`, query: `SELECT ${i} FROM t` }));
const update = (i: number, n = 3): Action => ({
  kind: 'update',
  path: `dashboards/p/board-${i}.yaml`,
  projectId: 'p',
  folder: 'p',
  id: `id-${i}`,
  name: `Board ${i}`,
  remote: { name: `Board ${i}`, definition: { widgets: widgets(n) } },
  local: { name: `Board ${i}`, definition: { widgets: widgets(n, 'line_chart') } },
  reason: 'local-edit',
  adopt: false,
  localHash: 'l',
  remoteHash: 'r',
});
const planOf = (actions: Action[]): Plan => ({ actions, unmanaged: [], unchanged: 0 });

describe('the Markdown plan', () => {
  it("shows an update's changes in words, then its page's diagram, then the diff collapsed", () => {
    const text = planMarkdown(planOf([update(1, 2)]), workspace);
    const lines = text.split('\n');
    const at = (line: string): number => lines.indexOf(line);
    expect(at('#### <code>~</code> `dashboards/p/board-1.yaml` "Board 1"')).toBeGreaterThan(0);
    expect(at('- the chart "Chart 0" becomes a line chart \\(was a bar chart\\)')).toBeGreaterThan(
      at('#### <code>~</code> `dashboards/p/board-1.yaml` "Board 1"'),
    );
    expect(at('```mermaid')).toBeGreaterThan(at('- the chart "Chart 1" becomes a line chart \\(was a bar chart\\)'));
    expect(
      at('<details><summary><code>~</code> <code>dashboards/p/board-1.yaml</code> "Board 1"</summary>'),
    ).toBeGreaterThan(at('```mermaid'));
    expect(text).toContain('```diff\n@@');
  });

  it('collapses a long diagram under its page, and leaves a short one open', () => {
    expect(planMarkdown(planOf([update(1, 2)]), workspace)).not.toContain('<details><summary>Diagram:');
    const long = planMarkdown(planOf([update(1, 40)]), workspace);
    expect(long).toContain('<details><summary>Diagram: "Board 1"</summary>\n\n```mermaid');
  });

  it('fits the limit with every dashboard in words, the first ones in full, and says what is left out', () => {
    const limit: TextLimit = { max: 12_000, unit: 'characters', what: 'a test comment' };
    const plan = planOf(Array.from({ length: 12 }, (_, i) => update(i, 6)));
    expect(sizeIn(limit, planMarkdown(plan, workspace))).toBeGreaterThan(limit.max);
    const { text, cut } = fittedPlanMarkdown(plan, workspace, { limit, whole: 'https://ci.example/run/1' });
    expect(cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(limit.max);
    for (let i = 0; i < 12; i++) expect(text).toContain(`#### <code>~</code> \`dashboards/p/board-${i}.yaml\``);
    expect(text).toContain('<details><summary><code>~</code> <code>dashboards/p/board-0.yaml</code>');
    expect(text).not.toContain('<details><summary><code>~</code> <code>dashboards/p/board-11.yaml</code>');
    expect(text).toContain('_Diagram and YAML left out here: see the whole plan._');
    expect(text).toMatch(
      /\*\*The plan is cut here: the diagrams and YAML of \d+ of 12 left out\*\* \(a test comment holds at most 12,000 characters\)\. The whole plan: <https:\/\/ci\.example\/run\/1>\n$/,
    );
  });

  it('tells as many dashboards as fit in words when even the words of all do not fit', () => {
    const limit: TextLimit = { max: 12_000, unit: 'characters', what: 'a test comment' };
    const plan = planOf(Array.from({ length: 40 }, (_, i) => update(i, 6)));
    expect(sizeIn(limit, planMarkdown(plan, workspace))).toBeGreaterThan(limit.max);
    const { text, cut } = fittedPlanMarkdown(plan, workspace, { limit, whole: 'https://ci.example/run/1' });
    expect(cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(limit.max);
    expect(text.length).toBeGreaterThan(limit.max - 2_000);
    expect(text).not.toContain('<details>');
    expect(text).toContain('#### <code>~</code> `dashboards/p/board-0.yaml`');
    expect(text).toMatch(
      /\*\*The plan is cut here: \d+ more of 40 not shown\*\* \(a test comment holds at most 12,000 characters\)\. The whole plan: <https:\/\/ci\.example\/run\/1>\n$/,
    );
  });

  it('counts a job summary in bytes: names in another script take more room', () => {
    const wide = planOf(
      Array.from({ length: 900 }, (_, i) => ({ ...update(i, 8), name: `Доска продаж по регионам ${i}` }) as Action),
    );
    const { text, cut } = fittedPlanMarkdown(wide, workspace, { limit: GITHUB_SUMMARY });
    expect(cut).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(GITHUB_SUMMARY.max);
    expect(text).toContain('(a GitHub job summary holds at most 1,048,576 bytes)');
    expect(text).toContain('The whole plan: the HTML plan of this job');
  });

  it("keeps room for what is put beside the text, and for apply's summary line", () => {
    const plan = planOf(Array.from({ length: 60 }, (_, i) => update(i, 6)));
    const reserved = { ...GITHUB_COMMENT, max: 20_000, reserved: 500 };
    expect(fittedPlanMarkdown(plan, workspace, { limit: reserved }).text.length).toBeLessThanOrEqual(19_500);
    const summary = {
      created: 0,
      updated: 60,
      deleted: 0,
      linked: 0,
      failed: 0,
      skipped: 0,
      notStarted: 0,
      idsNotWritten: 0,
      duplicated: 0,
    };
    const applied = applyMarkdown(
      { plan, workspace, outcomes: [], summary, applied: true },
      { limit: { ...GITHUB_COMMENT, max: 20_000 } },
    );
    expect(applied.length).toBeLessThanOrEqual(20_000);
    expect(applied.endsWith('**Apply complete: 0 created, 60 updated, 0 deleted.**\n')).toBe(true);
  });
});

describe('a collapsible summary', () => {
  it('is HTML text: a name cannot close it or add markup, and inline code is <code>', async () => {
    const { summaryHtml, escapeMarkdown, code } = await import('../../src/report/markdown-action.js');
    const line = summaryHtml(`<code>~</code> ${code('d/p/a.yaml')} ${escapeMarkdown('"x </summary > <img src=y>"')}`);
    expect(line).toBe('<code>~</code> <code>d/p/a.yaml</code> "x &lt;/summary &gt; &lt;img src=y&gt;"');
  });
});
