import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { InterruptedError, UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';

/*
 * The CLI's dealings with the person at the terminal: the confirmation question, Ctrl-C, flags
 * from other tools, and their browser.
 */

/**
 * Asks on the terminal; true only for `yes`. Ctrl-C or Ctrl-D at the question is an interruption
 * (exit 130), not a failure: nothing was changed yet.
 */
export async function askOnTerminal(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const stopped = (how: string): InterruptedError => {
    process.stderr.write('\n'); // the error goes below the question, not after it
    return new InterruptedError(`${how} at the confirmation: nothing was changed`);
  };
  let answered = false;
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      prompt.once('SIGINT', () => reject(stopped('interrupted (Ctrl-C)')));
      prompt.once('close', () => {
        if (!answered) reject(stopped('input closed (Ctrl-D)'));
      });
      prompt.question(question).then((given) => {
        answered = true;
        resolve(given);
      }, reject);
    });
    return answer.trim() === 'yes';
  } finally {
    answered = true; // closing below is ours, not the user's Ctrl-D
    prompt.close();
  }
}

/** Options every command takes, and that people put before it (`dashsync --json plan`). */
const COMMAND_OPTIONS = /^(?:--json|--format(?:=.*)?|-q|--quiet|--debug)$/;

/**
 * Flags other tools taught people: Terraform's `-auto-approve` gets a pointer to `--yes` instead
 * of Commander's bare "unknown option"; an option every command takes, put before the command, is
 * told where it goes (the command's own line, with the value given).
 */
export function foreignFlag(argv: string[]): UsageError | undefined {
  const approve = argv.find((arg) => /^--?auto-approve(=.*)?$/.test(arg));
  if (approve)
    return new UsageError(`unknown option '${approve}'`, 'dashsync takes --yes (or -y) to apply without asking');
  const early: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const arg = argv[i]!;
    if (!COMMAND_OPTIONS.test(arg)) continue;
    // `--format json`: its value goes with it.
    if (arg === '--format' && argv[i + 1] !== undefined) early.push(`${arg} ${argv[++i]!}`);
    else early.push(arg);
  }
  if (!early.length) return undefined;
  const command = argv[i] ?? '<command>';
  const options = early.join(' ');
  return new UsageError(
    `${options} ${early.length === 1 ? 'is an option' : 'are options'} of each command: put ${early.length === 1 ? 'it' : 'them'} after the command (dashsync ${command} ${options})`,
    'dashsync --help lists the commands',
  );
}

/**
 * An AbortSignal for Ctrl-C and SIGTERM (`signals`): the first asks the command to stop starting
 * work and finish what is in flight (`warn` says so); a second quits at once with exit code 130.
 * Returns the signal and a function that removes the handlers.
 */
export function interruptOn(
  warn: (text: string) => void,
  message: string,
  signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    warn(`${message} (Ctrl-C again to quit now)`);
    controller.abort();
  };
  for (const name of signals) process.on(name, handler);
  return { signal: controller.signal, done: () => signals.forEach((name) => process.off(name, handler)) };
}

/**
 * For a command with nothing in flight to finish (validate, init: their writes are atomic): Ctrl-C
 * or SIGTERM stops it at once, told as an InterruptedError saying `message` (`tell`: the run's
 * output, so that a format that owns stdout prints its failure document too), with exit code 130.
 */
export function quitOnInterrupt(message: string, tell: (error: InterruptedError, exitCode: number) => void): void {
  const quit = (): void => {
    process.stderr.write('\n'); // below the ^C the terminal echoed
    tell(new InterruptedError(message), EXIT.interrupted);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
}

/** Resolves at the first Ctrl-C or SIGTERM: how a server run in the foreground is stopped. */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * Opens `url` in the person's browser (the system's opener), never in CI, where there is no one to
 * see it: `warn` says so instead, and says when the opener could not be started.
 */
export function openInBrowser(url: string, warn: (text: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  if (env.CI) return warn(`--open: not opening a browser in CI; the page is at ${url}`);
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => warn(`--open: could not start ${command}; open ${url} yourself`));
  child.unref();
}
