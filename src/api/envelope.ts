/*
 * What every answer of the API looks like: the documented envelope, its statuses and the HTTP
 * statuses that go with them, and the `data` of the calls whose shape dashsync relies on.
 */

/** The envelope's `status`. */
export type EnvelopeStatus = 'success' | 'error' | 'conflict';

/** One finding of an app save's validation, as the API lists it. */
export interface ValidationIssue {
  /** Where, as a path into the app: `pages[0].sections[1].widgets[0].span`. */
  path: string;
  message: string;
  /** The element it is in, as the platform names it: `page 'Leads': run group 'detail'`. */
  element?: string;
}

/** The envelope every JSON answer comes in. */
export interface Envelope {
  status: EnvelopeStatus;
  message: string;
  /** The payload; `null` on an error. */
  data: unknown;
  /** A refused app save: every error, nothing saved. */
  errors?: ValidationIssue[];
}

/** The HTTP statuses the API documents, each with the envelope status it comes with. */
export const DOCUMENTED_STATUSES = {
  200: { status: 'success', meaning: 'the request succeeded' },
  400: { status: 'error', meaning: 'bad request: a malformed body, invalid parameters, an app that does not validate' },
  401: { status: 'error', meaning: 'missing, invalid, expired or revoked token' },
  403: { status: 'error', meaning: 'authenticated but not allowed to do this' },
  404: { status: 'error', meaning: 'the resource does not exist' },
  409: { status: 'conflict', meaning: 'the request conflicts with the current state' },
  422: { status: 'error', meaning: 'well-formed, but the entity could not be processed' },
  500: { status: 'error', meaning: 'a server-side error' },
} as const satisfies Record<number, { status: EnvelopeStatus; meaning: string }>;

/** The envelope status of an HTTP status: success for 2xx, conflict for 409, error for the rest. */
export function envelopeStatus(code: number): EnvelopeStatus {
  if (code >= 200 && code < 300) return 'success';
  return code === 409 ? 'conflict' : 'error';
}

/**
 * The `data` of a successful save: the id (made on a create), and the warnings of an app save: what
 * the platform stores and reports, never refuses (as the API's other answers carry `warnings`).
 */
export interface SaveAnswer {
  id: string;
  warnings?: ValidationIssue[];
}
