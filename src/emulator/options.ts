import type { FaultKind, Misbehaviour } from './faults.js';
import type { Ontology } from './ontology.js';
import type { Store } from './store.js';

/** Options of the emulator. */
export interface ServerOptions {
  port?: number;
  host?: string;
  /** Bearer token to accept; a random one when absent. */
  token?: string;
  /** The name of the token's user: the author of the versions its saves make (`devuser` by default). */
  user?: string;
  /** More Bearer tokens to accept, each with its user's name (a second author, in tests). */
  tokens?: Record<string, string>;
  /**
   * The ontology of each project (by project id): a save of an app whose page binds to one is
   * checked against it as the platform does (concepts, columns, `@param`s, input predicates, what
   * `execute` computes). Pages bound to a project without one are not checked against any.
   */
  ontologies?: Record<string, Ontology>;
  /** Persist to this JSON file (atomic writes) and load it at start. */
  dataFile?: string;
  /** Milliseconds added to every API call. */
  latencyMs?: number;
  /** Share of API calls (0..1) that fail with one of `faults`. */
  failRate?: number;
  faults?: FaultKind[];
  /** Seconds sent in Retry-After with injected 429s. */
  retryAfter?: number;
  /** Seed for the fault dice, for reproducible runs. */
  seed?: number;
  /**
   * What a save with an id the server does not have does: `accept` creates it under that id (an
   * upsert, the default), `reject` answers 404, `ignore` creates it under a new id of its own.
   */
  clientIds?: 'accept' | 'reject' | 'ignore';
  /** What a real server or gateway does wrong, on purpose and every time (see Misbehaviour). */
  misbehave?: Misbehaviour;
  /** Rate limit: API calls in flight at once beyond this are answered 429 with Retry-After. */
  maxInflight?: number;
  /**
   * Test hook (in-process only): called before each API call is served. It may hold the call (return
   * a promise the test resolves later) or answer it with an error status (e.g. 503 for "away").
   */
  intercept?: (method: string, path: string) => Promise<number | undefined> | number | undefined;
  /**
   * Called after each save is stored and before it is answered (in-process use only): a test makes
   * another writer's save land right after a client's, deterministically.
   */
  afterSave?: (saved: { scope: string; projectId: string; id: string }) => void | Promise<void>;
}

/** Requests an emulator answered, by kind. */
export interface EmulatorStats {
  list: number;
  get: number;
  save: number;
  delete: number;
  /** Calls of the versions and publication routes (/apps only). */
  versions: number;
  fault: number;
  /** Calls refused by the maxInflight rate limit. */
  rateLimited: number;
  /** Most API calls in flight at once. */
  peakInflight: number;
}

/** A running emulator. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000/api/v1 */
  url: string;
  token: string;
  port: number;
  store: Store;
  /** Requests answered, by kind; `fault` counts injected failures. */
  stats: EmulatorStats;
  /**
   * The User-Agent of the API calls received, with how many each sent (`(none)` for a call without
   * one): which clients, and which versions, called. Also in the answer of `/__emulator/stats`.
   */
  clients: Map<string, number>;
  close(): Promise<void>;
}

/** The user of the main token when `user` is not given (the name Prometheux's own docs show). */
export const DEFAULT_USER = 'devuser';
