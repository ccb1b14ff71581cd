import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/** The parts of undici an API client needs: the connection pool and the error classes. */
export interface UndiciParts {
  Agent: typeof Undici.Agent;
  errors: typeof Undici.errors;
}

let parts: UndiciParts | undefined;

/**
 * undici, loaded on first use and only the parts an API client needs (the connection pool, the
 * request call, the error classes): a third of the start-up cost of the whole package, which is
 * most of a warm `plan`'s wall time. Falls back to the package's entry point if its layout changes
 * (the version is pinned in package.json).
 */
export function undici(): UndiciParts {
  if (parts) return parts;
  const load = createRequire(import.meta.url);
  try {
    const Agent = load('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
    const Dispatcher = load('undici/lib/dispatcher/dispatcher.js') as { prototype: Record<string, unknown> };
    const api = load('undici/lib/api/index.js') as Record<string, unknown>;
    const errors = load('undici/lib/core/errors.js') as typeof Undici.errors;
    // What undici's own entry point does to give dispatchers their request() method.
    if (typeof Dispatcher.prototype.request !== 'function') Object.assign(Dispatcher.prototype, api);
    if (typeof Agent !== 'function' || typeof errors.HeadersTimeoutError !== 'function')
      throw new Error('unexpected undici layout');
    parts = { Agent, errors };
  } catch {
    const full = load('undici') as typeof Undici;
    parts = { Agent: full.Agent, errors: full.errors };
  }
  return parts;
}
