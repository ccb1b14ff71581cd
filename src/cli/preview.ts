import type { Command } from 'commander';
import { interruptOn, openInBrowser } from '../terminal.js';
import { PATHS_HELP, commonOptions, outputFor, withGlobals } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** The flags of `dashsync preview`, as Commander parses them. */
type PreviewCliOptions = GlobalCliOptions & { host: string; port?: string; offline?: boolean; open?: boolean };

/** Defines `dashsync preview`: its flags, help and what it runs. */
export function previewCommand(program: Command): void {
  withGlobals(
    program
      .command('preview')
      .description('a local page drawing every dashboard and app, with what it changes, redrawn as you save')
      .argument('[paths...]', PATHS_HELP)
      .option('--host <host>', 'address to serve on (another than this machine is warned about)', '127.0.0.1')
      .option('--port <port>', 'port to serve on (default: a free one)')
      .option('--offline', 'ask the workspace nothing: compare with the last sync')
      .option('--open', 'open the page in your browser (never in CI)')
      .addHelpText(
        'after',
        [
          '',
          'Read-only: it writes no file and saves nothing. The workspace is read once, by this process;',
          'the page never sees a token.',
          '',
          'Examples:',
          '  $ dashsync preview --open',
          '  $ dashsync preview --offline --port 4020 --project sales',
        ].join('\n'),
      ),
  ).action(async (paths: string[], options: PreviewCliOptions) => {
    const output = await outputFor('preview', options);
    const interrupt = interruptOn(output.reporter.warn, 'stopping the preview', ['SIGINT', 'SIGTERM']);
    try {
      const [{ preview }, { previewPages }] = await Promise.all([
        import('../commands/preview.js'),
        import('../report/preview/pages.js'),
      ]);
      const result = await preview({
        ...commonOptions(options, output.reporter, paths),
        host: options.host,
        ...(options.port !== undefined ? { port: options.port } : {}),
        offline: options.offline === true,
        pages: previewPages,
        signal: interrupt.signal,
        ...(options.open ? { open: (url: string) => openInBrowser(url, output.reporter.warn) } : {}),
      });
      await output.end({ command: 'preview', result });
    } finally {
      interrupt.done();
    }
  });
}
