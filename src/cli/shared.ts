import { Option } from 'commander';
import type { Command } from 'commander';
import type { Confirm } from '../contract/confirm.js';
import type { CommonOptions, GlobalFlags } from '../contract/options.js';
import { DEFAULT_CONCURRENCY } from '../config/defaults.js';
import { EXIT } from '../exit-codes.js';
import { COMMANDS } from '../report/formats/format.js';
import type { CommandName } from '../report/formats/format.js';
import type { RunOutput } from '../report/formats/output.js';
import { formatHelp } from '../report/formats/registry.js';
import type { TextReporter } from '../report/reporter.js';
import { askOnTerminal } from '../terminal.js';
import { definedOnly } from '../util/defined.js';
import { DRIFT_POLICIES } from '../core/types.js';

/*
 * What the command definitions share: the global flags, the output they open, the options every
 * command takes, and the exit code of the run (set by one command, read by the entry file).
 */

/** The run's exit code, whether --debug was given, and its output once a command opened it (for how a failure is told). */
export const runState: { exitCode: number; debug: boolean; output?: RunOutput } = {
  exitCode: EXIT.ok,
  debug: process.argv.includes('--debug'),
};

/** The flags that choose how a run prints, as Commander parses them. */
export interface OutputCliOptions {
  format?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** The shared flags as Commander parses them (every value a string, as typed). */
export interface GlobalCliOptions extends Omit<GlobalFlags, 'concurrency' | 'debug'>, OutputCliOptions {
  concurrency?: string;
  project?: string[];
  exclude?: string[];
}

/** `--drift POLICY` of plan, apply and watch: what they do with a dashboard changed in the workspace alone. */
export function driftOption(defaultWords: string): Option {
  return new Option(
    '--drift <policy>',
    `what to do with drift (a dashboard changed in the workspace, not in its file): revert it, keep it, or fail ` +
      `(default: drift: in dashsync.yaml, else ${defaultWords})`,
  ).choices([...DRIFT_POLICIES]);
}

/** The help of the positional paths every folder command takes. */
export const PATHS_HELP =
  'project folders or dashboard files to work on (e.g. dashboards/sales, dashboards/sales/revenue.yaml); default: all';

/**
 * The flags commands share, and only those the command uses. `remote`: it talks to a workspace
 * (--scope, --concurrency); `folder`: it works on a dashboards folder through one environment
 * (--dir, --env); both: one workspace, given by --url and --token. migrate has two workspaces, each
 * a whole environment, and no folder: of these it takes --scope and --concurrency.
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
  if (uses.remote) {
    cmd.addOption(new Option('--scope <scope>', 'database scope').choices(['user', 'organization']));
    cmd.option(
      '--concurrency <n>',
      `requests in flight at once (default ${DEFAULT_CONCURRENCY}; halved automatically on 429)`,
    );
  }
  if (uses.folder) {
    cmd
      .option('--dir <dir>', 'dashboards folder (default "dashboards")')
      .option('--env <name>', 'use the environment of that name from dashsync.yaml');
  }
  cmd
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
    );
  return withFormat(cmd)
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'only errors and the final result')
    .option('--debug', 'show every HTTP request (token redacted) and stack traces');
}

/** The name of a command definition, as the formats know it. */
function commandOf(cmd: Command): CommandName {
  const command = COMMANDS.find((name) => name === cmd.name());
  if (!command) throw new Error(`no output formats are known for the command ${cmd.name()}`);
  return command;
}

/** Adds `--format` (the formats the command prints) and `--json`, its alias for JSON. */
export function withFormat(cmd: Command): Command {
  return cmd
    .option('--format <name>', formatHelp(commandOf(cmd)))
    .option('--json', 'the same as --format json: JSON on stdout, human text on stderr');
}

/** Opens the output of a command's run, with the formats its flags chose (the reporter it runs with is the output's). */
export async function outputFor(command: CommandName, options: OutputCliOptions): Promise<RunOutput> {
  runState.debug = options.debug === true;
  // Loaded by a run, not by --help: the output pulls in every renderer of the terminal's text.
  const { openOutput } = await import('../report/formats/output.js');
  runState.output = await openOutput(
    command,
    { format: options.format, json: options.json },
    {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      colorFlag: options.color,
      quiet: options.quiet === true,
      debug: options.debug === true,
    },
  );
  return runState.output;
}

/**
 * The output of a run that failed before its command opened one (Commander refused a flag, or the
 * format asked for is not one the command prints): the format the command line asks for where that
 * can be told, else the default.
 */
export async function outputOfArgv(argv: readonly string[]): Promise<RunOutput> {
  // The first word that is not an option, nor the value of a --format before it.
  const word = argv.find((arg, i) => !arg.startsWith('-') && argv[i - 1] !== '--format');
  const command = COMMANDS.find((name) => name === word);
  // The last --format given counts, as Commander takes it.
  const formatAt = argv.findLastIndex((arg) => arg === '--format' || arg.startsWith('--format='));
  const format = formatAt < 0 ? undefined : (argv[formatAt]!.split('=')[1] ?? argv[formatAt + 1]);
  const settings = { stdout: process.stdout, stderr: process.stderr, env: process.env, debug: runState.debug };
  const { openOutput } = await import('../report/formats/output.js');
  const choice = { format, json: argv.includes('--json') };
  try {
    return await openOutput(command, choice, settings);
  } catch {
    // The formats asked for are the failure (one the command cannot print, --json with another):
    // still one JSON document when the line asks for JSON at all.
    return openOutput(undefined, choice, settings);
  }
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

/** The confirmation of apply and migrate, asked on the terminal when there is one (never when stdout is for a program). */
export async function terminalConfirm(output: RunOutput): Promise<{ confirm?: Confirm }> {
  if (process.stdin.isTTY !== true || !output.mayAsk) return {};
  const { confirmQuestion } = await import('../report/prompt-text.js');
  return { confirm: (request) => askOnTerminal(confirmQuestion(request)) };
}
