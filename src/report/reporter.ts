import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type { Action } from '../core/types.js';
import { ACTION_KINDS } from './action-kinds.js';
import { inert, makeStyle, quoted } from './style.js';
import type { Style } from './style.js';

/** One step of executing a plan. Terminal output, --json and watch all consume these. */
export interface ActionEvent {
  phase: 'started' | 'done' | 'failed' | 'skipped';
  action: Action;
  /** The dashboard's id after the action, when known. */
  id?: string;
  /** Why it failed or was skipped. */
  message?: string;
  /** The server's itemised errors (an app that does not validate), shown one per line. */
  details?: string[];
}

/** Where a command's human output goes. Commands never print directly. */
export interface Reporter {
  readonly style: Style;
  /** Human text: plans, summaries. */
  info(text: string): void;
  /** True with --quiet: only errors and each command's final result line are shown. */
  readonly quiet?: boolean;
  /** A command's outcome (its final summary line, the problems validate found): shown even with --quiet. */
  result?(text: string): void;
  /** Something the user should know; not an error. */
  warn(text: string): void;
  /** Only shown with --debug. */
  debug(text: string): void;
  /** Progress of a plan's execution. */
  event(e: ActionEvent): void;
  /** A progress display for a long operation, where the output is a terminal; absent otherwise. */
  progress?(label: string, total: number): Progress | undefined;
}

/** A running progress display. */
export interface Progress {
  tick(): void;
  stop(): void;
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
export function textReporter(o: TextReporterOptions): Reporter {
  const style = makeStyle(o.color === true);
  // While a bar is drawn, lines for `err` wait (they would tear it) and `ok` lines are left out.
  let bar: { update(n: number): void; stop(): void } | undefined;
  const held: string[] = [];
  const errLine = (s: string): void => {
    if (bar) held.push(s);
    else o.err.write(s);
  };
  return {
    style,
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
    warn: (text) => errLine(`${style.yellow('warning:')} ${text}\n`),
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
}

/** A reporter that drops everything; the default for library use. */
export const silentReporter: Reporter = {
  style: makeStyle(false),
  info: () => {},
  warn: () => {},
  debug: () => {},
  event: () => {},
};
