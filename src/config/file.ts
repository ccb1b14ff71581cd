import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { FileError, UsageError } from '../errors.js';
import { checkSchema, satisfies } from '../local/schema.js';
import { isJsonTree } from '../local/dashboard-file.js';
import { parseFast } from '../local/fast-yaml.js';
import { MAX_CONFIG_BYTES, NotReadable, readRegularFile } from '../local/regular-file.js';
import { parseYaml, positionOf, YamlProblem } from '../local/yaml.js';
import { folderNameProblem } from '../core/slug.js';
import { quote } from '../core/words.js';
import type { DriftPolicy } from '../core/types.js';

/** One workspace's settings, as `environments:` entries hold them. */
export interface EnvironmentConfig {
  url?: string;
  scope?: 'user' | 'organization';
  api?: 'dashboards' | 'apps';
  /** What plan, apply and watch do with drift; an environment's overrides the top level's. */
  drift?: DriftPolicy;
  token_env?: string;
  projects?: Record<string, string>;
  variables?: Record<string, string | number | boolean>;
  /** Globs of files to leave out of every run; an environment's add to the top level's. */
  exclude?: string[];
}

/** The contents of dashsync.yaml, validated against schemas/config.schema.json. */
export interface ConfigFile extends EnvironmentConfig {
  dir?: string;
  concurrency?: number;
  environments?: Record<string, EnvironmentConfig>;
}

/** Names of the config file looked for in the working directory. */
export const CONFIG_NAMES = ['dashsync.yaml', 'dashsync.yml'];

/** Finds the config file: the one named by --config, else dashsync.yaml in cwd, else none. */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new UsageError(`config file ${explicit} does not exist`);
    return path;
  }
  for (const name of CONFIG_NAMES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Reads and validates a config file; any problem is a FileError naming line and column. */
export function readConfigFile(path: string, cwd: string): ConfigFile {
  const shown = relative(cwd, path) || path;
  let text: string;
  try {
    // A link is followed (a shared config may be one), but only to a regular file, read bounded.
    text = readRegularFile(path, { maxBytes: MAX_CONFIG_BYTES, kind: 'a config file' }).toString('utf8');
  } catch (e) {
    if (e instanceof NotReadable) throw new FileError([{ path: shown, line: 1, col: 1, message: e.message }]);
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  // A valid config takes the fast path; any problem is reported by the exact parser, placed.
  const fast = parseFast(text);
  if (fast === null) return {};
  if (
    fast !== undefined &&
    isJsonTree(fast) &&
    satisfies('config', fast) &&
    badProjectKeys(fast as ConfigFile).length === 0
  )
    return fast as ConfigFile;
  try {
    const parsed = parseYaml(text);
    if (parsed.value === null) return {};
    const problems = checkSchema('config', parsed);
    if (problems.length)
      throw new FileError(problems.map((problem) => ({ path: shown, ...problem.pos, message: problem.message })));
    const badKeys = badProjectKeys(parsed.value as ConfigFile);
    if (badKeys.length)
      throw new FileError(
        badKeys.map(({ at, key, why }) => ({
          path: shown,
          ...positionOf(parsed, [...at, key], { ofKey: true }),
          message: `"${at.join('.')}" key ${quote(key)} is not a plain folder name (${why})`,
        })),
        'a key under projects: is the name of a folder in the dashboards folder, such as sales',
      );
    return parsed.value as ConfigFile;
  } catch (e) {
    if (e instanceof YamlProblem) throw new FileError([{ path: shown, ...e.pos, message: e.message }]);
    throw e;
  }
}

// `projects:` keys name folders under the dashboards folder: `../../escaped`, `/tmp/x` or `con`
// would write elsewhere or break a checkout, so each must be a plain, portable folder name.
function badProjectKeys(config: ConfigFile): Array<{ at: string[]; key: string; why: string }> {
  const maps: Array<[string[], Record<string, string> | undefined]> = [[['projects'], config.projects]];
  for (const [name, environment] of Object.entries(config.environments ?? {}))
    maps.push([['environments', name, 'projects'], environment.projects]);
  const bad: Array<{ at: string[]; key: string; why: string }> = [];
  for (const [at, map] of maps) {
    // Keys that differ only in case or Unicode form name one folder on Windows and macOS.
    const seen = new Map<string, string>();
    for (const key of Object.keys(map ?? {})) {
      const folded = key.normalize('NFC').toLowerCase();
      const twin = seen.get(folded);
      const why =
        folderNameProblem(key) ??
        (twin !== undefined ? `it and ${quote(twin)} name one folder on Windows and macOS` : undefined);
      if (why) bad.push({ at, key, why });
      seen.set(folded, key);
    }
  }
  return bad;
}
