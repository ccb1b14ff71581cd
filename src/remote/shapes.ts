import { API_NAMES, API_NOUNS, idSegmentProblem } from '../api/routes.js';
import type { ApiFlavour } from '../api/routes.js';
import type { JsonObject, RemoteSummary } from '../core/types.js';
import { ApiError } from '../errors.js';
import { definedOnly } from '../util/defined.js';

/*
 * The shapes the API documents, checked on every answer before anything is written or recorded:
 * a list row has an id, a project and a name; a get has those and a definition that is an object;
 * a save answers an id. Liberal in what is read (extra fields, camelCase spellings, numbers for
 * ids, a definition sent as JSON text), strict in what is recorded: a missing or wrong field is
 * an error naming the call and the field, never a default such as `definition: {}`.
 */

/** A field the server sent as text (or a number: some servers send numeric ids); undefined otherwise. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** An answer that is not what the API documents: names the call and what is wrong (redacted, as it quotes the answer). */
export function protocolError(call: Call, message: string): ApiError {
  return new ApiError({
    kind: 'protocol',
    method: call.method,
    path: call.path,
    status: 200,
    serverMessage: call.redact ? call.redact(message) : message,
    suggestion: `the server does not answer as the ${API_NAMES[call.api ?? 'dashboards']} documents; nothing was recorded from this answer`,
  });
}

/** The start of what the server sent, for a message about it. */
export function shown(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 200);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// A non-empty id, of either spelling's field.
function idIn(value: unknown): string | undefined {
  const id = asString(value);
  return id === undefined || id === '' ? undefined : id;
}

/** The project id of a row, in either spelling. */
function projectIn(row: Record<string, unknown>): string | undefined {
  return idIn(row.project_id) ?? idIn(row.projectId);
}

/** The call an answer came from, named in every error about it. */
export interface Call {
  method: string;
  path: string;
  /** Takes the token out of a message that quotes the answer (a server could echo it back). */
  redact?: (text: string) => string;
  /** Which API answered (default: dashboards): messages use its words and name it. */
  api?: ApiFlavour;
}

// What the call's API calls one of the things it keeps, or many.
const nounOf = (call: Call) => API_NOUNS[call.api ?? 'dashboards'];

/**
 * A list row (or a get's metadata) as a RemoteSummary. `projectOfPath`: the project the call's path
 * names (a project's list, a get), which a row without a project belongs to; a row naming another
 * is an error. `what` names the row in messages.
 */
export function readSummary(
  item: unknown,
  call: Call,
  projectOfPath?: string,
  what = `listed ${nounOf(call).one}`,
): RemoteSummary {
  if (!isObject(item)) throw protocolError(call, `a ${what} is not an object: ${shown(item)}`);
  const id = idIn(item.id);
  const projectId = projectIn(item) ?? projectOfPath;
  const missing = !id ? 'id' : !projectId ? 'project_id' : typeof item.name !== 'string' ? 'name' : undefined;
  if (missing) throw protocolError(call, `a ${what} has no ${missing}: ${shown(item)}`);
  const badId = idSegmentProblem(id!);
  if (badId) throw protocolError(call, `a ${what}: ${badId}`);
  if (projectOfPath !== undefined && projectId !== projectOfPath)
    throw protocolError(call, `a ${what} of project ${shown(projectOfPath)} says it is in project ${shown(projectId)}`);
  const updatedAt = asString(item.updated_at) ?? asString(item.updatedAt);
  return {
    id: id!,
    projectId: projectId!,
    name: item.name as string,
    ...definedOnly({ updatedAt: updatedAt || undefined }),
  };
}

/**
 * A definition as sent: an object, or JSON text of one (some servers store it as text); undefined
 * for anything else (absent, null, a list, text that is not an object).
 */
export function readDefinition(sent: unknown): JsonObject | undefined {
  let definition = sent;
  if (typeof definition === 'string') {
    try {
      definition = JSON.parse(definition);
    } catch {
      return undefined;
    }
  }
  return isObject(definition) ? (definition as JsonObject) : undefined;
}

/** A get's answer checked: an object, for the id asked, with a name; its definition is the caller's to read. */
export function readGot(data: unknown, call: Call, asked: { projectId: string; id: string }): RemoteSummary {
  if (!isObject(data)) throw protocolError(call, `the answer holds no ${nounOf(call).one}: ${shown(data)}`);
  const summary = readSummary(data, call, asked.projectId, nounOf(call).one);
  if (summary.id !== asked.id)
    throw protocolError(call, `asked for ${nounOf(call).one} ${shown(asked.id)}, answered ${shown(summary.id)}`);
  return summary;
}

/** The id a save answered, checked: present, and for an update the id that was sent. */
export function readSavedId(data: unknown, call: Call, updating?: string): string {
  const id = isObject(data) ? idIn(data.id) : undefined;
  if (id === undefined) throw protocolError(call, `the save answered no id: ${shown(data)}`);
  const badId = idSegmentProblem(id);
  if (badId) throw protocolError(call, `the save answered: ${badId}`);
  if (updating !== undefined && id !== updating)
    throw protocolError(
      call,
      `the save of ${nounOf(call).one} ${shown(updating)} answered id ${shown(id)}: another ${nounOf(call).one} than the one sent`,
    );
  return id;
}

/**
 * A list answer's rows, each checked (readSummary). An id listed twice is refused, not collapsed:
 * pull would write two files with one id and apply --prune delete it twice, and a server that
 * repeats a row may as well have dropped another.
 */
export function readList(data: unknown, call: Call, projectOfPath?: string): RemoteSummary[] {
  const rows = listRows(data, call).map((item) => readSummary(item, call, projectOfPath));
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id))
      throw protocolError(call, `the list names ${nounOf(call).one} ${shown(row.id)} twice: a list names each once`);
    seen.add(row.id);
  }
  return rows;
}

/** The rows of a list answer: a bare array, or one under `dashboards` or `apps`. */
export function listRows(data: unknown, call: Call): unknown[] {
  const items = Array.isArray(data) ? data : isObject(data) ? (data.dashboards ?? data.apps) : undefined;
  if (!Array.isArray(items)) throw protocolError(call, `the list response holds no array of ${nounOf(call).many}`);
  // The API documents no pages: a list that says it has more would be taken for the whole
  // workspace, and what it leaves out for deleted (made again, or pruned from the files).
  const more = isObject(data)
    ? PAGE_MARKS.find((mark) => ![undefined, null, false].includes(data[mark] as never))
    : undefined;
  if (more)
    throw protocolError(
      call,
      `the list is paged (it has "${more}"), which the API does not document: only part of the workspace was listed`,
    );
  return items;
}

/** Fields by which an API says a list goes on in another page. */
const PAGE_MARKS = [
  'next',
  'next_cursor',
  'nextCursor',
  'next_page',
  'nextPage',
  'nextPageToken',
  'has_more',
  'hasMore',
];
