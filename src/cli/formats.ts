import type { Command } from 'commander';
import { quitOnInterrupt } from '../terminal.js';
import { commonOptions, outputFor, withGlobals } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/*
 * `dashsync import` and `dashsync export`: the platform's own app formats (the catalog's
 * `<AppName>.json`, a px `apps/*.app.yaml`), offline.
 */

/** Defines `dashsync import`: its flags, help and what it runs. */
export function importCommand(program: Command): void {
  withGlobals(
    program
      .command('import')
      .argument('<file>', "the catalog's <AppName>.json, or a px app file (apps/<app>.app.yaml)")
      .description('write an app from the catalog (or px) as a new app file in its project folder; apps only')
      .addHelpText(
        'after',
        [
          '',
          "The project folder is the export's project (px: its ontology; else its pages' one project),",
          'or --project. An existing file is never overwritten.',
          '',
          'Example:',
          '  $ dashsync import "Top Customers.json"',
          '  Imported catalog export Top Customers.json to dashboards/sales/top-customers.yaml (project sales, a new app): review it, then dashsync plan.',
        ].join('\n'),
      ),
    { remote: false, folder: true },
  ).action(async (file: string, options: GlobalCliOptions) => {
    const output = await outputFor('import', options);
    quitOnInterrupt('interrupted: import stopped; a file it wrote is whole', (error, exitCode) =>
      output.fail(error, exitCode),
    );
    const { importApp } = await import('../commands/import.js');
    const result = await importApp({ ...commonOptions(options, output.reporter), file });
    await output.end({ command: 'import', result });
  });
}

/** Defines `dashsync export`: its flags, help and what it runs. */
export function exportCommand(program: Command): void {
  withGlobals(
    program
      .command('export')
      .argument('<file>', 'an app file (dashboards/<project>/<app>.yaml)')
      .description("write an app file as the catalog's <AppName>.json, which the Apps catalog imports; apps only")
      .option('-o, --out <file>', 'where to write it (default: <AppName>.json here)')
      .option('--force', 'overwrite the output file when it exists')
      .addHelpText(
        'after',
        ['', 'Example:', '  $ dashsync export dashboards/sales/top-customers.yaml --out top.json'].join('\n'),
      ),
    { remote: false, folder: true },
  ).action(async (file: string, options: GlobalCliOptions & { out?: string; force?: boolean }) => {
    const output = await outputFor('export', options);
    quitOnInterrupt('interrupted: export stopped; a file it wrote is whole', (error, exitCode) =>
      output.fail(error, exitCode),
    );
    const { exportApp } = await import('../commands/export.js');
    const result = await exportApp({
      ...commonOptions(options, output.reporter),
      file,
      ...(options.out !== undefined ? { out: options.out } : {}),
      force: options.force === true,
    });
    await output.end({ command: 'export', result });
  });
}
