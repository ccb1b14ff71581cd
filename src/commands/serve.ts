import { startServer } from '../remote/emulator/server.js';
import type { RunningServer, ServerOptions } from '../remote/emulator/server.js';
import { ALL_FAULTS } from '../remote/emulator/faults.js';
import type { FaultKind } from '../remote/emulator/faults.js';
import { UsageError } from '../errors.js';
import type { Reporter } from './events.js';
import { silentReporter } from './events.js';

/** Options of `serve`, as the CLI gives them (strings are checked here). */
export interface ServeOptions {
  port?: string | number;
  host?: string;
  token?: string;
  data?: string;
  latency?: string | number;
  failRate?: string | number;
  faults?: string;
  seed?: string | number;
  clientIds?: string;
  maxInflight?: string | number;
  retryAfter?: string | number;
  env?: NodeJS.ProcessEnv;
  reporter?: Reporter;
}

function num(v: string | number | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${name} must be a number from ${min} to ${max}, not "${v}"`);
  return n;
}

function clientIdsOf(v: string): 'accept' | 'reject' | 'ignore' {
  if (v === 'accept' || v === 'reject' || v === 'ignore') return v;
  throw new UsageError(`--client-ids must be accept, reject or ignore, not "${v}"`);
}

/** Starts the emulator and says where it listens. The caller stops it with `close()`. */
export async function serve(o: ServeOptions = {}): Promise<RunningServer> {
  const reporter = o.reporter ?? silentReporter;
  const env = o.env ?? process.env;
  const given = o.token ?? env.DASHSYNC_TOKEN;
  const faults = o.faults
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean) as FaultKind[] | undefined;
  for (const f of faults ?? [])
    if (!ALL_FAULTS.includes(f)) throw new UsageError(`unknown fault "${f}"; known: ${ALL_FAULTS.join(', ')}`);
  const opts: ServerOptions = {
    port: num(o.port, '--port', 0, 65535) ?? 4010,
    host: o.host ?? '127.0.0.1',
    ...(given ? { token: given } : {}),
    ...(o.data ? { dataFile: o.data } : {}),
    latencyMs: num(o.latency, '--latency', 0, 60_000) ?? 0,
    failRate: num(o.failRate, '--fail-rate', 0, 1) ?? 0,
    ...(faults ? { faults } : {}),
    ...(o.maxInflight !== undefined ? { maxInflight: num(o.maxInflight, '--max-inflight', 1, 10_000)! } : {}),
    ...(o.retryAfter !== undefined ? { retryAfter: num(o.retryAfter, '--retry-after', 0, 3600)! } : {}),
    ...(o.clientIds !== undefined ? { clientIds: clientIdsOf(o.clientIds) } : {}),
    ...(o.seed !== undefined ? { seed: num(o.seed, '--seed', 0, 2 ** 32)! } : {}),
  };
  let server: RunningServer;
  try {
    server = await startServer(opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `port ${opts.port} is already in use`,
        'pick another with --port, or --port 0 for any free port',
      );
    throw new UsageError(`cannot start the emulator: ${(e as Error).message}`);
  }
  reporter.show({
    type: 'serving',
    url: server.url,
    // Only a token made up for this run is shown: a given one is named by where it came from.
    token: given ? { given: o.token ? 'flag' : 'variable' } : { random: server.token },
    ...(opts.dataFile ? { dataFile: { path: opts.dataFile, loaded: server.store.count() } } : {}),
    ...(opts.latencyMs || opts.failRate
      ? { faults: { latencyMs: opts.latencyMs ?? 0, failRate: opts.failRate ?? 0 } }
      : {}),
  });
  return server;
}
