import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { withGlobals, outputFor, commonOptions, runState } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync restore`: its flags, help and what it runs. */
export function restoreCommand(program: Command): void {
  withGlobals(
    program
      .command('restore')
      .argument('<file>', 'an app file, e.g. dashboards/sales/top-customers.yaml')
      .description('api: apps: bring back an old version of an app (non-destructively) and write it into its file')
      .option('--version <n>', 'the version number, as dashsync history shows it', versionNumber)
      .option('--bookmark <label>', 'the bookmarked version with this label (e.g. a commit SHA)')
      .option('--force', 'restore even if the file has edits that are not applied (they are overwritten)')
      .option('--publish', 'also publish the restored version to the app viewers')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ dashsync history dashboards/sales/top-customers.yaml',
          '  $ dashsync restore dashboards/sales/top-customers.yaml --version 4',
          '  $ git commit -am "Roll back top customers to version 4"',
          '',
          'The restore makes the old version the newest (nothing is lost) and rewrites the file as pull does.',
        ].join('\n'),
      ),
  ).action(
    async (
      file: string,
      options: GlobalCliOptions & { version?: number; bookmark?: string; force?: boolean; publish?: boolean },
    ) => {
      const output = await outputFor('restore', options);
      const [{ restore }, { restoreExitCode }] = await Promise.all([
        import('../commands/restore.js'),
        import('../exit-codes.js'),
      ]);
      const result = await restore({
        ...commonOptions(options, output.reporter),
        file,
        ...(options.version !== undefined ? { version: options.version } : {}),
        ...(options.bookmark !== undefined ? { bookmark: options.bookmark } : {}),
        force: options.force === true,
        publish: options.publish === true,
      });
      await output.end({ command: 'restore', result });
      runState.exitCode = restoreExitCode(result);
    },
  );
}

// A version number: a positive integer.
function versionNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError('a version number, e.g. 4');
  return number;
}
