/**
 * Validators compiled ahead of time, by name: a yes/no answer to "does this value satisfy the
 * schema?", with no ajv loaded and no schema compiled at run time (~100 ms a run that reads a config
 * file or dashboard files; an app's check is api/app-check.ts). Empty here: the CLI's bundle (scripts/bundle.mjs) puts in its
 * place the code ajv generates from the same schemas. Code run from src/ or dist/ modules (the
 * tests, the library) finds none, and compiles a schema on first use.
 *
 * Names: `config`, `dashboard`, and `file:<the keys, as JSON>` for a dashboard file that also
 * holds a flavour's keys (see local/schema.ts).
 */
export const PRECOMPILED: Readonly<Record<string, ((value: unknown) => boolean) | undefined>> = {};
