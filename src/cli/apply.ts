import type { Command } from 'commander';
import { deployStepsOf } from '../core/deploy.js';
import { UsageError } from '../errors.js';
import { interruptOn } from '../terminal.js';
import { driftOption, withGlobals, outputFor, commonOptions, terminalConfirm, runState } from './shared.js';
import type { GlobalCliOptions } from './shared.js';
import type { DriftPolicy } from '../core/types.js';

/** Defines `dashsync apply`: its flags, help and what it runs. */
export function applyCommand(program: Command): void {
  withGlobals(
    program
      .command('apply')
      .argument(
        '[paths...]',
        'project folders or dashboard files to apply (e.g. dashboards/sales/revenue.yaml; default: all); ' +
          'an argument ending in .json is a plan saved by `plan --out`: carry out exactly it, or refuse if it is stale',
      )
      .description('make the workspace match the files')
      .option('--prune', 'also delete remote dashboards that have no file (only in local project folders)')
      .option('--force', 'apply updates in conflict; with --prune, allow emptying a project whose folder has no files')
      .addOption(driftOption('revert'))
      .option('--adopt', 'let the files given adopt a dashboard of the same name whose content differs (replacing it)')
      .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
      .option(
        '--publish',
        "api: apps: publish each app saved, and each selected app whose viewers do not see its draft (a file's publish: decides for its app)",
      )
      .option(
        '--bookmark <label>',
        'api: apps: bookmark each new version checkpoint with this label (e.g. the commit SHA)',
      )
      .option(
        '--ref <git-ref>',
        'deploy the files as they were at this commit, without a checkout (a rollback: --ref HEAD~1); ' +
          'settings from the working tree, whose files are not written',
      )
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ dashsync apply --yes --project sales',
          '  $ dashsync apply --ref HEAD~1            # roll back to the commit before the last',
          '  $ dashsync apply plan.json',
          '  $ dashsync apply --force dashboards/sales/revenue.yaml   # forces that file, not its project',
          '  $ dashsync apply --adopt dashboards/sales/revenue.yaml   # replaces its namesake in the workspace',
          '  $ dashsync apply --drift keep   # leaves what changed in the workspace alone',
          '  $ dashsync apply --yes --publish --bookmark "$GITHUB_SHA"',
          '',
          "Any answer but 'yes' at the confirmation cancels (exit 1); Ctrl-C or Ctrl-D there exits 130. " +
            'Nothing is changed either way.',
        ].join('\n'),
      ),
  ).action(
    async (
      args: string[],
      options: GlobalCliOptions & {
        prune?: boolean;
        force?: boolean;
        yes?: boolean;
        publish?: boolean;
        bookmark?: string;
        drift?: DriftPolicy;
        adopt?: boolean;
        ref?: string;
      },
    ) => {
      const output = await outputFor('apply', options);
      const { reporter } = output;
      // A .json argument is a saved plan; the others are dashboard files and folders.
      const planFiles = args.filter((arg) => arg.toLowerCase().endsWith('.json'));
      if (planFiles.length > 1) throw new UsageError(`apply takes one saved plan, not ${planFiles.length}`);
      const planfile = planFiles[0];
      const paths = args.filter((arg) => arg !== planfile);
      const interrupt = interruptOn(reporter.warn, 'interrupted: finishing the calls in flight and writing ids back');
      try {
        const [{ apply }, { applyExitCode }] = await Promise.all([
          import('../commands/apply.js'),
          import('../exit-codes.js'),
        ]);
        const result = await apply({
          ...commonOptions(options, reporter, paths),
          prune: options.prune === true,
          force: options.force === true,
          yes: options.yes === true,
          ...(options.drift ? { drift: options.drift } : {}),
          ...(options.adopt ? { adopt: true } : {}),
          signal: interrupt.signal,
          ...(planfile ? { planFile: planfile } : {}),
          ...(options.ref !== undefined ? { ref: options.ref } : {}),
          ...(await terminalConfirm(output)),
          ...deployStepsOf(options),
        });
        await output.end({ command: 'apply', result });
        runState.exitCode = applyExitCode(result);
      } finally {
        interrupt.done();
      }
    },
  );
}
