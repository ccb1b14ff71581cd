import { Option } from 'commander';
import type { Command } from 'commander';
import type { Confirm } from '../contract/confirm.js';
import type { CommonOptions, GlobalFlags } from '../contract/options.js';
import { EXIT } from '../exit-codes.js';
import { textReporter } from '../report/reporter.js';
import type { TextReporter } from '../report/reporter.js';
import { useColor } from '../report/style.js';
import { askOnTerminal } from '../terminal.js';
import { definedOnly } from '../util/defined.js';

/*
 * What the command definitions share: the global flags, the reporter they pick, the options every
 * command takes, and the exit code of the run (set by one command, read by the entry file).
 */

/** The run's exit code, and whether --debug was given (for how a failure is told). */
export const runState = { exitCode: EXIT.ok as number, debug: process.argv.includes('--debug') };

/** The shared flags as Commander parses them (every value a string, as typed). */
export interface GlobalCliOptions extends Omit<GlobalFlags, 'concurrency'> {
  concurrency?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  project?: string[];
  exclude?: string[];
}

/** The help of the positional paths every folder command takes. */
export const PATHS_HELP =
  'project folders or dashboard files to work on (e.g. dashboards/sales, dashboards/sales/revenue.yaml); default: all';
/**
 * The flags commands share. `remote`: the command talks to one workspace (--url, --token, --scope);
 * `folder`: it works on a dashboards folder through one environment (--dir, --env). migrate has
 * two workspaces, each a whole environment, and no folder: it takes neither set but --scope.
 */
export function withGlobals(
  cmd: Command,
  uses: { remote: boolean; folder: boolean } = { remote: true, folder: true },
): Command {
  if (uses.remote && uses.folder) {
    cmd
      .option('--url <url>', 'API base URL (env DASHSYNC_URL, JARVISPY_URL)')
      .option('--token <token>', 'API token; prefer the DASHSYNC_TOKEN variable, which stays out of shell history');
  }
  if (uses.remote) cmd.addOption(new Option('--scope <scope>', 'database scope').choices(['user', 'organization']));
  if (uses.folder) {
    cmd
      .option('--dir <dir>', 'dashboards folder (default "dashboards")')
      .option('--env <name>', 'use the environment of that name from dashsync.yaml');
  }
  return cmd
    .option('--config <file>', 'config file (default ./dashsync.yaml when present)')
    .option(
      '--project <name>',
      'only this project folder (folder name or project id); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--exclude <glob>',
      'leave out the files (or folders) this glob matches, relative to the dashboards folder ' +
        '(e.g. "sales/old-*.yaml", "legacy/**"); repeatable, added to exclude: in dashsync.yaml',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--concurrency <n>', 'requests in flight at once (default 32; halved automatically on 429)')
    .option('--json', 'machine-readable output on stdout; human text goes to stderr')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'only errors and the final result')
    .option('--debug', 'show every HTTP request (token redacted) and stack traces');
}

/** The reporter for a command's options: text on stdout, or on stderr when stdout carries JSON or Markdown. */
export function reporterFor(options: GlobalCliOptions & { format?: string }): TextReporter {
  runState.debug = options.debug === true;
  const machineOutput = options.json === true || options.format === 'markdown';
  const textStream = machineOutput ? process.stderr : process.stdout;
  return textReporter({
    out: textStream,
    err: process.stderr,
    color: useColor(textStream, process.env, { colorFlag: options.color }),
    debug: options.debug === true,
    quiet: options.quiet === true,
    // Progress bars only on a terminal, never in CI, in pipes or with --json.
    progress: process.stderr.isTTY === true && !machineOutput && !process.env.CI,
  });
}

/** What every folder and workspace command takes, from the shared flags and the positional paths. */
export function commonOptions(options: GlobalCliOptions, reporter: TextReporter, paths: string[] = []): CommonOptions {
  const { url, token, scope, dir, config, env, concurrency } = options;
  const flags = definedOnly({ url, token, scope, dir, config, env, concurrency });
  return {
    cwd: process.cwd(),
    flags: { ...flags, debug: options.debug === true },
    reporter,
    ...(options.project ? { projects: options.project } : {}),
    ...(paths.length ? { paths } : {}),
    ...(options.exclude ? { excludes: options.exclude } : {}),
  };
}

/** The confirmation of apply and migrate, asked on the terminal when there is one (never with --json). */
export async function terminalConfirm(options: { json?: boolean }): Promise<{ confirm?: Confirm }> {
  if (process.stdin.isTTY !== true || options.json) return {};
  const { confirmQuestion } = await import('../report/prompt-text.js');
  return { confirm: (request) => askOnTerminal(confirmQuestion(request)) };
}
