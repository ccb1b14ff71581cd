import { errorLines } from '../error-text.js';
import { textReporter } from '../reporter.js';
import type { TextReporter } from '../reporter.js';
import { inert } from '../inert.js';
import { useColor } from '../style.js';
import { errorDiagnostics, warningDiagnostic } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import type { CommandEnd, CommandName, FormatOutlet, OutputFormat } from './format.js';
import { chooseFormats, formatsWithoutCommand } from './registry.js';
import type { FormatChoice } from './registry.js';

/*
 * The output of one run: the terminal's text (on stdout, or on stderr when the chosen format owns
 * stdout), and each active format's rendering of the events as they happen, of the result at the
 * end, or of the failure. The CLI opens one per run and hands the command its reporter.
 */

/** A stream the output writes to. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Where a run's output goes and how the terminal text looks. */
export interface OutputSettings {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  /** `--no-color` gives false. */
  colorFlag?: boolean | undefined;
  quiet?: boolean;
  debug?: boolean;
}

/** The output of one run. */
export interface RunOutput {
  /** The reporter the command runs with. */
  readonly reporter: TextReporter;
  /** Whether a person may be asked to confirm: not when a format's output on stdout is for a program. */
  readonly mayAsk: boolean;
  /** Renders the end of a run that returned its result. */
  end(end: CommandEnd): Promise<void>;
  /**
   * Renders a failed run: each format's rendering, then the lines that tell a person why (unless
   * `told`: Commander has printed them already).
   */
  fail(error: unknown, exitCode: number, options?: { told?: boolean }): void;
}

/**
 * Opens the output of a run of `command`, with the formats its flags chose, their renderers loaded;
 * throws a UsageError for a format it cannot print.
 */
export async function openOutput(
  command: CommandName | undefined,
  choice: FormatChoice,
  settings: OutputSettings,
): Promise<RunOutput> {
  const { chosen, active: formats } = command
    ? chooseFormats(command, choice, settings.env)
    : formatsWithoutCommand(choice);
  const active = await Promise.all(formats.map(async (format) => ({ format, render: (await format.load?.()) ?? {} })));
  const human = chosen.ownsStdout ? settings.stderr : settings.stdout;
  const text = textReporter({
    out: human,
    err: settings.stderr,
    color: useColor(human, settings.env, { colorFlag: settings.colorFlag }),
    debug: settings.debug === true,
    quiet: settings.quiet === true,
    // Progress bars only on a terminal, never in CI, in pipes or under a format that owns stdout.
    progress: settings.stderr.isTTY === true && !chosen.ownsStdout && !settings.env.CI,
  });
  const warnings: Diagnostic[] = [];
  const outletOf = (format: OutputFormat): FormatOutlet => {
    const stream = format.ownsStdout ? settings.stdout : human;
    return {
      command,
      write: (value) => void stream.write(value),
      env: settings.env,
      warnings: () => [...warnings],
      warn: (message) => text.warn(message),
    };
  };
  const reporter: TextReporter = {
    ...text,
    show: (event) => {
      text.show(event);
      for (const { format, render } of active) render.live?.(event, outletOf(format));
    },
    warn: (message) => {
      const warning = warningDiagnostic(message);
      warnings.push(warning);
      text.warn(message);
      for (const { format, render } of active) render.warned?.(warning, outletOf(format));
    },
  };
  return {
    reporter,
    mayAsk: !chosen.ownsStdout,
    async end(end) {
      for (const { format, render } of active) await render.end?.(end, outletOf(format));
    },
    fail(error, exitCode, options = {}) {
      // Messages can carry what a server said: made inert so they cannot drive the terminal.
      const lines = errorLines(error, { debug: settings.debug === true }).map((line) =>
        line.split('\n').map(inert).join('\n'),
      );
      const diagnostics = [...warnings, ...errorDiagnostics(error)];
      for (const { format, render } of active)
        render.failure?.({ command, error, exitCode, diagnostics, lines }, outletOf(format));
      if (!options.told) for (const line of lines) settings.stderr.write(`${line}\n`);
    },
  };
}
