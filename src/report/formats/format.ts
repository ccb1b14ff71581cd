import type { CommandEvent } from '../../contract/events.js';
import type {
  ApplyResult,
  ExportResult,
  ImportResult,
  HistoryResult,
  PreviewResult,
  InitResult,
  MigrateResult,
  PlanResult,
  PublishResult,
  PullResult,
  RestoreResult,
  ValidateResult,
  WatchResult,
} from '../../contract/results.js';
import type { CommentResult } from '../../contract/comment.js';
import type { Diagnostic } from './diagnostics.js';

/*
 * What an output format is: which commands it renders and whether it owns stdout (listed once, in
 * registry.ts; nothing else knows their names), and a module beside it that renders a run's events,
 * its end and its failure, loaded only when a run prints that format.
 */

/** The commands of the CLI, as the formats know them. */
export const COMMANDS = [
  'init',
  'validate',
  'plan',
  'apply',
  'pull',
  'watch',
  'migrate',
  'serve',
  'import',
  'export',
  'history',
  'restore',
  'publish',
  'unpublish',
  'comment',
  'preview',
] as const;

/** One command of the CLI. */
export type CommandName = (typeof COMMANDS)[number];

/** What a command ended with: its name and its result. */
export type CommandEnd =
  | { command: 'init'; result: InitResult }
  | { command: 'validate'; result: ValidateResult }
  | { command: 'plan'; result: PlanResult }
  | { command: 'apply'; result: ApplyResult }
  | { command: 'pull'; result: PullResult }
  | { command: 'watch'; result: WatchResult }
  | { command: 'migrate'; result: MigrateResult }
  | { command: 'import'; result: ImportResult }
  | { command: 'export'; result: ExportResult }
  | { command: 'history'; result: HistoryResult }
  | { command: 'restore'; result: RestoreResult }
  | { command: 'publish' | 'unpublish'; result: PublishResult }
  | { command: 'comment'; result: CommentResult }
  | { command: 'preview'; result: PreviewResult };

/** A run that failed: the error, the exit code it ends with, and the warnings told before it. */
export interface RunFailure {
  command: CommandName | undefined;
  error: unknown;
  exitCode: number;
  /** The error as diagnostics, and the warnings told before it. */
  diagnostics: Diagnostic[];
  /** The lines a person reads about the failure (as the terminal shows them, before escaping). */
  lines: string[];
}

/** Where a format writes: its stream (stdout when it owns it, else where the human text goes), and the environment. */
export interface FormatOutlet {
  /** The command of the run; undefined when Commander refused the command line. */
  command: CommandName | undefined;
  write(text: string): void;
  env: NodeJS.ProcessEnv;
  /** The run's warnings so far, as diagnostics. */
  warnings(): Diagnostic[];
  /** Tells a person a warning (on stderr, as the terminal's warnings): what a format could not do. */
  warn(message: string): void;
}

/** One output format: what it is, light enough to list for --help; its rendering is loaded only for a run that prints it. */
export interface OutputFormat {
  /** What `--format` calls it. */
  readonly name: string;
  /** What it prints, in a few words, for --help and the usage error. */
  readonly about: string;
  /** The commands it can render; asking another for it is a usage error. */
  readonly renders: readonly CommandName[];
  /** Its output is stdout (for a program to read): human text then goes to stderr, and nothing is asked. */
  readonly ownsStdout: boolean;
  /** Also on beside the chosen format in this environment (GitHub's annotations inside GitHub Actions). */
  readonly alsoIn?: (env: NodeJS.ProcessEnv) => boolean;
  /** Its rendering (a module beside this one), when it renders anything beyond the terminal's text. */
  readonly load?: () => Promise<FormatRenderer>;
}

/** How a format renders a run. */
export interface FormatRenderer {
  /** An event, as it happens (watch's JSON lines, serve's address). */
  live?(event: CommandEvent, outlet: FormatOutlet): void;
  /** A warning, as it is told (a run that streams its output shows it at once). */
  warned?(warning: Diagnostic, outlet: FormatOutlet): void;
  /** The end of a run that returned its result. */
  end?(end: CommandEnd, outlet: FormatOutlet): void | Promise<void>;
  /** The end of a run that failed. */
  failure?(failure: RunFailure, outlet: FormatOutlet): void;
}
