import { appendFile } from 'node:fs/promises';
import type {
  ApplyResult,
  InitResult,
  MigrateResult,
  PlanResult,
  PullResult,
  ValidateResult,
} from '../contract/results.js';
import { planToJson } from '../local/plan-file.js';
import type { Problem } from '../core/types.js';
import { applySummaryLine } from './apply-text.js';
import { inertJson } from './inert.js';
import { annotations, inGitHubActions, planMarkdown } from './github.js';
import { applyToJson, migrateToJson, validateToJson } from './result-json.js';

/*
 * What a command leaves on stdout once it has its result: --json, `plan --format markdown`, and in
 * GitHub Actions the file annotations and the job's step summary. The terminal text of the run
 * itself is the reporter's (reporter.ts, command-text.ts).
 */

/** Where the end of a run goes: stdout, and the process environment (for CI). */
export interface ResultOutlet {
  stdout: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const processOutlet: ResultOutlet = { stdout: process.stdout, env: process.env };

/** The formats a command was asked for on stdout. */
export interface OutputFormat {
  json?: boolean;
  markdown?: boolean;
}

function printJson(value: unknown, outlet: ResultOutlet): void {
  outlet.stdout.write(`${inertJson(value, 2)}\n`);
}

/** In GitHub Actions, appends Markdown to the job's summary page. */
async function stepSummary(markdown: () => string, outlet: ResultOutlet): Promise<void> {
  const file = outlet.env.GITHUB_STEP_SUMMARY;
  // Made only when it is written: for 1,000 new dashboards it is most of an apply's CPU time.
  if (!inGitHubActions(outlet.env) || !file) return;
  await appendFile(file, `${markdown()}\n`);
}

/** In GitHub Actions, each problem becomes an annotation on the pull request. */
export function annotateProblems(problems: Problem[], outlet: ResultOutlet = processOutlet): void {
  if (inGitHubActions(outlet.env)) outlet.stdout.write(annotations(problems));
}

/** The end of `init`. */
export function initOutput(result: InitResult, format: OutputFormat, outlet: ResultOutlet = processOutlet): void {
  if (format.json) printJson(result, outlet);
}

/** The end of `validate`. */
export function validateOutput(
  result: ValidateResult,
  format: OutputFormat,
  outlet: ResultOutlet = processOutlet,
): void {
  annotateProblems(result.problems, outlet);
  if (format.json) printJson(validateToJson(result), outlet);
}

/** The end of `plan`: JSON or Markdown on stdout, and the step summary. */
export async function planOutput(
  result: PlanResult,
  format: OutputFormat,
  outlet: ResultOutlet = processOutlet,
): Promise<void> {
  const markdown = (): string => planMarkdown(result.plan, result.workspace, { deploy: result.deploy });
  if (format.json) printJson(planToJson(result.plan, result.workspace, undefined, result.deploy), outlet);
  else if (format.markdown) outlet.stdout.write(markdown());
  await stepSummary(markdown, outlet);
}

/** The end of `apply`: JSON on stdout, and the step summary of what was applied. */
export async function applyOutput(
  result: ApplyResult,
  format: OutputFormat,
  outlet: ResultOutlet = processOutlet,
): Promise<void> {
  if (format.json) printJson(applyToJson(result), outlet);
  if (!result.applied || result.outcomes.length === 0) return;
  await stepSummary(
    () =>
      `${planMarkdown(result.plan, result.workspace, { title: 'dashsync apply' })}\n` +
      `**${applySummaryLine(result.summary)}**\n`,
    outlet,
  );
}

/** The end of `pull`. */
export function pullOutput(result: PullResult, format: OutputFormat, outlet: ResultOutlet = processOutlet): void {
  if (format.json) printJson(result, outlet);
}

/** The end of `migrate`. */
export function migrateOutput(result: MigrateResult, format: OutputFormat, outlet: ResultOutlet = processOutlet): void {
  if (format.json) printJson(migrateToJson(result), outlet);
}

/** `serve --json`: one line with the URL, and the token when it was made up for this run. */
export function serveOutput(
  server: { url: string; token: string },
  format: OutputFormat & { tokenGiven: boolean },
  outlet: ResultOutlet = processOutlet,
): void {
  if (format.json)
    outlet.stdout.write(
      `${JSON.stringify({ url: server.url, ...(format.tokenGiven ? {} : { token: server.token }) })}\n`,
    );
}
