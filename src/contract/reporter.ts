import type { CommandEvent } from './events.js';
import type { ActionEvent } from './execution.js';

/**
 * Where a command's events go. Commands never print: the CLI picks the reporter (report/reporter.ts
 * on a terminal); a library caller passes its own, or gets the silent one.
 */
export interface Reporter {
  /** A step of the command, as data. */
  show(event: CommandEvent): void;
  /** Progress of a plan's execution. */
  event(event: ActionEvent): void;
  /** A sentence the user should know, not an error (server text in it is made inert by the reporter). */
  warn(text: string): void;
  /** Only shown with --debug. */
  debug(text: string): void;
  /** A progress display for a long operation, where the output is a terminal; absent otherwise. */
  progress?(label: string, total: number): Progress | undefined;
}

/** A running progress display. */
export interface Progress {
  tick(): void;
  stop(): void;
}

/** A reporter that drops everything; the default for library use. */
export const silentReporter: Reporter = {
  show: () => {},
  event: () => {},
  warn: () => {},
  debug: () => {},
};
