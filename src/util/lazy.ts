import { createRequire } from 'node:module';
import type * as DiffModule from 'diff';
import type * as YamlModule from 'yaml';
import type * as JsYamlModule from 'js-yaml';
import type * as AjvModule from 'ajv';
import type PicomatchModule from 'picomatch';

/*
 * Libraries loaded on first use, not at start-up: a warm `plan` that finds nothing changed never
 * parses YAML with `yaml` nor renders a diff, and start-up time is most of its wall time.
 */
const load = createRequire(import.meta.url);
let yaml: typeof YamlModule | undefined;
let diff: typeof DiffModule | undefined;
let jsyaml: typeof JsYamlModule | undefined;
let ajv: typeof AjvModule | undefined;
let picomatch: typeof PicomatchModule | undefined;

/** The `yaml` library. */
export const loadYaml = (): typeof YamlModule => (yaml ??= load('yaml') as typeof YamlModule);

/** The `diff` library. */
export const loadDiff = (): typeof DiffModule => (diff ??= load('diff') as typeof DiffModule);

/** The `js-yaml` library (the fast read path). */
export const loadJsYaml = (): typeof JsYamlModule => (jsyaml ??= load('js-yaml') as typeof JsYamlModule);

/** The `ajv` library. */
export const loadAjv = (): typeof AjvModule => (ajv ??= load('ajv') as typeof AjvModule);

/** The `picomatch` library (globs of --exclude), only where a run has excludes. */
export const loadPicomatch = (): typeof PicomatchModule => (picomatch ??= load('picomatch') as typeof PicomatchModule);
