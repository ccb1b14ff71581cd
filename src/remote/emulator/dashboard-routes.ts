import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatAppPath } from '../../core/app.js';
import { validateApp } from '../../local/app-validation.js';
import { definedOnly } from '../../util/defined.js';
import type { FaultKind } from './faults.js';
import { appOf, appRow, dashboardRow, error, ok, send, shuffle } from './responses.js';
import { readAppBody, readBody, readDashboardBody, validScope } from './requests.js';
import type { EmulatorStats, ServerOptions } from './server.js';
import type { Store } from './store.js';

/** What one API call is, once authorised: enough for any of the five routes to answer it. */
export interface DashboardCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** `dashboards` or its successor `apps`: one store, the old paths an alias. */
  api: 'dashboards' | 'apps';
  /** The path after /dashboards or /apps, decoded. */
  rest: string[];
  /** The `scope` query parameter, `user` when absent. */
  queryScope: string;
  /** The fault drawn for this call: only `drop-after-commit` is left for a save to act on. */
  fault: FaultKind | undefined;
  store: Store;
  stats: EmulatorStats;
  options: ServerOptions;
  dice: () => number;
}

/**
 * Answers the five routes both APIs share (list all, list a project, get, delete, save); false when
 * the call is none of them.
 */
export async function serveDashboardRoute(call: DashboardCall): Promise<boolean> {
  const { req, res, api, rest, queryScope, store, stats, dice } = call;
  const noun = api === 'apps' ? 'App' : 'Dashboard';
  const listRow = api === 'apps' ? appRow : dashboardRow;
  const badScope = (): boolean => {
    if (validScope(queryScope)) return false;
    error(res, 400, `Invalid scope '${queryScope}'`);
    return true;
  };
  if (req.method === 'GET' && rest.length === 1 && rest[0] === 'list') {
    if (badScope()) return true;
    stats.list++;
    ok(res, `All ${api} listed successfully`, shuffle(store.list(queryScope).map(listRow), dice));
    return true;
  }
  if (req.method === 'GET' && rest.length === 2 && rest[1] === 'list') {
    if (badScope()) return true;
    stats.list++;
    ok(res, `${noun}s listed successfully`, shuffle(store.list(queryScope, rest[0]).map(listRow), dice));
    return true;
  }
  if (req.method === 'GET' && rest.length === 2) {
    if (badScope()) return true;
    stats.get++;
    const found = store.get(queryScope, rest[0]!, rest[1]!);
    if (!found) error(res, 404, `${noun} '${rest[1]}' not found`);
    else ok(res, `${noun} loaded successfully`, api === 'apps' ? appOf(found) : withDefinition(found));
    return true;
  }
  if (req.method === 'DELETE' && rest.length === 2) {
    if (badScope()) return true;
    stats.delete++;
    const gone = await store.delete(queryScope, rest[0]!, rest[1]!);
    if (gone) ok(res, `${noun} '${rest[1]}' deleted successfully`, null);
    else error(res, 404, `${noun} '${rest[1]}' not found`);
    return true;
  }
  if (req.method === 'POST' && rest.length === 2 && rest[1] === 'save') {
    await save(call, noun);
    return true;
  }
  return false;
}

function withDefinition(dashboard: Parameters<typeof dashboardRow>[0] & { definition: unknown }): object {
  return { ...dashboardRow(dashboard), definition: dashboard.definition };
}

// A save: checked as the API checks it, stored, and answered (or, with drop-after-commit, not).
async function save(call: DashboardCall, noun: string): Promise<void> {
  const { req, res, api, rest, store, stats, options } = call;
  const text = await readBody(req);
  if (text === undefined) return error(res, 413, 'Request body too large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return error(res, 400, 'Malformed JSON body');
  }
  const parsed = api === 'apps' ? readAppBody(body) : readDashboardBody(body);
  if (typeof parsed === 'string') return error(res, 400, parsed);
  if (api === 'apps') {
    // The same validation as dashsync's own `validate`: every error at once, nothing saved.
    const problems = validateApp({ ...parsed.definition, ...definedOnly({ id: parsed.id }), name: parsed.name });
    const errors = problems.map((problem) => ({ path: formatAppPath(problem.path), message: problem.message }));
    if (errors.length) {
      const count = `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}`;
      const message = `App validation failed with ${count}; nothing was saved`;
      return send(res, 400, { status: 'error', message, data: null, errors });
    }
  }
  const projectId = rest[0]!;
  const scope = parsed.scope ?? 'user';
  const unknownId = parsed.id !== undefined && !store.get(scope, projectId, parsed.id);
  if (unknownId && options.clientIds === 'reject') return error(res, 404, `${noun} '${parsed.id}' not found`);
  if (unknownId && options.clientIds === 'ignore') delete parsed.id;
  stats.save++;
  // An app keeps its id ("generated on first save") and name inside its definition.
  const id = parsed.id ?? randomUUID();
  const definition = api === 'apps' ? { ...parsed.definition, id, name: parsed.name } : parsed.definition;
  const saved = await store.save(
    scope,
    projectId,
    { id, name: parsed.name, definition },
    { versioned: api === 'apps' },
  );
  await options.afterSave?.({ scope, projectId, id: saved.id });
  if (call.fault === 'drop-after-commit') {
    stats.fault++;
    return void req.socket.destroy();
  }
  return ok(res, `${noun} '${saved.id}' saved successfully`, { id: saved.id });
}
