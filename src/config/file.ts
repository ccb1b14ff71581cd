import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { FileError, UsageError } from '../errors.js';
import { checkSchema, satisfies } from '../local/schema.js';
import { parseFast } from '../local/fast-yaml.js';
import { parseYaml, YamlProblem } from '../local/yaml.js';

/** One workspace's settings, as `environments:` entries hold them. */
export interface EnvironmentConfig {
  url?: string;
  scope?: 'user' | 'organization';
  api?: 'dashboards' | 'apps';
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
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (text.length > 1_000_000)
    throw new FileError([{ path: shown, line: 1, col: 1, message: 'config file is larger than 1 MB' }]);
  // A valid config takes the fast path; any problem is reported by the exact parser, placed.
  const fast = parseFast(text);
  if (fast === null) return {};
  if (fast !== undefined && satisfies('config', fast)) return fast as ConfigFile;
  try {
    const parsed = parseYaml(text);
    if (parsed.value === null) return {};
    const problems = checkSchema('config', parsed);
    if (problems.length)
      throw new FileError(problems.map((problem) => ({ path: shown, ...problem.pos, message: problem.message })));
    return parsed.value as ConfigFile;
  } catch (e) {
    if (e instanceof YamlProblem) throw new FileError([{ path: shown, ...e.pos, message: e.message }]);
    throw e;
  }
}
