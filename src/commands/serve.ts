import { startServer } from '../emulator/server.js';
import type { RunningServer, ServerOptions } from '../emulator/server.js';
import { ALL_FAULTS } from '../emulator/faults.js';
import type { FaultKind } from '../emulator/faults.js';
import { UsageError } from '../errors.js';
import type { ServeOptions } from '../contract/options.js';
import { silentReporter } from '../contract/reporter.js';

/** A numeric flag's value, checked against its range; undefined when the flag is absent. */
function numberFlag(value: string | number | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max)
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, not "${value}"`);
  return parsed;
}

function clientIdsOf(value: string): 'accept' | 'reject' | 'ignore' {
  if (value === 'accept' || value === 'reject' || value === 'ignore') return value;
  throw new UsageError(`--client-ids must be accept, reject or ignore, not "${value}"`);
}

/** The emulator's options from the flags; a key is set only where its flag is. */
function serverOptionsOf(options: ServeOptions, token: string | undefined, faults?: FaultKind[]): ServerOptions {
  const server: ServerOptions = {
    port: numberFlag(options.port, '--port', 0, 65535) ?? 4010,
    host: options.host ?? '127.0.0.1',
  };
  if (token) server.token = token;
  if (options.data) server.dataFile = options.data;
  server.latencyMs = numberFlag(options.latency, '--latency', 0, 60_000) ?? 0;
  server.failRate = numberFlag(options.failRate, '--fail-rate', 0, 1) ?? 0;
  if (faults) server.faults = faults;
  if (options.maxInflight !== undefined)
    server.maxInflight = numberFlag(options.maxInflight, '--max-inflight', 1, 10_000)!;
  if (options.retryAfter !== undefined) server.retryAfter = numberFlag(options.retryAfter, '--retry-after', 0, 3600)!;
  if (options.clientIds !== undefined) server.clientIds = clientIdsOf(options.clientIds);
  if (options.seed !== undefined) server.seed = numberFlag(options.seed, '--seed', 0, 2 ** 32)!;
  return server;
}

/** Starts the emulator and says where it listens. The caller stops it with `close()`. */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const reporter = options.reporter ?? silentReporter;
  const env = options.env ?? process.env;
  const givenToken = options.token ?? env.DASHSYNC_TOKEN;
  const faults = options.faults
    ?.split(',')
    .map((fault) => fault.trim())
    .filter(Boolean) as FaultKind[] | undefined;
  for (const fault of faults ?? [])
    if (!ALL_FAULTS.includes(fault)) throw new UsageError(`unknown fault "${fault}"; known: ${ALL_FAULTS.join(', ')}`);
  const serverOptions = serverOptionsOf(options, givenToken, faults);
  let server: RunningServer;
  try {
    server = await startServer(serverOptions);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `port ${serverOptions.port} is already in use`,
        'pick another with --port, or --port 0 for any free port',
      );
    throw new UsageError(`cannot start the emulator: ${(e as Error).message}`);
  }
  const { dataFile, latencyMs, failRate } = serverOptions;
  reporter.show({
    type: 'serving',
    url: server.url,
    // Only a token made up for this run is shown: a given one is named by where it came from.
    token: givenToken ? { given: options.token ? 'flag' : 'variable' } : { random: server.token },
    ...(dataFile ? { dataFile: { path: dataFile, loaded: server.store.count() } } : {}),
    ...(latencyMs || failRate ? { faults: { latencyMs: latencyMs ?? 0, failRate: failRate ?? 0 } } : {}),
  });
  return server;
}
