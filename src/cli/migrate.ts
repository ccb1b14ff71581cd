import type { Command } from 'commander';
import { deployStepsOf } from '../core/deploy.js';
import { interruptOn } from '../terminal.js';
import { withGlobals, outputFor, commonOptions, terminalConfirm, runState } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** Defines `dashsync migrate`: its flags, help and what it runs. */
export function migrateCommand(program: Command): void {
  withGlobals(
    program
      .command('migrate')
      .argument(
        '[paths...]',
        'project folders or dashboard files of the dashboards folder: copy only the dashboards they hold ' +
          '(as the source knows them); default: all',
      )
      .description('copy dashboards from one workspace (environment) to another')
      .requiredOption('--from <env>', 'environment to copy from (only read)')
      .requiredOption('--to <env>', 'environment to copy into')
      .option('--prune', 'delete dashboards in the target projects that the source does not have')
      .option('--force', 'with --prune, allow emptying a target project')
      .option('-y, --yes', 'do not ask for confirmation')
      .option('--dry-run', 'only show the plan')
      .option('--detailed-exitcode', 'with --dry-run: exit 0 when there are no changes, 2 when there are')
      .option('--publish', 'api: apps: publish each app whose save in the target changed it')
      .option('--bookmark <label>', 'api: apps: bookmark each new version checkpoint in the target with this label')
      .addHelpText(
        'after',
        [
          '',
          'Example:',
          '  $ dashsync migrate --from staging --to production --project sales-analytics=prod-sales --yes',
          '',
          '--project SRC=DST copies project SRC into project DST (ids, or folder names mapped under projects:',
          'in each environment); --project P alone copies P into the project the same folder maps to. ' +
            'Default: every project.',
          'Paths and --exclude (and exclude: in dashsync.yaml) narrow it to the dashboards those files hold; ' +
            'a dashboard an excluded file holds is neither copied nor pruned in the target.',
          "api: apps: an app file's own publish: and bookmark: are taken for its copy, as apply takes them.",
        ].join('\n'),
      ),
    { remote: true, folder: false },
  ).action(
    async (
      paths: string[],
      options: GlobalCliOptions & {
        from: string;
        to: string;
        prune?: boolean;
        force?: boolean;
        yes?: boolean;
        dryRun?: boolean;
        detailedExitcode?: boolean;
        publish?: boolean;
        bookmark?: string;
      },
    ) => {
      const output = await outputFor('migrate', options);
      const { reporter } = output;
      const interrupt = interruptOn(reporter.warn, 'interrupted: finishing the calls in flight');
      try {
        const [{ migrate }, { migrateExitCode }] = await Promise.all([
          import('../commands/migrate.js'),
          import('../exit-codes.js'),
        ]);
        const result = await migrate({
          ...commonOptions(options, reporter, paths),
          from: options.from,
          to: options.to,
          ...(options.project ? { projectPairs: options.project } : {}),
          prune: options.prune === true,
          force: options.force === true,
          yes: options.yes === true,
          dryRun: options.dryRun === true,
          signal: interrupt.signal,
          ...(await terminalConfirm(output)),
          ...deployStepsOf(options),
        });
        await output.end({ command: 'migrate', result });
        runState.exitCode = migrateExitCode(result, options);
      } finally {
        interrupt.done();
      }
    },
  );
}
