import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFlavour, MatchedRoute } from '../api/routes.js';
import type { FaultKind } from './faults.js';
import type { EmulatorStats, ServerOptions } from './options.js';
import type { Store } from './store.js';

/** One API call, authorised and recognised: enough for its route to answer it. */
export interface ApiCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** `dashboards` or its successor `apps`: one store, the old paths an alias. */
  api: ApiFlavour;
  /** Which documented call this is, with its path parameters. */
  route: MatchedRoute;
  /** The `scope` query parameter, `user` when absent (a save's is in its body). */
  queryScope: string;
  /** The user whose token made the call: the author of the versions it makes. */
  user: string;
  /** The fault drawn for this call: only `drop-after-commit` is left for a save to act on. */
  fault: FaultKind | undefined;
  store: Store;
  stats: EmulatorStats;
  options: ServerOptions;
  dice: () => number;
}

/** What a route answers, for the server to send: a status, the envelope's message and its data. */
export interface RouteAnswer {
  code: number;
  message: string;
  data: unknown;
}
