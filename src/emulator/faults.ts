import type { ServerResponse } from 'node:http';

/** The faults the emulator can inject; see `failRate` in ServerOptions. */
export type FaultKind = '500' | '503' | '429' | 'drop' | 'drop-after-commit';

/** Every fault kind: what `failRate` draws from when no `faults` are given. */
export const ALL_FAULTS: FaultKind[] = ['500', '503', '429', 'drop', 'drop-after-commit'];

/**
 * A seeded random number generator (mulberry32), values in [0, 1): the same seed gives the same
 * faults, so a failing run can be replayed.
 */
export function seededDice(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fault to inject into one call, if any. A drop after commit only makes sense for a save (the
 * save is stored, the answer lost); on any other call it becomes a plain drop.
 */
export function drawFault(
  dice: () => number,
  { failRate, faults, isSave }: { failRate: number | undefined; faults: FaultKind[]; isSave: boolean },
): FaultKind | undefined {
  if (!failRate || dice() >= failRate) return undefined;
  const fault = faults[Math.floor(dice() * faults.length)];
  return fault === 'drop-after-commit' && !isSave ? 'drop' : fault;
}

/**
 * What real servers and the gateways in front of them do wrong, injected on purpose and every time
 * (not drawn at random like the faults above): the hostile suite (test/journeys/hostile/) runs the CLI
 * against each. Every one is off unless set.
 */
export interface Misbehaviour {
  /**
   * A save is committed this many ms after it arrives, and answered only then: a backend slower than
   * the client's timeout. A list gives the delay of each save in turn (the saves after it: none).
   */
  slowSaveMs?: number | number[];
  /** A save is answered 504 at once, as a gateway that gave up waiting, and committed this many ms later. */
  commitAfter504Ms?: number;
  /** A save is committed, then its connection is reset before any answer. */
  resetAfterSave?: boolean;
  /** Every answer is sent one byte at a time, this many ms apart. */
  trickleMs?: number;
  /** After this many API calls, every call is refused 401: a token revoked (or expired) part way. */
  unauthorizedAfter?: number;
  /** Every API call is answered 200 with an HTML login page: a proxy in front of the API. */
  loginPage?: boolean;
  /**
   * Fields set on the data of each answer (on every row of a list), `undefined` to leave a field
   * out: `{ get: { definition: undefined } }` is a get with no definition.
   */
  reshape?: Partial<Record<'list' | 'get' | 'save', Record<string, unknown>>>;
  /** A new dashboard is listed only this many ms after it was created: an eventually consistent list. */
  listLagMs?: number;
}

/** Data with a misbehaviour's fields set: on every row of a list, or on the one object. */
export function reshaped(data: unknown, fields: Record<string, unknown> | undefined): unknown {
  if (!fields) return data;
  const reshape = (item: unknown): unknown =>
    item !== null && typeof item === 'object' ? { ...(item as object), ...fields } : item;
  return Array.isArray(data) ? data.map(reshape) : reshape(data);
}

/**
 * Makes a response send its body one byte at a time, `ms` apart (the headers go at once): a server
 * that never stops answering and never finishes, which a per-chunk timeout never catches.
 */
export function trickleResponse(res: ServerResponse, ms: number): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as () => ServerResponse;
  res.end = ((body?: string | Buffer) => {
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    let at = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (at >= bytes.length) return void end();
      write(bytes.subarray(at, ++at));
      setTimeout(next, ms);
    };
    next();
    return res;
  }) as ServerResponse['end'];
}
