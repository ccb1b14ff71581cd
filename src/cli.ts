#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError } from 'commander';
import { applyCommand } from './cli/apply.js';
import { exportCommand, importCommand } from './cli/formats.js';
import { historyCommand } from './cli/history.js';
import { commentCommand } from './cli/comment.js';
import { initCommand } from './cli/init.js';
import { migrateCommand } from './cli/migrate.js';
import { planCommand } from './cli/plan.js';
import { publishCommands } from './cli/publish.js';
import { previewCommand } from './cli/preview.js';
import { pullCommand } from './cli/pull.js';
import { restoreCommand } from './cli/restore.js';
import { serveCommand } from './cli/serve.js';
import { outputOfArgv, runState } from './cli/shared.js';
import { validateCommand } from './cli/validate.js';
import { watchCommand } from './cli/watch.js';
import { UsageError } from './errors.js';
import { exitCodeOfError } from './exit-codes.js';
import { foreignFlag } from './terminal.js';
import { VERSION } from './version.js';

/*
 * The entry file: the program and its commands (each defined in cli/, where its flags are parsed
 * and its output opened), and the exit code (exit-codes.ts). What a command shows is report/'s
 * (its formats: report/formats/); what it does is commands/'.
 */

// undici parses HTTP with WebAssembly; V8 optimises that module on background threads, and a
// process waits ~150 ms for them at exit. The baseline compiler parses fast enough for an API
// client, and a warm `plan` is then a third quicker. Set before undici loads (it loads lazily).
setFlagsFromString('--liftoff-only');

// A reader that stops reading (`dashsync help plan | head -1`) is no failure: what is left to print
// goes nowhere, and the run goes on to its end (an apply still finishes and records what it saved).
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });

const program = new Command('dashsync')
  .description('Keep Prometheux dashboards in git: pull, plan, apply.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .showSuggestionAfterError(true)
  // The program's own option (--version) is read before a command only: `restore --version 4` is restore's.
  .enablePositionalOptions()
  .configureOutput({ outputError: (s, write) => write(s) })
  // Commander's refusals come back here as errors, so that they end as every failure does.
  .exitOverride();

for (const define of [
  initCommand,
  validateCommand,
  planCommand,
  applyCommand,
  pullCommand,
  watchCommand,
  migrateCommand,
  commentCommand,
  previewCommand,
  serveCommand,
  importCommand,
  exportCommand,
  historyCommand,
  restoreCommand,
  publishCommands,
])
  define(program);

/** Tells the user why the run failed (text on stderr, and in the run's formats) and returns the exit code for it. */
async function reportFailure(error: unknown): Promise<number> {
  // --help and --version end here too, successfully.
  if (error instanceof CommanderError && error.exitCode === 0) return 0;
  const output = runState.output ?? (await outputOfArgv(process.argv.slice(2)));
  if (error instanceof CommanderError) {
    // A refusal Commander has printed already.
    output.fail(new UsageError(error.message.replace(/^error: /, '')), error.exitCode, { told: true });
    return error.exitCode;
  }
  const exitCode = exitCodeOfError(error);
  output.fail(error, exitCode);
  return exitCode;
}

try {
  const foreign = foreignFlag(process.argv.slice(2));
  if (foreign) throw foreign;
  await program.parseAsync(process.argv);
  process.exitCode = runState.exitCode;
} catch (error) {
  process.exitCode = await reportFailure(error);
}
