import { dirname, relative, resolve } from 'node:path';
import type { GlobalFlags } from '../contract/options.js';
import { UsageError } from '../errors.js';
import { dashboardsFolderProblem, displayPath, stateFolderProblem } from '../local/fsutil.js';
import { isInsecure, normalizeBaseUrl } from '../remote/url.js';
import { definedOnly } from '../util/defined.js';
import { chooseCredentials } from './credentials.js';
import type { Credentials } from './credentials.js';
import { findConfig, readConfigFile } from './file.js';
import type { EnvironmentConfig } from './file.js';
import type { DriftPolicy } from '../core/types.js';
import { DEFAULT_CONCURRENCY } from './defaults.js';

/** The API's two database scopes: the user's own dashboards, or the organization's. */
export type Scope = 'user' | 'organization';

/** The settings a command runs with, after flags, environment, config file and defaults. */
export interface Settings {
  /** Folder holding dashsync.yaml (or cwd): where the sync state lives. */
  root: string;
  configPath?: string;
  /** Absolute path of the dashboards folder. */
  dir: string;
  scope: Scope;
  /** Which API: dashboards (default) or apps. */
  api: 'dashboards' | 'apps';
  /** `drift:` of dashsync.yaml (the environment's, else the top level's); absent: each command's default. */
  drift?: DriftPolicy;
  /**
   * Whether scope and api were set (flag, variable or config file) or are defaults, which the
   * folder's binding may replace.
   */
  chosen: { scope: boolean; api: boolean };
  /** Folder name -> project id. */
  projects: Record<string, string>;
  /** `exclude:` globs: the top level's and the environment's (which add to them, never remove one). */
  exclude: string[];
  /** Values for ${{ var.NAME }} placeholders: the top level's, overridden by the environment's. */
  variables: Record<string, string | number | boolean>;
  concurrency: number;
  env?: string;
  /** Normalised base URL ending in /api/v1, when one is set. */
  url?: string;
  /** The API token; never printed, logged or written to a file. */
  token?: string;
  /** The variable names that were looked at for the token, for the "missing token" message. */
  tokenSources: string[];
  /** Where the token came from (a variable's name, or `--token`), for hints about a rejected token. */
  tokenSource?: string;
  /** Set when the token belongs with another URL than the one chosen (see credentials.ts): no request is made. */
  credentialConflict?: Credentials['conflict'];
  warnings: string[];
  debug: boolean;
  /**
   * Attempts per call (1 = no retry) and the longest time spent retrying one call, when set by a
   * variable; the defaults are the transport's (`DEFAULT_RETRY` in remote/retry.ts).
   */
  retry: { attempts?: number; totalMs?: number };
  /** Longest wait for one response. */
  timeoutMs: number;
}

export { DEFAULT_CONCURRENCY };

function scopeOf(value: string | undefined, from: string): Scope | undefined {
  if (value === undefined) return undefined;
  if (value === 'user' || value === 'organization') return value;
  throw new UsageError(`${from} must be "user" or "organization", not "${value}"`);
}

function concurrencyOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const concurrency = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`--concurrency must be a whole number from 1 to 64, not "${value}"`);
  return concurrency;
}

function envNumber(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new UsageError(`${name} must be a number from ${min} to ${max}, not "${text}"`);
  return value;
}

/**
 * The variables the token may come from, in order. An environment chosen with --env that names
 * its variable (token_env, its own or the top level's) uses only that one: falling back to
 * DASHSYNC_TOKEN could send another workspace's token (staging's) to this one. Without --env,
 * DASHSYNC_TOKEN and PMTX_TOKEN come first and the top level's token_env last.
 */
export function tokenVariables(envSelected: boolean, tokenEnv: string | undefined): string[] {
  if (envSelected && tokenEnv) return [tokenEnv];
  // token_env may name one of the defaults: each variable is named once.
  return [...new Set(['DASHSYNC_TOKEN', 'PMTX_TOKEN', ...(tokenEnv ? [tokenEnv] : [])])];
}

// A flag or variable set to blanks counts as not set.
const nonEmpty = (text: string | undefined): string | undefined =>
  text !== undefined && text.trim() !== '' ? text.trim() : undefined;

/**
 * Resolves settings as flags > environment > config file > defaults. Selecting an environment with
 * --env is itself a flag, so that environment's url and token_env win over DASHSYNC_URL and
 * DASHSYNC_TOKEN: `--env production` never silently talks to the workspace a variable names.
 */
