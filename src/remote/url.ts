import { UsageError } from '../errors.js';

/**
 * The API base URL, ending in `/api/v1` with no trailing slash. Users give the cloud form
 * (`https://host/jarvispy/org/user`), the self-hosted host, either with or without `/api/v1`, with
 * or without a trailing slash: all mean the same base.
 */
export function normalizeBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UsageError(
      `"${input}" is not a URL`,
      'give the API base URL, e.g. https://api.prometheux.ai/jarvispy/my-org/my-user',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`"${input}" is not an http(s) URL`);
  if (url.username || url.password)
    throw new UsageError('the URL must not hold credentials; set DASHSYNC_TOKEN instead');
  let path = url.pathname.replace(/\/+$/, '');
  if (!/\/api\/v1$/.test(path)) path += '/api/v1';
  return `${url.protocol}//${url.host}${path}`;
}

/** True when the URL sends the token in clear text to another machine. */
export function isInsecure(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}
