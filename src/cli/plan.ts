import type { Command } from 'commander';
import { deployStepsOf } from '../core/deploy.js';
import { interruptOn } from '../terminal.js';
import { driftOption, withGlobals, outputFor, commonOptions, runState, PATHS_HELP } from './shared.js';
import type { GlobalCliOptions } from './shared.js';
import type { DriftPolicy } from '../core/types.js';

/** Defines `dashsync plan`: its flags, help and what it runs. */
export function planCommand(program: Command): void {
  withGlobals(
    program
      .command('plan')
      .argument('[paths...]', PATHS_HELP)
      .description('show what apply would change in the workspace')
      .option('--prune', 'also delete remote dashboards that have no file (only in local project folders)')
      .option('--force', 'with --prune, allow emptying a project whose folder has no files')
      .addOption(driftOption('revert'))
      .option('--adopt', 'let the files given adopt a dashboard of the same name whose content differs (replacing it)')
      .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
      .option('--out <file>', 'also save the plan, for `dashsync apply FILE` to carry out exactly')
      .option('--publish', 'api: apps: show that apply --publish would publish each app it saves')
      .option('--bookmark <label>', 'api: apps: show that apply --bookmark would bookmark each new checkpoint')
      .option('--ref <git-ref>', 'plan the files as they were at this commit (what apply --ref would deploy)')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ DASHSYNC_URL=https://api.prometheux.ai/jarvispy/acme/me DASHSYNC_TOKEN=... ' +
            'dashsync plan --detailed-exitcode',
          '  $ dashsync plan --out plan.json && dashsync apply plan.json',
          '  $ dashsync plan dashboards/sales/revenue.yaml --exclude "legacy/**"',
        ].join('\n'),
      ),
  ).action(
    async (
      paths: string[],
      options: GlobalCliOptions & {
        prune?: boolean;
        force?: boolean;
        detailedExitcode?: boolean;
        out?: string;
        publish?: boolean;
        bookmark?: string;
        drift?: DriftPolicy;
        adopt?: boolean;
        ref?: string;
      },
    ) => {
      const output = await outputFor('plan', options);
      const interrupt = interruptOn(output.reporter.warn, 'interrupted: stopping the plan');
      try {
        const [{ plan }, { planExitCode }] = await Promise.all([
          import('../commands/plan.js'),
          import('../exit-codes.js'),
        ]);
        const result = await plan({
          ...commonOptions(options, output.reporter, paths),
          signal: interrupt.signal,
          prune: options.prune === true,
          force: options.force === true,
          ...(options.out ? { out: options.out } : {}),
          ...(options.drift ? { drift: options.drift } : {}),
          ...(options.adopt ? { adopt: true } : {}),
          ...(options.ref !== undefined ? { ref: options.ref } : {}),
          ...deployStepsOf(options),
        });
        await output.end({ command: 'plan', result });
        runState.exitCode = planExitCode(result, options);
      } finally {
        interrupt.done();
      }
    },
  );
}