export function resolveSettings(flags: GlobalFlags, cwd: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const configPath = findConfig(cwd, flags.config);
  const file = configPath ? readConfigFile(configPath, cwd) : {};
  const root = configPath ? dirname(configPath) : cwd;
  const shownConfig = configPath ? relative(cwd, configPath) || configPath : 'dashsync.yaml';
  let selected: EnvironmentConfig = {};
  if (flags.env !== undefined) {
    const envs = file.environments ?? {};
    const named = envs[flags.env];
    if (!named) {
      const known = Object.keys(envs);
      throw new UsageError(
        `environment "${flags.env}" is not defined under environments: in ${shownConfig}`,
        known.length ? `defined: ${known.join(', ')}` : 'add an environments: section to dashsync.yaml',
      );
    }
    selected = named;
  }
  const chosen = { ...file, ...selected } as typeof file;
  // Where this run may change files, checked before anything else: see "Reliability" in the README.
  const dirFlag = nonEmpty(flags.dir);
  const dir = dirFlag !== undefined ? resolve(cwd, dirFlag) : resolve(root, chosen.dir ?? 'dashboards');
  const stateProblem = stateFolderProblem(root);
  if (stateProblem) throw stateProblem;
  const dirProblem =
    dirFlag === undefined ? dashboardsFolderProblem(root, dir, displayPath(relative(cwd, dir) || '.')) : undefined;
  if (dirProblem) throw dirProblem;

  const tokenVars = tokenVariables(flags.env !== undefined, chosen.token_env);
  const credentials = chooseCredentials({
    flags,
    env,
    file,
    selected: flags.env !== undefined ? { name: flags.env, config: selected } : undefined,
    tokenVariables: tokenVars,
  });
  const { token, tokenSource } = credentials;
  const url = credentials.url !== undefined ? normalizeBaseUrl(credentials.url) : undefined;
  const warnings: string[] = [];
  if (url && isInsecure(url))
    warnings.push(`${url} is plain http to another machine: the token travels in clear text; use https`);

  return {
    root,
    ...definedOnly({ configPath }),
    // A --dir flag is typed relative to where the user stands; the file's dir relative to the file.
    dir,
    scope:
      scopeOf(flags.scope, '--scope') ??
      scopeOf(nonEmpty(env.DASHSYNC_SCOPE), 'DASHSYNC_SCOPE') ??
      chosen.scope ??
      'user',
    api: chosen.api ?? 'dashboards',
    ...definedOnly({ drift: chosen.drift }),
    chosen: {
      scope: flags.scope !== undefined || nonEmpty(env.DASHSYNC_SCOPE) !== undefined || chosen.scope !== undefined,
      api: chosen.api !== undefined,
    },
    projects: chosen.projects ?? {},
    exclude: [...(file.exclude ?? []), ...((selected as { exclude?: string[] }).exclude ?? [])],
    variables: {
      ...(file.variables ?? {}),
      ...((selected as { variables?: Record<string, string | number | boolean> }).variables ?? {}),
    },
    concurrency:
      concurrencyOf(flags.concurrency) ??
      concurrencyOf(nonEmpty(env.DASHSYNC_CONCURRENCY)) ??
      file.concurrency ??
      DEFAULT_CONCURRENCY,
    ...definedOnly({ env: flags.env, url, token }),
    tokenSources: tokenVars,
    ...definedOnly({ tokenSource, credentialConflict: credentials.conflict }),
    warnings,
    debug: flags.debug === true,
    retry: retryFromEnv(env),
    timeoutMs: (envNumber(env, 'DASHSYNC_TIMEOUT', 1, 3600) ?? 30) * 1000,
  };
}

/** The URL and token a remote command needs; a clear error naming what to set when one is missing. */
export function requireRemote(settings: Settings): { url: string; token: string } {
  if (!settings.url) {
    throw new UsageError(
      'no API URL: set DASHSYNC_URL, pass --url, or add url: to dashsync.yaml',
      'e.g. DASHSYNC_URL=https://api.prometheux.ai/jarvispy/my-org/my-user',
    );
  }
  if (settings.credentialConflict)
    throw new UsageError(settings.credentialConflict.summary, settings.credentialConflict.suggestion);
  if (!settings.token) {
    if (settings.env !== undefined && settings.tokenSources.length === 1) {
      throw new UsageError(
        `no API token: environment "${settings.env}" ` +
          `takes its token from ${settings.tokenSources[0]}, which is not set`,
        `set ${settings.tokenSources[0]} (or pass --token); ` +
          'dashsync never falls back to DASHSYNC_TOKEN for an environment that names its variable',
      );
    }
    throw new UsageError(
      `no API token: set ${settings.tokenSources.join(' or ')} (or pass --token)`,
      'the token is the Bearer JWT from your Prometheux account',
    );
  }
  return { url: settings.url, token: settings.token };
}

/** DASHSYNC_RETRIES and DASHSYNC_RETRY_MAX_SECONDS, where set. */
function retryFromEnv(env: NodeJS.ProcessEnv): Settings['retry'] {
  const attempts = envNumber(env, 'DASHSYNC_RETRIES', 1, 20);
  const seconds = envNumber(env, 'DASHSYNC_RETRY_MAX_SECONDS', 0, 3600);
  return definedOnly({ attempts, totalMs: seconds !== undefined ? seconds * 1000 : undefined });
}
