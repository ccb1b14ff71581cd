import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type { Action } from '../core/types.js';
import { ACTION_KINDS } from '../core/action-kinds.js';
import type { Progress, Reporter } from '../commands/events.js';
import { showCommandEvent } from './command-text.js';
import type { TextOutlet } from './command-text.js';
import { inert, makeStyle, quoted } from './style.js';

export type { ActionEvent, Progress, Reporter } from '../commands/events.js';
export { silentReporter } from '../commands/events.js';

/**
 * The terminal reporter: a Reporter for commands, and the outlet the CLI writes its own results
 * through (`info` is hidden by --quiet; `result`, warnings and failures are not).
 */
export interface TextReporter extends Reporter, TextOutlet {
  progress(label: string, total: number): Progress | undefined;
}

/** Options of the terminal reporter. */
export interface TextReporterOptions {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  color?: boolean;
  debug?: boolean;
  quiet?: boolean;
  /** Show progress bars (on `err`) for operations over PROGRESS_FROM items. */
  progress?: boolean;
}

/** Operations over this many dashboards get a progress bar on a terminal. */
export const PROGRESS_FROM = 20;

function where(a: Action): string {
  return 'path' in a ? a.path : `${a.folder}/ ${quoted(a.name)}`;
}

/** Human output: text to `out`, warnings and debug lines to `err`. */
export function textReporter(o: TextReporterOptions): TextReporter {
  const style = makeStyle(o.color === true);
  // While a bar is drawn, lines for `err` wait (they would tear it) and `ok` lines are left out.
  let bar: { update(n: number): void; stop(): void } | undefined;
  const held: string[] = [];
  const errLine = (s: string): void => {
    if (bar) held.push(s);
    else o.err.write(s);
  };
  const reporter: TextReporter = {
    style,
    show: (e) => showCommandEvent(e, reporter),
    progress: (label, total) => {
      if (!o.progress || o.quiet || total <= PROGRESS_FROM || bar) return undefined;
      const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
      const b = new SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} {duration_formatted}`,
          stream: o.err as NodeJS.WritableStream,
          hideCursor: false,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      );
      b.start(total, 0);
      bar = b;
      let n = 0;
      return {
        tick: () => b.update(++n),
        stop: () => {
          b.stop();
          bar = undefined;
          for (const line of held.splice(0)) o.err.write(line);
        },
      };
    },
    quiet: o.quiet === true,
    info: (text) => {
      if (!o.quiet) o.out.write(`${text}\n`);
    },
    result: (text) => {
      o.out.write(`${text}\n`);
    },
    // Warnings can carry what a server said: made inert here, where they meet the terminal.
    warn: (text) => errLine(`${style.yellow('warning:')} ${text.split('\n').map(inert).join('\n')}\n`),
    debug: (text) => {
      if (o.debug) errLine(`${style.dim(`debug: ${text}`)}\n`);
    },
    event: (e) => {
      if (e.phase === 'started') return;
      const id = e.id ? style.dim(` (id ${inert(e.id)})`) : '';
      if (e.phase === 'done') {
        if (!o.quiet && !bar)
          o.out.write(`  ${style.green('ok')}  ${ACTION_KINDS[e.action.kind].verb} ${where(e.action)}${id}\n`);
      } else if (e.phase === 'failed') {
        errLine(
          `  ${style.red('FAILED')}  ${where(e.action)}: ${inert(e.message ?? 'failed')}\n${(e.details ?? []).map((d) => `      - ${inert(d)}\n`).join('')}`,
        );
      } else {
        errLine(`  ${style.yellow('skipped')}  ${where(e.action)}: ${inert(e.message ?? '')}\n`);
      }
    },
  };
  return reporter;
}

/** TRANSITIONAL (issue 14 in progress): what commands that still print text are given. */
export type LegacyReporter = Reporter & TextOutlet;

/** TRANSITIONAL: a reporter given to a command as it is, or with silent text methods added. */
export function withTextFallback(reporter: Reporter): LegacyReporter {
  if ('info' in reporter && 'style' in reporter) return reporter as LegacyReporter;
  return { ...reporter, style: makeStyle(false), quiet: false, info: () => {}, result: () => {} };
}
