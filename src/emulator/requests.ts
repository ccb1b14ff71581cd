/* What the emulator accepts as a request: bodies of saves, for /dashboards and for /apps, and scopes. */
import type { IncomingMessage } from 'node:http';
import { definedOnly } from '../util/defined.js';

/** True for a scope the API knows. */
export function validScope(scope: unknown): scope is 'user' | 'organization' {
  return scope === 'user' || scope === 'organization';
}

// The largest request body read; a larger one is answered 413 rather than held in memory.
const MAX_BODY = 16 * 1024 * 1024;

/** The request body as text, or undefined when it is larger than the emulator accepts. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A save request, read and checked. */
export interface SaveRequest {
  scope?: string;
  id?: string;
  name: string;
  definition: Record<string, unknown>;
}

// The checks both APIs make of a save body; the item under `key` (or `alias`), or what is wrong.
function readEnvelopeBody(
  body: unknown,
  key: string,
  alias?: string,
): { scope?: string; item: Record<string, unknown> } | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Request body must be a JSON object';
  const fields = body as Record<string, unknown>;
  if (fields.scope !== undefined && !validScope(fields.scope)) return `Invalid scope '${String(fields.scope)}'`;
  const item = fields[key] ?? (alias ? fields[alias] : undefined);
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return `Field '${key}' is required and must be an object`;
  const itemFields = item as Record<string, unknown>;
  if (itemFields.id !== undefined && (typeof itemFields.id !== 'string' || itemFields.id === ''))
    return `Field '${key}.id' must be a non-empty string`;
  if (typeof itemFields.name !== 'string' || itemFields.name === '')
    return `Field '${key}.name' is required and must be a non-empty string`;
  return { ...definedOnly({ scope: fields.scope as string | undefined }), item: itemFields };
}

/** The save request of /dashboards: `{scope?, dashboard: {id?, name, definition?}}`; or what is wrong. */
export function readDashboardBody(body: unknown): SaveRequest | string {
  const read = readEnvelopeBody(body, 'dashboard');
  if (typeof read === 'string') return read;
  const definition = read.item.definition;
  if (definition !== undefined && (definition === null || typeof definition !== 'object' || Array.isArray(definition)))
    return "Field 'dashboard.definition' must be an object";
  return {
    ...definedOnly({ scope: read.scope || undefined, id: read.item.id as string | undefined }),
    name: read.item.name as string,
    definition: (definition as Record<string, unknown> | undefined) ?? {},
  };
}

/**
 * The save request of /apps; or what is wrong. An app carries its definition's fields inline
 * (`dashboard` is accepted as a legacy key).
 */
export function readAppBody(body: unknown): SaveRequest | string {
  const read = readEnvelopeBody(body, 'app', 'dashboard');
  if (typeof read === 'string') return read;
  const { id, name, ...definition } = read.item;
  return {
    ...definedOnly({ scope: read.scope || undefined, id: id as string | undefined }),
    name: name as string,
    definition,
  };
}
