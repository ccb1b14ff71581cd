#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { Command, Option } from 'commander';
import type { CommonOptions } from './commands/context.js';
import type { Confirm } from './commands/confirm.js';
import type { ActionEvent } from './commands/events.js';
import { FileError, UsageError } from './errors.js';
import { EXIT, exitCodeOfError } from './exit-codes.js';
import { textReporter } from './report/reporter.js';
import type { TextReporter } from './report/reporter.js';
import { askOnTerminal, foreignFlag, interruptOn, untilStopSignal } from './terminal.js';
import { inert, useColor } from './report/style.js';
import { errorLines } from './report/error-text.js';
import { VERSION } from './version.js';

/*
 * The entry file: parses the arguments, picks the reporter, runs the command and sets the exit
 * code (exit-codes.ts). What a command shows is report/'s; what it does is commands/'.
 */

interface GlobalCliOptions {
  url?: string;
  token?: string;
  scope?: string;
  dir?: string;
  config?: string;
  env?: string;
  concurrency?: string;
  debug?: boolean;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  project?: string[];
}

// undici parses HTTP with WebAssembly; V8 optimises that module on background threads, and a
// process waits ~150 ms for them at exit. The baseline compiler parses fast enough for an API
// client, and a warm `plan` is then a third quicker. Set before undici loads (it loads lazily).
setFlagsFromString('--liftoff-only');

let debugMode = process.argv.includes('--debug');
let exitCode: number = EXIT.ok;

/**
 * The flags commands share. `remote`: the command talks to one workspace (--url, --token, --scope);
 * `folder`: it works on a dashboards folder through one environment (--dir, --env). migrate has
 * two workspaces, each a whole environment, and no folder: it takes neither set but --scope.
 */
function withGlobals(
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
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--concurrency <n>', 'requests in flight at once (default 32; halved automatically on 429)')
    .option('--json', 'machine-readable output on stdout; human text goes to stderr')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'only errors and the final result')
    .option('--debug', 'show every HTTP request (token redacted) and stack traces');
}

/** The reporter for a command's options: text on stdout, or on stderr when stdout carries JSON or Markdown. */
function reporterFor(options: GlobalCliOptions & { format?: string }): TextReporter {
  debugMode = options.debug === true;
  const machineOutput = options.json === true || options.format === 'markdown';
  const out = machineOutput ? process.stderr : process.stdout;
  return textReporter({
    out,
    err: process.stderr,
    color: useColor(out, process.env, options.color),
    debug: options.debug === true,
    quiet: options.quiet === true,
    // Progress bars only on a terminal, never in CI, in pipes or with --json.
    progress: process.stderr.isTTY === true && !machineOutput && !process.env.CI,
  });
}

/** What every folder and workspace command takes, from the shared flags. */
function commonOptions(options: GlobalCliOptions, reporter: TextReporter): CommonOptions {
  const { url, token, scope, dir, config, env, concurrency } = options;
  const flags = withoutUndefined({ url, token, scope, dir, config, env, concurrency });
  return {
    cwd: process.cwd(),
    flags: { ...flags, debug: options.debug === true },
    reporter,
    ...(options.project ? { projects: options.project } : {}),
  };
}

/** `object` without its undefined values (the options types say "absent", not "undefined"). */
function withoutUndefined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as never;
}

/** The confirmation of apply and migrate, asked on the terminal when there is one (never with --json). */
async function terminalConfirm(options: { json?: boolean }): Promise<{ confirm?: Confirm }> {
  if (process.stdin.isTTY !== true || options.json) return {};
  const { confirmQuestion } = await import('./report/prompt-text.js');
  return { confirm: (request) => askOnTerminal(confirmQuestion(request)) };
}

