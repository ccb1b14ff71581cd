import { randomUUID } from 'node:crypto';
import { elementWords } from '../api/app-findings.js';
import { formatAppPath } from '../core/app.js';
import type { AppProblem } from '../api/app-findings.js';
import { validateApp } from '../api/app-validation.js';
import type { SaveAnswer, ValidationIssue } from '../api/envelope.js';
import { definedOnly } from '../util/defined.js';
import type { ApiCall } from './call.js';
import { ontologyFindings } from './ontology.js';
import { readAppBody, readBody, readDashboardBody } from './requests.js';
import { reshaped } from './faults.js';
import type { StoredDashboard } from './store.js';
import { error, ok, send } from './responses.js';

/*
 * A save, as the API does it: the body read and checked; on /apps the app validated as the platform
 * validates it (every error refuses the save with 400 and nothing is stored; warnings are stored and
 * reported); stored, with a version checkpoint of the caller's on /apps; answered (or, with the
 * fault drop-after-commit, not).
 */

const plural = (count: number, one: string): string => `${count} ${count === 1 ? one : `${one}s`}`;

/** A finding as the API lists it: where, what, and the element it is in. */
function issueOf(app: unknown, problem: AppProblem): ValidationIssue {
  const element = elementWords(app, problem.path);
  return { path: formatAppPath(problem.path), message: problem.message, ...(element ? { element } : {}) };
}

/** Answers a save (the body not read yet). */
export async function save(call: ApiCall): Promise<void> {
  const { req, res, api, route, store, stats, options } = call;
  const noun = api === 'apps' ? 'App' : 'Dashboard';
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
  let warnings: ValidationIssue[] = [];
  if (api === 'apps') {
    const app = { ...parsed.definition, ...definedOnly({ id: parsed.id }), name: parsed.name };
    const found = validateApp(app);
    const known = ontologyFindings(app, options.ontologies ?? {});
    const errors = [...found.errors, ...known.errors].map((problem) => issueOf(app, problem));
    if (errors.length) {
      const message = `App validation failed with ${plural(errors.length, 'error')}; nothing was saved`;
      return send(res, 400, { status: 'error', message, data: null, errors });
    }
    warnings = [...found.warnings, ...known.warnings].map((problem) => issueOf(app, problem));
  }
  const projectId = route.params.project;
  const scope = parsed.scope ?? 'user';
  const unknownId = parsed.id !== undefined && !store.get(scope, projectId, parsed.id);
  if (unknownId && options.clientIds === 'reject') return error(res, 404, `${noun} '${parsed.id}' not found`);
  if (unknownId && options.clientIds === 'ignore') delete parsed.id;
  stats.save++;
  // An app keeps its id ("generated on first save") and name inside its definition.
  const id = parsed.id ?? randomUUID();
  const definition = api === 'apps' ? { ...parsed.definition, id, name: parsed.name } : parsed.definition;
  const commit = async (): Promise<StoredDashboard> => {
    const saved = await store.save(
      scope,
      projectId,
      { id, name: parsed.name, definition },
      api === 'apps' ? { versioned: { author: call.user } } : {},
    );
    await options.afterSave?.({ scope, projectId, id: saved.id });
    return saved;
  };
  const misbehave = options.misbehave ?? {};
  if (misbehave.commitAfter504Ms !== undefined) {
    error(res, 504, 'Gateway Timeout');
    await sleep(misbehave.commitAfter504Ms);
    return void (await commit());
  }
  const slow = misbehave.slowSaveMs;
  const delay = Array.isArray(slow) ? slow[stats.save - 1] : slow;
  if (delay) await sleep(delay);
  const saved = await commit();
  if (call.fault === 'drop-after-commit' || misbehave.resetAfterSave) {
    stats.fault++;
    return void req.socket.destroy();
  }
  const data: SaveAnswer = { id: saved.id, ...(warnings.length ? { warnings } : {}) };
  const saidWarnings = warnings.length ? ` with ${plural(warnings.length, 'warning')}` : '';
  return ok(res, `${noun} '${saved.id}' saved successfully${saidWarnings}`, reshaped(data, misbehave.reshape?.save));
}

const sleep = (ms: number): Promise<void> => new Promise((resume) => setTimeout(resume, ms));
