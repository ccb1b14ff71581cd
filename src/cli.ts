#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { Command } from 'commander';
import { applyCommand } from './cli/apply.js';
import { initCommand } from './cli/init.js';
import { migrateCommand } from './cli/migrate.js';
import { planCommand } from './cli/plan.js';
import { pullCommand } from './cli/pull.js';
import { serveCommand } from './cli/serve.js';
import { runState } from './cli/shared.js';
import { validateCommand } from './cli/validate.js';
import { watchCommand } from './cli/watch.js';
import { FileError } from './errors.js';
import { exitCodeOfError } from './exit-codes.js';
import { errorLines } from './report/error-text.js';
import { inert } from './report/inert.js';
import { foreignFlag } from './terminal.js';
import { VERSION } from './version.js';

/*
 * The entry file: the program and its commands (each defined in cli/, where its flags are parsed
 * and its reporter picked), and the exit code (exit-codes.ts). What a command shows is report/'s;
 * what it does is commands/'.
 */

// undici parses HTTP with WebAssembly; V8 optimises that module on background threads, and a
// process waits ~150 ms for them at exit. The baseline compiler parses fast enough for an API
// client, and a warm `plan` is then a third quicker. Set before undici loads (it loads lazily).
setFlagsFromString('--liftoff-only');

const program = new Command('dashsync')
  .description('Keep Prometheux dashboards in git: pull, plan, apply.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .showSuggestionAfterError(true)
  .configureOutput({ outputError: (s, write) => write(s) });

for (const define of [
  initCommand,
  validateCommand,
  planCommand,
  applyCommand,
  pullCommand,
  watchCommand,
  migrateCommand,
  serveCommand,
])
  define(program);

/** Tells the user why the run failed (on stderr) and returns the exit code for it. */
async function reportFailure(error: unknown): Promise<number> {
  if (error instanceof FileError) (await import('./report/command-output.js')).annotateProblems(error.problems);
  // Messages can carry what a server said: made inert so they cannot drive the terminal.
  for (const line of errorLines(error, { debug: runState.debug }))
    process.stderr.write(`${line.split('\n').map(inert).join('\n')}\n`);
  return exitCodeOfError(error);
}

try {
  const foreign = foreignFlag(process.argv.slice(2));
  if (foreign) throw foreign;
  await program.parseAsync(process.argv);
  process.exitCode = runState.exitCode;
} catch (error) {
  process.exitCode = await reportFailure(error);
}
