import type { ServerResponse } from 'node:http';
import { envelopeStatus } from '../api/envelope.js';
import type { Envelope } from '../api/envelope.js';
import type { RouteAnswer } from './call.js';

/** Sends an envelope with the status code and extra headers. */
export function send(
  res: ServerResponse,
  code: number,
  envelope: Envelope,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(envelope);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Sends a 200 success envelope. */
export const ok = (res: ServerResponse, message: string, data: unknown): void =>
  send(res, 200, { status: 'success', message, data });

/** Sends an error envelope; a 409 says `conflict`, as the contract has it. */
export const error = (res: ServerResponse, code: number, message: string, headers?: Record<string, string>): void =>
  send(res, code, { status: envelopeStatus(code), message, data: null }, headers);

/** Sends a route's answer: its data on a success, null on an error. */
export const answer = (res: ServerResponse, { code, message, data }: RouteAnswer): void =>
  send(res, code, { status: envelopeStatus(code), message, data: envelopeStatus(code) === 'success' ? data : null });

/** A stored dashboard's fields, as the Dashboards API sends them. */
interface StoredRow {
  id: string;
  project_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** A dashboard's list row: its metadata without the definition. */
export function dashboardRow(dashboard: StoredRow): object {
  const { id, project_id, name, created_at, updated_at } = dashboard;
  return { id, project_id, name, created_at, updated_at };
}

/** An app's list row: no timestamps and no definition, as Prometheux documents. */
export function appRow(app: { id: string; project_id: string; name: string }): object {
  return { id: app.id, project_id: app.project_id, name: app.name };
}

/** An app as a get returns it: the definition with its id and name inside. */
export function appOf(app: {
  id: string;
  project_id: string;
  name: string;
  definition: Record<string, unknown>;
}): object {
  return { ...appRow(app), definition: { ...app.definition, id: app.id, name: app.name } };
}

/** Lists come in no promised order; the emulator shuffles them so clients do not depend on one. */
export function shuffle<T>(items: T[], dice: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(dice() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
