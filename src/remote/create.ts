import { randomUUID } from 'node:crypto';
import type { RemoteSummary } from '../core/types.js';
import { ApiError } from '../errors.js';

/*
 * A create is never made twice. Every create is sent under an id of the client's choosing (the
 * file's own, or a new UUID): on a server whose save is an upsert, sending it again can only save
 * the same dashboard again. When a create's answer is lost or late (a timeout, a gateway's 504, a
 * connection reset), the project is listed before anything is sent again: the dashboard made under
 * that id, or the one new dashboard of that name (a server that assigns its own ids), is the one
 * this create made. If neither is listed yet, the commit may still land: the list is read again,
 * 1, 2, 4... s apart, for as long as the request timeout (within LOOK_AGAIN_MS: 5 to 60 s), unless the
 * server answered the error itself (a 500: it is done with the call) or is known to keep the ids it
 * is given; only then is the create sent again.
 */

/** How this server treats an id the client chose for a create, as learnt from its answers. */
export interface ClientIdsLearnt {
  value: 'unknown' | 'kept' | 'replaced' | 'refused';
}

/** What a create needs from the client: one send, the project's list, and what is known of the server. */
export interface CreateChannel {
  /** Sends the save once (never retried after it may have reached the server); resolves to the id answered. */
  send(id: string | undefined): Promise<string>;
  /** The project's dashboards as listed now. */
  list(): Promise<RemoteSummary[]>;
  debug(line: string): void;
  /** Sends in all, the first included. */
  attempts: number;
  /** Takes one retry from the command's budget (remote/retry.ts); false when it is spent. */
  mayRetry(): boolean;
  /** How long a create whose answer was lost is looked for before it is sent again. */
  lookWindowMs: number;
  learnt: ClientIdsLearnt;
}

/** The create to make. */
export interface CreateRequest {
  name: string;
  /** An id the file holds that the workspace lacks: the dashboard is made under it where the server allows. */
  wantedId?: string;
  /** The project's ids before this run's creates: a new one of this name was made by this create. */
  knownIds?: ReadonlySet<string>;
  /** Told once the outcome of a send was unknown, whatever came of it after. */
  onDoubt?: () => void;
}

/** How long a lost create is looked for before it is sent again: the request timeout, within these bounds. */
export const LOOK_AGAIN_MS = { least: 5_000, most: 60_000 } as const;

/** The look-again window for a request timeout of `timeoutMs`. */
export function lookWindowFor(timeoutMs: number): number {
  return Math.min(LOOK_AGAIN_MS.most, Math.max(LOOK_AGAIN_MS.least, timeoutMs));
}

const sleep = (ms: number): Promise<void> => new Promise((resume) => setTimeout(resume, ms));

/** Makes one dashboard and resolves to its id; never sends a create again before looking for it. */
export async function createOnce(channel: CreateChannel, request: CreateRequest): Promise<string> {
  const { learnt } = channel;
  let id = learnt.value === 'refused' ? undefined : (request.wantedId ?? randomUUID());
  let refusedId = false;
  let doubted = false;
  for (let tries = 1; ; tries++) {
    try {
      const answered = await channel.send(id);
      if (id !== undefined) learnt.value = answered === id ? 'kept' : 'replaced';
      else if (refusedId) learnt.value = 'refused';
      return answered;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (id !== undefined && !e.outcomeUnknown && (e.kind === 'not-found' || e.kind === 'validation')) {
        // A server that refuses ids it did not make: the dashboard is made under one of its own.
        channel.debug(`save with id ${id} refused (${e.message}); creating without id`);
        id = undefined;
        refusedId = true;
        tries--;
        continue;
      }
      if (!e.outcomeUnknown) throw e;
      channel.debug(`create of ${JSON.stringify(request.name)}: outcome unknown (${e.message}); looking for it`);
      if (!doubted) request.onDoubt?.();
      doubted = true;
      // A server that answered an error itself (a 500) is done with the call; after a gateway's 502
      // or 504, a timeout or a dropped connection the backend may still be at work.
      const mayLandLate = !(e.kind === 'server' && e.status !== 502 && e.status !== 504);
      const found = await lookFor(channel, request, id, e, mayLandLate ? channel.lookWindowMs : 0);
      if (found !== undefined) return found;
      if (tries >= channel.attempts || !channel.mayRetry())
        throw e.with({
          suggestion:
            'the dashboard may have been created all the same: run dashsync plan, which adopts a dashboard ' +
            'of the same name in the project instead of creating another',
        });
      channel.debug(
        `create of ${JSON.stringify(request.name)} not listed: sending it again${id ? ` as id ${id}` : ''}`,
      );
    }
  }
}

/**
 * Looks for what a create whose outcome is unknown made: its id, or the one new dashboard of its
 * name. Undefined when nothing is listed within the window (or at once, when the server is known to
 * keep the ids it is given, so that sending again is harmless).
 */
async function lookFor(
  channel: CreateChannel,
  request: CreateRequest,
  id: string | undefined,
  lost: ApiError,
  windowMs: number,
): Promise<string | undefined> {
  const until = Date.now() + windowMs;
  for (let wait = 1000; ; wait *= 2) {
    let listed: RemoteSummary[];
    try {
      listed = await channel.list();
    } catch (e) {
      // A rejected token is news the caller must act on; any other failure leaves the create in doubt.
      if (e instanceof ApiError && (e.kind === 'unauthorized' || e.kind === 'forbidden')) throw e;
      throw lost;
    }
    if (id !== undefined && listed.some((row) => row.id === id)) return id;
    if (request.knownIds) {
      const made = listed.filter((row) => row.name === request.name && !request.knownIds!.has(row.id));
      if (made.length === 1) return made[0]!.id;
      if (made.length > 1)
        throw lost.with({
          serverMessage: `${lost.serverMessage}; meanwhile ${made.length} dashboards named ${JSON.stringify(request.name)} appeared (ids ${made.map((row) => row.id).join(', ')}): which one this create made cannot be told`,
          suggestion: 'keep one of them (put its id in the file) and delete the others in the workspace',
        });
    }
    if (id !== undefined && channel.learnt.value === 'kept') return undefined;
    const left = until - Date.now();
    if (left <= 0) return undefined;
    channel.debug(
      `create of ${JSON.stringify(request.name)} not listed yet; looking again in ${Math.min(wait, left)} ms`,
    );
    await sleep(Math.min(wait, left));
  }
}
