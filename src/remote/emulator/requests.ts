/* What the emulator accepts as a save request, for /dashboards and for /apps. */

export function validScope(s: unknown): s is 'user' | 'organization' {
  return s === 'user' || s === 'organization';
}

export interface SaveRequest {
  scope?: string;
  id?: string;
  name: string;
  definition: Record<string, unknown>;
}

function readEnvelopeBody(
  body: unknown,
  key: string,
  alias?: string,
): { scope?: string; item: Record<string, unknown> } | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (b.scope !== undefined && !validScope(b.scope)) return `Invalid scope '${String(b.scope)}'`;
  const item = b[key] ?? (alias ? b[alias] : undefined);
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return `Field '${key}' is required and must be an object`;
  const d = item as Record<string, unknown>;
  if (d.id !== undefined && (typeof d.id !== 'string' || d.id === ''))
    return `Field '${key}.id' must be a non-empty string`;
  if (typeof d.name !== 'string' || d.name === '')
    return `Field '${key}.name' is required and must be a non-empty string`;
  return { ...(b.scope !== undefined ? { scope: b.scope as string } : {}), item: d };
}

export function readDashboardBody(body: unknown): SaveRequest | string {
  const r = readEnvelopeBody(body, 'dashboard');
  if (typeof r === 'string') return r;
  const def = r.item.definition;
  if (def !== undefined && (def === null || typeof def !== 'object' || Array.isArray(def)))
    return "Field 'dashboard.definition' must be an object";
  return {
    ...(r.scope ? { scope: r.scope } : {}),
    ...(r.item.id !== undefined ? { id: r.item.id as string } : {}),
    name: r.item.name as string,
    definition: (def as Record<string, unknown> | undefined) ?? {},
  };
}

// An app carries its definition's fields inline (`dashboard` is accepted as a legacy key).
export function readAppBody(body: unknown): SaveRequest | string {
  const r = readEnvelopeBody(body, 'app', 'dashboard');
  if (typeof r === 'string') return r;
  const { id, name, ...definition } = r.item;
  return {
    ...(r.scope ? { scope: r.scope } : {}),
    ...(id !== undefined ? { id: id as string } : {}),
    name: name as string,
    definition,
  };
}
