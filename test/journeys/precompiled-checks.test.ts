import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { appSchema } from '../../src/api/app-schema.js';
import { APP_FILE_KEYS } from '../../src/flavours/apps/reading.js';
import { fileSchemaName, satisfies, satisfiesFile } from '../../src/local/schema.js';
// @ts-expect-error: a build script, in JavaScript
import { precompiledModules } from '../../scripts/precompile.mjs';
// @ts-expect-error: a build script, in JavaScript
import { app } from '../../scripts/bench/fleet.mjs';
import { ROOT } from '../helpers.js';

/*
 * The CLI's bundle knows a valid file, config or app by checks ajv compiled ahead of time
 * (scripts/precompile.mjs); everything else runs the schema compiled at run time. The two must give
 * the same verdict on every value, or the bundle would pass a file that validate, run from src/, refuses.
 * Each check is set against the run-time one on valid values and on every one-place change of them.
 */

type Check = (value: unknown) => boolean;

// The generated modules, loaded as the bundle loads them (their require() of ajv's runtime helpers
// resolved from the repository), from a folder of their own outside it.
const folder = mkdtempSync(join(tmpdir(), 'dashsync-checks-'));
const fromRoot = JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href);
afterAll(() => rmSync(folder, { recursive: true, force: true }));
async function generated(): Promise<{ table: Record<string, Check>; appCheck: Check }> {
  const modules = (await precompiledModules(ROOT)) as Record<string, string>;
  const loaded: Record<string, Record<string, unknown>> = {};
  for (const [placeholder, code] of Object.entries(modules)) {
    const file = join(folder, `${placeholder.split('/').pop()!.replace('.ts', '')}.mjs`);
    writeFileSync(
      file,
      `import { createRequire } from 'node:module';\nconst require = createRequire(${fromRoot});\n${code}`,
    );
    loaded[placeholder] = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
  return {
    table: loaded[join(ROOT, 'src', 'util', 'precompiled.ts')]!.PRECOMPILED as Record<string, Check>,
    appCheck: loaded[join(ROOT, 'src', 'api', 'app-check.ts')]!.APP_CHECK as Check,
  };
}

const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, '', 'x', ' ', true, false, [], [1], {}, { x: 1 }, 'a\nb', 10 ** 9];

// The value itself and every value one change away: each place replaced by each odd value, each key
// removed, an unknown key added to each object.
function variants(value: unknown): unknown[] {
  const out: unknown[] = [value];
  const walk = (node: unknown, rebuild: (replacement: unknown) => unknown): void => {
    for (const odd of ODD_VALUES) out.push(rebuild(odd));
    if (Array.isArray(node))
      node.forEach((item, i) => {
        walk(item, (r) => rebuild(node.map((other, j) => (j === i ? r : other))));
        out.push(rebuild(node.filter((_, j) => j !== i)));
      });
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      out.push(rebuild({ ...record, zz_unknown: 1 }));
      for (const key of Object.keys(record)) {
        walk(record[key], (r) => rebuild({ ...record, [key]: r }));
        const { [key]: _gone, ...rest } = record;
        void _gone;
        out.push(rebuild(rest));
      }
    }
  };
  walk(value, (replacement) => replacement);
  return out;
}

function agree(name: string, precompiled: Check, runtime: Check, values: unknown[]): void {
  let valid = 0;
  for (const value of values) {
    const verdict = runtime(value);
    if (verdict) valid++;
    expect(precompiled(value), `${name}: ${JSON.stringify(value).slice(0, 300)}`).toBe(verdict);
  }
  // Both kinds of verdict were asked for: a check that says yes (or no) to everything fails here.
  expect(valid, name).toBeGreaterThan(0);
  expect(valid, name).toBeLessThan(values.length);
}

const yamlOf = (path: string): unknown => parse(readFileSync(join(ROOT, path), 'utf8'));

describe('the checks compiled ahead of time for the bundle', () => {
  it('give the run-time schema verdict on config, dashboard, app-file and app values and on each one-place change', async () => {
    const { table, appCheck } = await generated();
    expect(Object.keys(table).sort()).toEqual(['config', 'dashboard', fileSchemaName(APP_FILE_KEYS)].sort());

    agree('config', table.config!, (v) => satisfies('config', v), [
      ...variants(yamlOf('examples/dashsync.yaml')),
      ...variants(yamlOf('examples/apps/dashsync.yaml')),
    ]);
    const dashboards = ['sales/revenue-overview', 'operations/service-latency', 'marketing/campaign-performance'];
    agree(
      'dashboard',
      table.dashboard!,
      (v) => satisfiesFile(v, {}),
      dashboards.flatMap((name) => variants(yamlOf(`examples/dashboards/${name}.yaml`))),
    );
    const appFile = { ...(yamlOf('examples/apps/dashboards/sales/top-customers.yaml') as object), publish: true };
    agree('app file', table[fileSchemaName(APP_FILE_KEYS)]!, (v) => satisfiesFile(v, APP_FILE_KEYS), variants(appFile));

    const runtimeApp = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(
      appSchema(),
    );
    const apps = [0, 1, 2, 3].map((i) => {
      const { name, definition } = app(i) as { name: string; definition: object };
      return { ...definition, id: `00000000-0000-4000-8000-00000000000${i}`, name };
    });
    agree('app', appCheck, (v) => runtimeApp(v) === true, apps.flatMap(variants));
  });
});
