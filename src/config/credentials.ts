import { normalizeBaseUrl } from '../remote/url.js';
import type { EnvironmentConfig } from './file.js';

/*
 * Token and URL come as a pair. Each place a URL can come from has its token: the command line
 * (--url, --token), an environment chosen with --env (its url, its own or the top level's, and the
 * variable its token_env names), DASHSYNC_URL with DASHSYNC_TOKEN, JARVISPY_URL with PMTX_TOKEN, and
 * the top level of dashsync.yaml (url, token_env). The URL and the token are each taken from the
 * first place that gives one, as the README's Configuration table says; a token that belongs with
 * another URL than the one chosen is never sent: the run stops before any request, naming both.
 * A token with no URL of its own (--token, or DASHSYNC_TOKEN / PMTX_TOKEN while their URL variable
 * is unset) goes with the URL chosen; a token_env of dashsync.yaml where it names no url pairs with
 * no URL but --url.
 */

type SourceKind = 'flags' | 'environment' | 'dashsync' | 'prometheux' | 'config';

/** One place settings can come from, with the URL it names (if any) and how messages call its parts. */
interface Source {
  kind: SourceKind;
  url?: string | undefined;
  urlLabel: string;
}

/** The URL and token chosen, where each came from, and why they may not go together. */
export interface Credentials {
  url?: string;
  token?: string;
  /** The variable the token came from, or `--token`. */
  tokenSource?: string;
  /** Set when the token belongs with another URL than the one chosen: what to tell, and what to do. */
  conflict?: { summary: string; suggestion: string };
}

/** What the credentials are chosen from. */
export interface CredentialInputs {
  flags: { url?: string | undefined; token?: string | undefined };
  env: NodeJS.ProcessEnv;
  /** The top level of dashsync.yaml. */
  file: EnvironmentConfig;
  /** The environment chosen with --env, by name, when one is. */
  selected?: { name: string; config: EnvironmentConfig } | undefined;
  /** The variables the token may come from, in order (see tokenVariables). */
  tokenVariables: string[];
}

// A flag or variable set to blanks counts as not set.
const given = (text: string | undefined): string | undefined =>
  text !== undefined && text.trim() !== '' ? text.trim() : undefined;

/** Chooses the URL and the token, each from the first place that gives one, and checks that they pair. */
export function chooseCredentials(inputs: CredentialInputs): Credentials {
  const { flags, env, file, selected } = inputs;
  const environment: Source | undefined = selected && {
    kind: 'environment',
    url: selected.config.url ?? file.url,
    urlLabel:
      selected.config.url !== undefined
        ? `environment "${selected.name}"`
        : `url: in dashsync.yaml, which environment "${selected.name}" takes`,
  };
  const sources: Source[] = [
    { kind: 'flags', url: given(flags.url), urlLabel: '--url' },
    ...(environment ? [environment] : []),
    { kind: 'dashsync', url: given(env.DASHSYNC_URL), urlLabel: 'DASHSYNC_URL' },
    { kind: 'prometheux', url: given(env.JARVISPY_URL), urlLabel: 'JARVISPY_URL' },
    // With --env, the top level is part of the environment (its keys fill what the environment lacks).
    ...(selected ? [] : [{ kind: 'config' as const, url: file.url, urlLabel: 'url: in dashsync.yaml' }]),
  ];
  const urlFrom = sources.find((source) => source.url !== undefined);
  const tokenVariable = inputs.tokenVariables.find((name) => given(env[name]) !== undefined);
  const token = given(flags.token) ?? (tokenVariable !== undefined ? given(env[tokenVariable]) : undefined);
  const tokenSource = given(flags.token) !== undefined ? '--token' : tokenVariable;
  const chosen: Credentials = {
    ...(urlFrom ? { url: urlFrom.url! } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(tokenSource !== undefined ? { tokenSource } : {}),
  };
  if (!urlFrom || tokenSource === undefined || tokenSource === '--token') return chosen;
  const tokenFrom = sourceOfVariable(tokenSource, sources);
  const conflict = pairingConflict(urlFrom, tokenFrom, tokenSource, selected?.name);
  return conflict ? { ...chosen, conflict } : chosen;
}

// The place a token variable belongs to: DASHSYNC_TOKEN and PMTX_TOKEN to their URL variables, any
// other to the entry of dashsync.yaml whose token_env names it.
function sourceOfVariable(variable: string, sources: Source[]): Source {
  const kind: SourceKind =
    variable === 'DASHSYNC_TOKEN'
      ? 'dashsync'
      : variable === 'PMTX_TOKEN'
        ? 'prometheux'
        : sources.some((source) => source.kind === 'environment')
          ? 'environment'
          : 'config';
  return sources.find((source) => source.kind === kind)!;
}

const sameUrl = (left: string, right: string): boolean => {
  try {
    return normalizeBaseUrl(left) === normalizeBaseUrl(right);
  } catch {
    return left === right;
  }
};

// Why the token from `tokenFrom` may not go to the URL from `urlFrom`, or undefined.
function pairingConflict(
  urlFrom: Source,
  tokenFrom: Source,
  variable: string,
  envName: string | undefined,
): Credentials['conflict'] {
  if (tokenFrom.kind === urlFrom.kind) return undefined;
  const url = urlFrom.url!;
  const tokenLabel =
    tokenFrom.kind === 'environment'
      ? `${variable} (token_env of environment "${envName}")`
      : tokenFrom.kind === 'config'
        ? `${variable} (token_env of dashsync.yaml)`
        : variable;
  const to = `not with the URL from ${urlFrom.urlLabel} (${url}): a token is only sent to the URL of its own source`;
  if (tokenFrom.url !== undefined) {
    if (sameUrl(tokenFrom.url, url)) return undefined;
    return {
      summary: `the token from ${tokenLabel} belongs with ${tokenFrom.urlLabel} (${tokenFrom.url}), ${to}`,
      suggestion: suggestionFor(urlFrom, tokenFrom, envName),
    };
  }
  // A token named by dashsync.yaml (an environment, or its top level) where it names no URL pairs
  // with no URL: it is sent only to a URL typed on the command line, never to one a variable left.
  if (tokenFrom.kind === 'environment' && urlFrom.kind !== 'flags')
    return {
      summary: `the token from ${tokenLabel} belongs with environment "${envName}", which names no url, ${to}`,
      suggestion: `add url: to environment "${envName}" in dashsync.yaml (or pass --url)`,
    };
  if (tokenFrom.kind === 'config' && urlFrom.kind !== 'flags')
    return {
      summary: `the token from ${tokenLabel} belongs with dashsync.yaml, which names no url, ${to}`,
      suggestion: `add url: to dashsync.yaml (or pass --url), or unset ${urlFrom.urlLabel}`,
    };
  return undefined;
}

// What to do about a conflict, in the words of the two places involved.
function suggestionFor(urlFrom: Source, tokenFrom: Source, envName: string | undefined): string {
  if (urlFrom.kind === 'flags') return `pass --token with --url, or unset ${tokenFrom.urlLabel}`;
  if (tokenFrom.kind === 'dashsync' || tokenFrom.kind === 'prometheux')
    return (
      `unset ${tokenFrom.urlLabel} and ${tokenFrom.kind === 'dashsync' ? 'DASHSYNC_TOKEN' : 'PMTX_TOKEN'} ` +
      `(left over from another workspace?)${envName ? `, or name a token_env for environment "${envName}"` : ''}`
    );
  return `unset ${urlFrom.urlLabel}, or set the token that goes with it`;
}
