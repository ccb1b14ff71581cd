import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type { Action } from '../core/types.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import type { Progress, Reporter } from '../contract/reporter.js';
import { showCommandEvent } from './command-text.js';
import { inert } from './inert.js';
import type { TextOutlet } from './outlet.js';
import { dashboardName, inOutcomeColour, makeStyle } from './style.js';

/**
 * The terminal reporter: a Reporter for commands, and the outlet the CLI writes its own results
 * through (`info` is hidden by --quiet; `result`, warnings and failures are not).
 */
export interface TextReporter extends Reporter, TextOutlet {
  progress(label: string, total: number): Progress | undefined;
}

/** Options of the terminal reporter. */
export interface TextReporterOptions {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  color?: boolean;
  debug?: boolean;
  quiet?: boolean;
  /** Show progress bars (on `err`) for operations over PROGRESS_FROM items. */
  progress?: boolean;
}

/** Operations over this many dashboards get a progress bar on a terminal. */
export const PROGRESS_FROM = 20;

/** Where an action is, as its progress lines name it: its file, or its folder and name (inert). */
function where(action: Action): string {
  return 'path' in action ? inert(action.path) : `${inert(action.folder)}/ ${dashboardName(action.name)}`;
}

/** Human output: text to `out`, warnings and debug lines to `err`. */
export function textReporter(options: TextReporterOptions): TextReporter {
  const { out, err } = options;
  const style = makeStyle(options.color === true);
  // While a bar is drawn, lines for `err` wait (they would tear it) and `ok` lines are left out.
  let bar: { update(value: number): void; stop(): void } | undefined;
  const held: string[] = [];
  const errLine = (line: string): void => {
    if (bar) held.push(line);
    else err.write(line);
  };
  const reporter: TextReporter = {
    style,
    show: (event) => showCommandEvent(event, reporter),
    progress: (label, total) => {
      if (!options.progress || options.quiet || total <= PROGRESS_FROM || bar) return undefined;
      const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
      const singleBar = new SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} {duration_formatted}`,
          stream: err as NodeJS.WritableStream,
          hideCursor: false,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      );
      singleBar.start(total, 0);
      bar = singleBar;
      let done = 0;
      return {
        tick: () => singleBar.update(++done),
        stop: () => {
          singleBar.stop();
          bar = undefined;
          for (const line of held.splice(0)) err.write(line);
        },
      };
    },
    quiet: options.quiet === true,
    info: (text) => {
      if (!options.quiet) out.write(`${text}\n`);
    },
    result: (text) => {
      out.write(`${text}\n`);
    },
    // Warnings can carry what a server said: made inert here, where they meet the terminal.
    warn: (text) => errLine(`${style.yellow('warning:')} ${text.split('\n').map(inert).join('\n')}\n`),
    debug: (text) => {
      // Debug lines hold URLs and server text: inert too.
      if (options.debug) errLine(`${style.dim(`debug: ${text.split('\n').map(inert).join('\n')}`)}\n`);
    },
    event: (event) => {
      if (event.phase === 'started') return;
      const id = event.id ? style.dim(` (id ${inert(event.id)})`) : '';
      if (event.phase === 'done') {
        if (!options.quiet && !bar)
          out.write(
            `  ${inOutcomeColour(style, 'done')}  ${ACTION_KINDS[event.action.kind].verb} ${where(event.action)}${id}\n`,
          );
        // Saved, but its id was recorded nowhere: not a failure of the save, yet the user must act.
        if (event.idNotWritten)
          errLine(`${style.yellow('warning:')} ${where(event.action)}: ${inert(event.idNotWritten)}\n`);
      } else if (event.phase === 'failed') {
        const details = (event.details ?? []).map((detail) => `      - ${inert(detail)}\n`).join('');
        errLine(
          `  ${inOutcomeColour(style, 'failed')}  ${where(event.action)}: ${inert(event.message ?? 'failed')}\n${details}`,
        );
      } else {
        errLine(`  ${inOutcomeColour(style, 'skipped')}  ${where(event.action)}: ${inert(event.message ?? '')}\n`);
      }
    },
  };
  return reporter;
}
