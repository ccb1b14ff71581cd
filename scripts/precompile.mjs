// The checks compiled ahead of time for the CLI's bundle (scripts/bundle.mjs): the modules that
// stand in for the placeholders src/util/precompiled.ts and src/api/app-check.ts, made by ajv's
// standalone code generator from the schemas the built dist/ modules make (run tsc first).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

// One ES module of yes/no checks, made by ajv from `schemas` (export name -> JSON Schema).
export function checksModule(schemas) {
  const { Ajv } = require('ajv');
  const standaloneCode = require('ajv/dist/standalone').default;
  // The options the run-time validators use (local/schema.ts, api/app-validation.ts), but the first
  // error ends a check: only whether the value is valid is asked.
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, code: { source: true, esm: true } });
  const names = Object.keys(schemas);
  for (const [i, name] of names.entries()) ajv.addSchema({ ...schemas[name], $id: `urn:dashsync:check:${i}` });
  return standaloneCode(ajv, Object.fromEntries(names.map((name, i) => [name, `urn:dashsync:check:${i}`])));
}

/** The placeholders' modules by their absolute paths under `root`, for the package at `root`. */
export async function precompiledModules(root) {
  const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
  const { schemaPath, fileSchema, fileSchemaName } = await dist('local/schema.js');
  const { appSchema } = await dist('api/app-schema.js');
  const { API_NOUNS } = await dist('api/routes.js');
  const { flavourOf } = await dist('flavours/index.js');
  const named = new Map([
    ['config', JSON.parse(readFileSync(schemaPath('config'), 'utf8'))],
    ['dashboard', JSON.parse(readFileSync(schemaPath('dashboard'), 'utf8'))],
  ]);
  // Each flavour's file: the dashboard schema with the keys the flavour's files may hold.
  for (const api of Object.keys(API_NOUNS)) {
    const { keys } = (await flavourOf({ api })).reading;
    named.set(fileSchemaName(keys), fileSchema(keys));
  }
  const names = [...named.keys()];
  const checks = checksModule(Object.fromEntries(names.map((name, i) => [`check${i}`, named.get(name)])));
  const table = names.map((name, i) => `  ${JSON.stringify(name)}: check${i},`).join('\n');
  return {
    [join(root, 'src', 'util', 'precompiled.ts')]: `${checks}\nexport const PRECOMPILED = {\n${table}\n};\n`,
    [join(root, 'src', 'api', 'app-check.ts')]: checksModule({ APP_CHECK: appSchema() }),
  };
}
