import type { Action } from '../core/types.js';
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
}

/** Where a command's human output goes. Commands never print directly. */
export interface Reporter {
  readonly style: Style;
  /** Human text: plans, summaries. */
  info(text: string): void;
  /** Something the user should know; not an error. */
  warn(text: string): void;
  /** Only shown with --debug. */
  debug(text: string): void;
  /** Progress of a plan's execution. */
  event(e: ActionEvent): void;
}

/** Options of the terminal reporter. */
export interface TextReporterOptions {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  color?: boolean;
  debug?: boolean;
  quiet?: boolean;
}

const VERB: Record<Action['kind'], string> = { create: 'created', update: 'updated', delete: 'deleted', link: 'linked', error: 'error' };

function where(a: Action): string {
  return 'path' in a ? a.path : `${a.folder}/ ${quoted(a.name)}`;
}

/** Human output: text to `out`, warnings and debug lines to `err`. */
export function textReporter(o: TextReporterOptions): Reporter {
  const style = makeStyle(o.color === true);
  return {
    style,
    info: (text) => {
      if (!o.quiet) o.out.write(`${text}\n`);
    },
    warn: (text) => o.err.write(`${style.yellow('warning:')} ${text}\n`),
    debug: (text) => {
      if (o.debug) o.err.write(`${style.dim(`debug: ${text}`)}\n`);
    },
    event: (e) => {
      if (e.phase === 'started') return;
      const id = e.id ? style.dim(` (id ${inert(e.id)})`) : '';
      if (e.phase === 'done') {
        if (!o.quiet) o.out.write(`  ${style.green('ok')}  ${VERB[e.action.kind]} ${where(e.action)}${id}\n`);
      } else if (e.phase === 'failed') {
        o.err.write(`  ${style.red('FAILED')}  ${where(e.action)}: ${inert(e.message ?? 'failed')}\n`);
      } else {
        o.err.write(`  ${style.yellow('skipped')}  ${where(e.action)}: ${inert(e.message ?? '')}\n`);
      }
    },
  };
}

/** A reporter that drops everything; the default for library use. */
export const silentReporter: Reporter = { style: makeStyle(false), info: () => {}, warn: () => {}, debug: () => {}, event: () => {} };
