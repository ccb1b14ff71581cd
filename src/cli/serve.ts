import type { Command } from 'commander';
import { untilStopSignal } from '../terminal.js';
import { definedOnly } from '../util/defined.js';
import { outputFor, withFormat } from './shared.js';
import type { OutputCliOptions } from './shared.js';

/** Defines `dashsync serve`: its flags, help and what it runs. */
export function serveCommand(program: Command): void {
  withFormat(
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
      .option('--debug', 'stack traces on errors'),
  )
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  $ dashsync serve --port 4010 --token dev',
        '  $ curl -H "Authorization: Bearer dev" http://127.0.0.1:4010/api/v1/dashboards/list',
      ].join('\n'),
    )
    .action(
      async (
        options: OutputCliOptions & {
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
        },
      ) => {
        const { reporter } = await outputFor('serve', options);
        const { serve } = await import('../commands/serve.js');
        const { port, host, token, data, latency, failRate, faults, seed, clientIds, maxInflight, retryAfter } =
          options;
        const flags = { port, host, token, data, latency, failRate, faults, seed, clientIds, maxInflight, retryAfter };
        // Once listening, the emulator says where (`serving`): --format json prints it as a line.
        const server = await serve({ ...definedOnly(flags), reporter });
        await untilStopSignal();
        reporter.info('stopping');
        await server.close();
      },
    );
}
