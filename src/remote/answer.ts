/* Reading an answer: its body, within a size limit, and what a redirect or an envelope's status says. */

/** Envelope statuses of a failed call, whatever the HTTP status says. */
export const FAILED_STATUSES = new Set(['error', 'conflict', 'fail', 'failed', 'failure']);

/** Why a redirect is not followed (the token would go along to wherever it points), naming where it points. */
export function redirectMessage(location: string | string[] | undefined, from: URL): string {
  const to = Array.isArray(location) ? location[0] : location;
  let where = 'elsewhere';
  try {
    const target = new URL(to ?? '', from);
    // Another host is named by its origin alone; the same host by the path it points to.
    if (to) where = target.origin === from.origin ? target.pathname : target.origin;
  } catch {
    // a Location that is no URL: said as "elsewhere"
  }
  return (
    `redirected to ${where}, which dashsync does not follow (the token goes only to the URL given): ` +
    'a login page or a proxy in the way? check the URL'
  );
}

/** A body over the limit: the read stops there instead of holding it all in memory. */
export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super('too large');
  }
}

/** The body as text, read until `limit` bytes at most (TooLarge beyond). */
export async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      (body as unknown as { destroy?: () => void }).destroy?.();
      throw new TooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
