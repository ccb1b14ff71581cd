#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { Command, Option } from 'commander';
import type { CommonOptions } from './commands/context.js';
import { FileError, InterruptedError, UsageError } from './errors.js';
import { textReporter } from './report/reporter.js';
import { askOnTerminal, foreignFlag } from './terminal.js';
import type { ActionEvent, Reporter } from './report/reporter.js';
import { inert, useColor } from './report/style.js';
import { annotations, inGitHubActions } from './report/github.js';
import { errorLines } from './report/error-text.js';

/**
 * Exit codes, the same for every command: 0 success (for plan --detailed-exitcode: no changes),
 * 1 error, 2 plan has changes (only with --detailed-exitcode), 130 interrupted.
 */
export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

import { VERSION } from './version.js';

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

function setup(o: GlobalCliOptions & { format?: string }): { common: CommonOptions; reporter: Reporter } {
  debugMode = o.debug === true;
  const out = o.json || o.format === 'markdown' ? process.stderr : process.stdout;
  // Progress bars only on a terminal, never in CI, in pipes or with --json.
  const progress = process.stderr.isTTY === true && !o.json && !process.env.CI && o.format !== 'markdown';
  const reporter = textReporter({
    out,
    err: process.stderr,
    color: useColor(out, process.env, o.color),
    debug: o.debug === true,
    quiet: o.quiet === true,
    progress,
  });
  const flags = {
    ...(o.url !== undefined ? { url: o.url } : {}),
    ...(o.token !== undefined ? { token: o.token } : {}),
    ...(o.scope !== undefined ? { scope: o.scope } : {}),
    ...(o.dir !== undefined ? { dir: o.dir } : {}),
    ...(o.config !== undefined ? { config: o.config } : {}),
    ...(o.env !== undefined ? { env: o.env } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    debug: o.debug === true,
  };
  return { common: { cwd: process.cwd(), flags, reporter, ...(o.project ? { projects: o.project } : {}) }, reporter };
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** In GitHub Actions, appends Markdown to the job's summary page. */
async function stepSummary(markdown: () => string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  // Made only when it is written: for 1,000 new dashboards it is most of an apply's CPU time.
  if (!inGitHubActions(process.env) || !file) return;
  const { appendFile } = await import('node:fs/promises');
  await appendFile(file, `${markdown()}\n`);
}

/**
 * An AbortSignal for Ctrl-C (and `signals`): the first asks the command to stop starting work and
 * finish what is in flight; a second quits at once with exit code 130. Returns the signal and a
 * function that removes the handlers.
 */
function interruptOn(
  reporter: Reporter,
  message: string,
  signals: NodeJS.Signals[] = ['SIGINT'],
): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    reporter.warn(`${message} (Ctrl-C again to quit now)`);
    controller.abort();
  };
  for (const s of signals) process.on(s, handler);
  return { signal: controller.signal, done: () => signals.forEach((s) => process.off(s, handler)) };
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
  .action(async (o: { url?: string; force?: boolean; json?: boolean }) => {
    const out = o.json ? process.stderr : process.stdout;
    const reporter = textReporter({ out, err: process.stderr, color: useColor(out, process.env) });
    const { init } = await import('./commands/init.js');
    const r = await init({ cwd: process.cwd(), ...(o.url ? { url: o.url } : {}), force: o.force === true, reporter });
    if (o.json) printJson(r);
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
).action(async (o: GlobalCliOptions) => {
  const { common } = setup(o);
  const { validate } = await import('./commands/validate.js');
  const r = await validate(common);
  if (inGitHubActions(process.env)) process.stdout.write(annotations(r.problems));
  if (o.json) printJson((await import('./report/result-json.js')).validateToJson(r));
  if (r.problems.length) exitCode = EXIT.error;
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
    o: GlobalCliOptions & {
      prune?: boolean;
      force?: boolean;
      detailedExitcode?: boolean;
      out?: string;
      format?: string;
      publish?: boolean;
      bookmark?: string;
    },
  ) => {
    if (o.format === 'json') o.json = true;
    const { common } = setup(o);
    const [{ plan }, { planToJson }, { hasChanges, skippedConflicts, summarize }, { planMarkdown }] = await Promise.all(
      [
        import('./commands/plan.js'),
        import('./report/plan-json.js'),
        import('./core/plan-summary.js'),
        import('./report/github.js'),
      ],
    );
    const r = await plan({
      ...common,
      prune: o.prune === true,
      force: o.force === true,
      ...(o.out ? { out: o.out } : {}),
      ...deployFlags(o),
    });
    if (o.json) printJson(planToJson(r.plan, r.workspace, undefined, r.deploy));
    else if (o.format === 'markdown') process.stdout.write(planMarkdown(r.plan, r.workspace, undefined, r.deploy));
    await stepSummary(() => planMarkdown(r.plan, r.workspace, undefined, r.deploy));
    // Errors, and conflicts apply would skip, mean apply would not deploy everything: exit 1.
    if (summarize(r.plan).error > 0 || skippedConflicts(r.plan) > 0) exitCode = EXIT.error;
    else if (o.detailedExitcode && hasChanges(r.plan)) exitCode = EXIT.changes;
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
    o: GlobalCliOptions & { prune?: boolean; force?: boolean; yes?: boolean; publish?: boolean; bookmark?: string },
  ) => {
    const { common, reporter } = setup(o);
    const interrupt = interruptOn(reporter, 'interrupted: finishing the calls in flight and writing ids back');
    try {
      const { apply } = await import('./commands/apply.js');
      const interactive = process.stdin.isTTY === true && !o.json;
      const r = await apply({
        ...common,
        prune: o.prune === true,
        force: o.force === true,
        yes: o.yes === true,
        signal: interrupt.signal,
        ...(planfile ? { planFile: planfile } : {}),
        ...(interactive ? { confirm: askOnTerminal } : {}),
        ...deployFlags(o),
      });
      if (o.json) printJson((await import('./report/result-json.js')).applyToJson(r));
      if (r.applied && r.outcomes.length) {
        const [{ applySummaryLine }, { planMarkdown }] = await Promise.all([
          import('./report/apply-text.js'),
          import('./report/github.js'),
        ]);
        await stepSummary(
          () => `${planMarkdown(r.plan, r.workspace, 'dashsync apply')}\n**${applySummaryLine(r.summary)}**\n`,
        );
      }
      // Declining the confirmation exits 1, as Terraform does: the run did not do what it was asked.
      // Skipped work (a conflict) was not deployed: the run fails, as it does for a failure.
      if (r.summary.failed > 0 || r.summary.skipped > 0 || !r.applied) exitCode = EXIT.error;
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
).action(async (o: GlobalCliOptions & { prune?: boolean; force?: boolean }) => {
  const { common } = setup(o);
  const { pull } = await import('./commands/pull.js');
  const r = await pull({ ...common, prune: o.prune === true, force: o.force === true });
  if (o.json) printJson(r);
  // Dashboards that could not be written as valid files: the others were pulled, but the run failed.
  if (r.changes.some((c) => c.kind === 'refused')) exitCode = EXIT.error;
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
  const { common, reporter } = setup(o);
  const interval = Number(o.interval);
  const settleMs = Number(o.settle);
  if (!Number.isFinite(interval) || interval < 0)
    throw new UsageError(`--interval must be a number of seconds, 0 or more, not "${o.interval}"`);
  if (!Number.isFinite(settleMs) || settleMs < 0 || settleMs > 60_000)
    throw new UsageError(`--settle must be a number of milliseconds from 0 to 60000, not "${o.settle}"`);
  const interrupt = interruptOn(reporter, 'stopping: finishing the calls in flight', ['SIGINT', 'SIGTERM']);
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
    o: GlobalCliOptions & {
      from: string;
      to: string;
      prune?: boolean;
      force?: boolean;
      yes?: boolean;
      dryRun?: boolean;
      detailedExitcode?: boolean;
    },
  ) => {
    const { common, reporter } = setup(o);
    const interrupt = interruptOn(reporter, 'interrupted: finishing the calls in flight');
    const [{ migrate }, { migrateToJson }, { hasChanges, summarize }] = await Promise.all([
      import('./commands/migrate.js'),
      import('./report/result-json.js'),
      import('./core/plan-summary.js'),
    ]);
    const interactive = process.stdin.isTTY === true && !o.json;
    const r = await migrate({
      ...common,
      from: o.from,
      to: o.to,
      ...(o.project ? { projectPairs: o.project } : {}),
      prune: o.prune === true,
      force: o.force === true,
      yes: o.yes === true,
      dryRun: o.dryRun === true,
      signal: interrupt.signal,
      ...(interactive ? { confirm: askOnTerminal } : {}),
    });
    interrupt.done();
    if (o.json) printJson(migrateToJson(r));
    if (r.summary.failed > 0 || summarize(r.plan).error > 0 || (!r.applied && !o.dryRun)) exitCode = EXIT.error;
    else if (o.dryRun && o.detailedExitcode && hasChanges(r.plan)) exitCode = EXIT.changes;
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
    async (o: {
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
      const out = o.json ? process.stderr : process.stdout;
      const reporter = textReporter({ out, err: process.stderr, color: useColor(out, process.env) });
      const { serve } = await import('./commands/serve.js');
      const { json, ...serveOptions } = o;
      const server = await serve({ ...serveOptions, reporter });
      if (json)
        process.stdout.write(
          `${JSON.stringify({ url: server.url, ...(o.token || process.env.DASHSYNC_TOKEN ? {} : { token: server.token }) })}\n`,
        );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          reporter.info('stopping');
          void server.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    },
  );

/** Tells the user why the run failed (on stderr) and returns the exit code for it. */
function report(e: unknown): number {
  if (e instanceof FileError && inGitHubActions(process.env)) process.stdout.write(annotations(e.problems));
  // Messages can carry what a server said: made inert so they cannot drive the terminal.
  for (const line of errorLines(e, { debug: debugMode }))
    process.stderr.write(`${line.split('\n').map(inert).join('\n')}\n`);
  return e instanceof InterruptedError ? EXIT.interrupted : EXIT.error;
}

try {
  const foreign = foreignFlag(process.argv.slice(2));
  if (foreign) throw foreign;
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (e) {
  process.exitCode = report(e);
}

/** The --publish and --bookmark flags of plan and apply, as their options. */
function deployFlags(o: { publish?: boolean; bookmark?: string }): { publish?: boolean; bookmark?: string } {
  return { ...(o.publish ? { publish: true } : {}), ...(o.bookmark !== undefined ? { bookmark: o.bookmark } : {}) };
}
