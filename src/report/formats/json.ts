import type { ActionOutcome } from '../../contract/execution.js';
import { inertJson } from '../inert.js';
import { previewEventToJson, resultToJson, servingToJson, watchNoticeToJson } from '../result-json.js';
import { problemDiagnostic } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import type { CommandEnd, CommandName, FormatRenderer } from './format.js';

/*
 * JSON on stdout: one document at the end of a run, its result's fields and its diagnostics, or,
 * when it failed, `{ "command", "failed": true, "exitCode", "diagnostics" }`. watch, serve and
 * preview run until stopped and print one document per line instead, as things happen.
 */

/** Commands whose JSON is a stream of lines, one document each. */
const STREAMING: readonly CommandName[] = ['watch', 'serve', 'preview'];
const streams = (command: CommandName | undefined): boolean => command !== undefined && STREAMING.includes(command);

/** A warning's words as one text, as it was told. */
const warningText = (warning: Diagnostic): string =>
  warning.detail ? `${warning.summary}\n${warning.detail}` : warning.summary;

/**
 * An action that failed or was skipped, or was done but its id recorded nowhere, as the diagnostic
 * the terminal's FAILED, skipped or warning line is.
 */
function outcomeDiagnostic(outcome: ActionOutcome): Diagnostic {
  const { action } = outcome;
  const where = 'path' in action ? action.path : `${action.folder}/ ${JSON.stringify(action.name)} (id ${action.id})`;
  return {
    severity: outcome.outcome === 'failed' ? 'error' : 'warning',
    summary: `${where}: ${outcome.idNotWritten ?? outcome.message ?? outcome.outcome}`,
    detail: (outcome.details ?? []).join('\n'),
  };
}

/** What the terminal tells of an action beyond its `ok` line: a failure, a skip, an id not recorded. */
const toldOutcome = (outcome: ActionOutcome): boolean =>
  outcome.outcome === 'failed' || outcome.outcome === 'skipped' || outcome.idNotWritten !== undefined;

/** What a result says went wrong, beside the warnings of the run: validate's problems, the actions that failed. */
function resultDiagnostics(end: CommandEnd): Diagnostic[] {
  switch (end.command) {
    case 'validate':
      return [
        ...end.result.problems.map((problem) => problemDiagnostic(problem)),
        ...end.result.warnings.map((warning) => problemDiagnostic(warning, 'warning')),
      ];
    case 'apply':
    case 'migrate':
      return end.result.outcomes.filter(toldOutcome).map(outcomeDiagnostic);
    case 'pull':
      // What pull refused (a dashboard not pulled, a folder not pruned) fails the run: errors, as told.
      return end.result.changes
        .filter((change) => change.kind === 'refused')
        .map((change) => ({
          severity: 'error',
          summary: `${change.path}: ${change.message ?? 'refused'}`,
          detail: '',
        }));
    default:
      return [];
  }
}

// JSON exactly as the values are for a reader, and inert in a log (inert.ts).
const line = (value: unknown): string => `${inertJson(value)}\n`;
const document = (value: unknown): string => `${inertJson(value, 2)}\n`;

/** The JSON format (`--format json`, or `--json`). */
export const renderer: FormatRenderer = {
  live(event, outlet) {
    if (event.type === 'watch') outlet.write(line(watchNoticeToJson(event.notice, event.at)));
    else if (event.type === 'serving') outlet.write(line(servingToJson(event)));
    else if (event.type === 'previewing' || event.type === 'preview-compared' || event.type === 'preview-redrawn')
      outlet.write(line(previewEventToJson(event)));
  },
  warned(warning, outlet) {
    // A stream tells a warning as watch tells its own; a document carries it in its diagnostics.
    if (streams(outlet.command))
      outlet.write(line({ time: new Date().toISOString(), event: 'warning', text: warningText(warning) }));
  },
  end(end, outlet) {
    if (streams(end.command)) return outlet.write(line(resultToJson(end)));
    const diagnostics = [...resultDiagnostics(end), ...outlet.warnings()];
    outlet.write(document({ ...resultToJson(end), diagnostics }));
  },
  failure(failure, outlet) {
    const failed = {
      command: failure.command,
      failed: true,
      exitCode: failure.exitCode,
      diagnostics: failure.diagnostics,
    };
    outlet.write(streams(failure.command) ? line(failed) : document(failed));
  },
};