const program = new Command('dashsync')
  .description('Keep Prometheux dashboards in git: pull, plan, apply.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .showSuggestionAfterError(true)
  .configureOutput({ outputError: (s, write) => write(s) });

program
  .command('init')
  .description('scaffold a dashsync repository: dashsync.yaml, dashboards/, .gitignore')
  .option('--url <url>', 'API base URL to write into dashsync.yaml')
  .option('--force', 'overwrite an existing dashsync.yaml')
  .option('--json', 'machine-readable output on stdout')
  .addHelpText('after', '\nExample:\n  $ dashsync init --url https://api.prometheux.ai/jarvispy/acme/me')
  .action(async (options: { url?: string; force?: boolean; json?: boolean }) => {
    const reporter = reporterFor(options);
    const [{ init }, { initOutput }] = await Promise.all([
      import('./commands/init.js'),
      import('./report/command-output.js'),
    ]);
    const url = options.url ? { url: options.url } : {};
    const result = await init({ cwd: process.cwd(), ...url, force: options.force === true, reporter });
    initOutput(result, options);
  });

withGlobals(
  program
    .command('validate')
    .description('check every dashboard file and dashsync.yaml, offline')
    .addHelpText(
      'after',
      '\nExample:\n  $ dashsync validate\n  dashboards/sales/overview.yaml:3:3: unknown key "widgets" (allowed: id, name, definition)',
    ),
  { remote: false, folder: true },
).action(async (options: GlobalCliOptions) => {
  const reporter = reporterFor(options);
  const [{ validate }, { validateOutput }, { validateExitCode }] = await Promise.all([
    import('./commands/validate.js'),
    import('./report/command-output.js'),
    import('./exit-codes.js'),
  ]);
  const result = await validate(commonOptions(options, reporter));
  validateOutput(result, options);
  exitCode = validateExitCode(result);
});

withGlobals(
  program
    .command('plan')
    .description('show what apply would change in the workspace')
    .option('--prune', 'also delete remote dashboards that have no file (only in local project folders)')
    .option('--force', 'with --prune, allow emptying a project whose folder has no files')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--out <file>', 'also save the plan, for `dashsync apply FILE` to carry out exactly')
    .option('--publish', 'api: apps: show that apply --publish would publish each app it saves')
    .option('--bookmark <label>', 'api: apps: show that apply --bookmark would bookmark each new checkpoint')
    .addOption(
      new Option(
        '--format <format>',
        'text, markdown (for pull-request comments; human text then goes to stderr), or json (same as --json)',
      )
        .choices(['text', 'markdown', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ DASHSYNC_URL=https://api.prometheux.ai/jarvispy/acme/me DASHSYNC_TOKEN=... dashsync plan --detailed-exitcode\n  $ dashsync plan --out plan.json && dashsync apply plan.json',
    ),
).action(
  async (
    options: GlobalCliOptions & {
      prune?: boolean;
      force?: boolean;
      detailedExitcode?: boolean;
      out?: string;
      format?: string;
      publish?: boolean;
      bookmark?: string;
    },
  ) => {
    if (options.format === 'json') options.json = true;
    const reporter = reporterFor(options);
    const [{ plan }, { planOutput }, { planExitCode }] = await Promise.all([
      import('./commands/plan.js'),
      import('./report/command-output.js'),
      import('./exit-codes.js'),
    ]);
    const result = await plan({
      ...commonOptions(options, reporter),
      prune: options.prune === true,
      force: options.force === true,
      ...(options.out ? { out: options.out } : {}),
      ...deployFlags(options),
    });
    await planOutput(result, { json: options.json === true, markdown: options.format === 'markdown' });
    exitCode = planExitCode(result, options);
  },
);

withGlobals(
  program
    .command('apply')
    .argument('[planfile]', 'a plan saved by `plan --out`: carry out exactly it, or refuse if it is stale')
    .description('make the workspace match the files')
    .option('--prune', 'also delete remote dashboards that have no file (only in local project folders)')
    .option('--force', 'apply updates in conflict; with --prune, allow emptying a project whose folder has no files')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--publish', 'api: apps: publish each app whose save changed it, so its viewers see it')
    .option(
      '--bookmark <label>',
      'api: apps: bookmark each new version checkpoint with this label (e.g. the commit SHA)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ dashsync apply --yes --project sales\n  $ dashsync apply plan.json\n  $ dashsync apply --yes --publish --bookmark "$GITHUB_SHA"\n\nAny answer but \'yes\' at the confirmation cancels (exit 1); Ctrl-C or Ctrl-D there exits 130. Nothing is changed either way.',
    ),
).action(
  async (
    planfile: string | undefined,
    options: GlobalCliOptions & {
      prune?: boolean;
      force?: boolean;
      yes?: boolean;
      publish?: boolean;
      bookmark?: string;
    },
  ) => {
    const reporter = reporterFor(options);
    const interrupt = interruptOn(reporter.warn, 'interrupted: finishing the calls in flight and writing ids back');
    try {
      const [{ apply }, { applyOutput }, { applyExitCode }] = await Promise.all([
        import('./commands/apply.js'),
        import('./report/command-output.js'),
        import('./exit-codes.js'),
      ]);
      const result = await apply({
        ...commonOptions(options, reporter),
        prune: options.prune === true,
        force: options.force === true,
        yes: options.yes === true,
        signal: interrupt.signal,
        ...(planfile ? { planFile: planfile } : {}),
        ...(await terminalConfirm(options)),
        ...deployFlags(options),
      });
      await applyOutput(result, options);
      exitCode = applyExitCode(result);
    } finally {
      interrupt.done();
    }
  },
);

withGlobals(
  program
    .command('pull')
    .description('write the workspace into the files')
    .option('--prune', 'remove files whose dashboards were deleted in the workspace')
    .option('--force', 'overwrite (or, with --prune, remove) files edited locally')
    .addHelpText('after', '\nExample:\n  $ dashsync pull --project sales'),
).action(async (options: GlobalCliOptions & { prune?: boolean; force?: boolean }) => {
  const reporter = reporterFor(options);
  const [{ pull }, { pullOutput }, { pullExitCode }] = await Promise.all([
    import('./commands/pull.js'),
    import('./report/command-output.js'),
    import('./exit-codes.js'),
  ]);
  const prune = options.prune === true;
  const result = await pull({ ...commonOptions(options, reporter), prune, force: options.force === true });
  pullOutput(result, options);
  exitCode = pullExitCode(result);
});

withGlobals(
  program
    .command('watch')
    .description('apply every change to the files as it is saved, until Ctrl-C')
    .option(
      '--prune',
      'delete remotely the dashboards whose files are deleted while watching (with the guards of apply --prune)',
    )
    .option('--interval <seconds>', 'check the workspace for remote changes this often; 0 turns it off', '30')
    .option('--self-heal', "revert remote changes to the files' content instead of only reporting them")
    .option('--settle <ms>', 'quiet time after the last file event before applying', '200')
    .addHelpText('after', '\nExample:\n  $ dashsync watch --project sales --interval 10'),
).action(async (o: GlobalCliOptions & { prune?: boolean; interval: string; selfHeal?: boolean; settle: string }) => {
  const reporter = reporterFor(o);
  const common = commonOptions(o, reporter);
  const interval = Number(o.interval);
  const settleMs = Number(o.settle);
  if (!Number.isFinite(interval) || interval < 0)
    throw new UsageError(`--interval must be a number of seconds, 0 or more, not "${o.interval}"`);
  if (!Number.isFinite(settleMs) || settleMs < 0 || settleMs > 60_000)
    throw new UsageError(`--settle must be a number of milliseconds from 0 to 60000, not "${o.settle}"`);
  const interrupt = interruptOn(reporter.warn, 'stopping: finishing the calls in flight', ['SIGINT', 'SIGTERM']);
  const [{ watch }, { watchEventToJson, watchSummaryToJson }] = await Promise.all([
    import('./commands/watch.js'),
    import('./report/result-json.js'),
  ]);
  // --json: one JSON line per event as it happens, then the summary.
  const onEvent = (e: ActionEvent): void =>
    void process.stdout.write(`${JSON.stringify(watchEventToJson(e, new Date()))}\n`);
  const r = await watch({
    ...common,
    prune: o.prune === true,
    interval,
    settleMs,
    selfHeal: o.selfHeal === true,
    signal: interrupt.signal,
    ...(o.json ? { onEvent } : {}),
  });
  if (o.json) process.stdout.write(`${JSON.stringify(watchSummaryToJson(r))}\n`);
});

withGlobals(
  program
    .command('migrate')
    .description('copy dashboards from one workspace (environment) to another')
    .requiredOption('--from <env>', 'environment to copy from (only read)')
    .requiredOption('--to <env>', 'environment to copy into')
    .option('--prune', 'delete dashboards in the target projects that the source does not have')
    .option('--force', 'with --prune, allow emptying a target project')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'only show the plan')
    .option('--detailed-exitcode', 'with --dry-run: exit 0 when there are no changes, 2 when there are')
    .addHelpText(
      'after',
      '\nExample:\n  $ dashsync migrate --from staging --to production --project sales-analytics=prod-sales --yes\n\n--project SRC=DST copies project SRC into project DST (ids, or folder names mapped under projects:\nin each environment); --project P alone copies P into the project the same folder maps to. Default: every project.',
    ),
  { remote: true, folder: false },
).action(
  async (
    options: GlobalCliOptions & {
      from: string;
      to: string;
      prune?: boolean;
      force?: boolean;
      yes?: boolean;
      dryRun?: boolean;
      detailedExitcode?: boolean;
    },
  ) => {
    const reporter = reporterFor(options);
    const interrupt = interruptOn(reporter.warn, 'interrupted: finishing the calls in flight');
    const [{ migrate }, { migrateOutput }, { migrateExitCode }] = await Promise.all([
      import('./commands/migrate.js'),
      import('./report/command-output.js'),
      import('./exit-codes.js'),
    ]);
    const result = await migrate({
      ...commonOptions(options, reporter),
      from: options.from,
      to: options.to,
      ...(options.project ? { projectPairs: options.project } : {}),
      prune: options.prune === true,
      force: options.force === true,
      yes: options.yes === true,
      dryRun: options.dryRun === true,
      signal: interrupt.signal,
      ...(await terminalConfirm(options)),
    });
    interrupt.done();
    migrateOutput(result, options);
    exitCode = migrateExitCode(result, options);
  },
);

program
  .command('serve')
  .description('run a local emulator of the Prometheux Dashboards API')
  .option('--port <port>', 'port to listen on; 0 for any free port', '4010')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--token <token>', 'Bearer token to accept (default: DASHSYNC_TOKEN, else a random one, printed)')
  .option('--data <file>', 'keep dashboards in this JSON file (atomic writes) instead of memory')
  .option('--latency <ms>', 'delay added to every API call', '0')
  .option('--fail-rate <r>', 'share of API calls (0..1) that fail with 500, 503, 429 or a dropped connection', '0')
  .option('--faults <list>', 'which faults --fail-rate injects: 500,503,429,drop,drop-after-commit')
  .option('--seed <n>', 'seed for the fault dice, for reproducible runs')
  .option('--max-inflight <n>', 'rate limit: calls in flight beyond this get 429 with Retry-After')
  .option('--retry-after <s>', 'seconds sent in Retry-After with 429s (default 1)')
  .option(
    '--client-ids <mode>',
    'a save with an id the server lacks: accept (create under it), reject (404) or ignore (new id)',
    'accept',
  )
  .option('--debug', 'stack traces on errors')
  .option('--json', 'print {"url", "token"} as one JSON line on stdout once listening (human text to stderr)')
  .addHelpText(
    'after',
    '\nExample:\n  $ dashsync serve --port 4010 --token dev\n  $ curl -H "Authorization: Bearer dev" http://127.0.0.1:4010/api/v1/dashboards/list',
  )
  .action(
    async (options: {
      port?: string;
      host?: string;
      token?: string;
      data?: string;
      latency?: string;
      failRate?: string;
      faults?: string;
      seed?: string;
      clientIds?: string;
      maxInflight?: string;
      retryAfter?: string;
      json?: boolean;
    }) => {
      const reporter = reporterFor(options);
      const [{ serve }, { serveOutput }] = await Promise.all([
        import('./commands/serve.js'),
        import('./report/command-output.js'),
      ]);
      const { json, ...serveOptions } = options;
      const server = await serve({ ...serveOptions, reporter });
      serveOutput(server, { json: json === true, tokenGiven: Boolean(options.token || process.env.DASHSYNC_TOKEN) });
      await untilStopSignal();
      reporter.info('stopping');
      await server.close();
    },
  );

/** Tells the user why the run failed (on stderr) and returns the exit code for it. */
async function reportFailure(error: unknown): Promise<number> {
  if (error instanceof FileError) (await import('./report/command-output.js')).annotateProblems(error.problems);
  // Messages can carry what a server said: made inert so they cannot drive the terminal.
  for (const line of errorLines(error, { debug: debugMode }))
    process.stderr.write(`${line.split('\n').map(inert).join('\n')}\n`);
  return exitCodeOfError(error);
}

try {
  const foreign = foreignFlag(process.argv.slice(2));
  if (foreign) throw foreign;
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (error) {
  process.exitCode = await reportFailure(error);
}

/** The --publish and --bookmark flags of plan and apply, as their options. */
function deployFlags(options: { publish?: boolean; bookmark?: string }): { publish?: boolean; bookmark?: string } {
  return withoutUndefined({ publish: options.publish ? true : undefined, bookmark: options.bookmark });
}
