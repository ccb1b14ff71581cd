import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

// The layout the README's "Where things are" promises, checked: which folder may use which, that
// no import runs in a circle or back up the layers, and that the section names every folder and
// only files that exist.

const SRC = join(ROOT, 'src');

/**
 * The parts of src/ (a top folder, or a file at the top), lowest first. A file may import its own
 * layer and those below, never one above: the contract is a leaf that producers import; core is
 * pure; the CLI is the top. `api/` (the API contract) and `emulator/` are named ahead of the
 * branch that brings them. A new part of src/ must be placed here.
 */
const LAYERS: string[][] = [
  ['util', 'version.ts'],
  ['core'],
  ['contract'],
  ['errors.ts'],
  ['api'],
  ['local', 'remote', 'emulator', 'ci', 'preview'],
  ['config'],
  ['flavours'],
  ['commands'],
  ['report'],
  ['exit-codes.ts', 'terminal.ts'],
  ['cli'],
  ['cli.ts', 'index.ts'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The modules a file imports (static, type, re-exported and dynamic imports), as written. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport\(|^import)\s*'([^']+)'/gm)].map((m) => m[1]!);
}

/** Files of `folder` that import from any of `forbidden` (folders of src/). */
function crossings(folder: string, forbidden: string[]): string[] {
  return sourceFiles(join(SRC, folder)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(SRC, join(file, '..', spec)))
      .filter((target) => forbidden.some((f) => target.startsWith(`${f}/`)))
      .map((target) => `${relative(SRC, file)} -> ${target}`),
  );
}

/** The import graph of src/: each file (relative to src/) to the files of src/ it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = importsOf(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => join(dirname(file), spec).replace(/\.js$/, '.ts'));
    graph.set(relative(SRC, file), [...new Set(targets.map((target) => relative(SRC, target)))]);
  }
  return graph;
}

/** Every circle of the graph that a depth-first walk meets, each as `a -> b -> a`. */
function circlesIn(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const done = new Set<string>();
  const path: string[] = [];
  const circles: string[] = [];
  const visit = (node: string): void => {
    const onPath = path.indexOf(node);
    if (onPath !== -1) {
      circles.push([...path.slice(onPath), node].join(' -> '));
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return circles;
}

/** The part of src/ a file (relative to src/) belongs to: its top folder, or itself at the top. */
const partOf = (file: string): string => file.split('/')[0]!;

/** The layer of a part; -1 for a part the layers do not place. */
const layerOf = (part: string): number => LAYERS.findIndex((layer) => layer.includes(part));

/** The imports of `part`'s files that lead out of the `allowed` parts, each as `from -> to`. */
function importsLeaving(graph: ReadonlyMap<string, readonly string[]>, part: string, allowed: string[]): string[] {
  return [...graph]
    .filter(([file]) => partOf(file) === part)
    .flatMap(([file, targets]) =>
      targets.filter((target) => !allowed.includes(partOf(target))).map((target) => `${file} -> ${target}`),
    );
}

/** The imports from a lower layer to a higher one, each as `from -> to`. */
function arrowsUp(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => layerOf(partOf(target)) > layerOf(partOf(file))).map((target) => `${file} -> ${target}`),
  );
}

describe('no circles, no arrows back up', () => {
  const graph = importGraph();

  it('reads every import of src/ as a file of src/ (so that the graph misses no arrow)', () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !existsSync(join(SRC, target))).map((target) => `${file} -> ${target}`),
    );
    expect(missing).toEqual([]);
    expect(graph.size).toBeGreaterThan(100);
  });

  it('places every part of src/ in a layer', () => {
    const parts = [...new Set([...graph.keys()].map(partOf))];
    expect(parts.filter((part) => layerOf(part) === -1)).toEqual([]);
  });

  it('has no import circle between the files of src/, type-only imports included', () => {
    expect(circlesIn(graph)).toEqual([]);
  });

  it('has no import from a lower layer to a higher one', () => {
    expect(arrowsUp(graph)).toEqual([]);
  });

  it('finds a circle and an arrow back up where a made-up graph has them (the checks can fail)', () => {
    const made = new Map([
      ['core/a.ts', ['core/b.ts']],
      ['core/b.ts', ['contract/c.ts']],
      ['contract/c.ts', ['core/a.ts']],
      ['commands/d.ts', ['core/a.ts']],
    ]);
    expect(circlesIn(made)).toEqual(['core/a.ts -> core/b.ts -> contract/c.ts -> core/a.ts']);
    expect(arrowsUp(made)).toEqual(['core/b.ts -> contract/c.ts']);
  });
});

describe('who may use whom', () => {
  it('commands, core, local, remote and config import nothing from report/: they show events and return results', () => {
    for (const folder of ['commands', 'core', 'local', 'remote', 'config'])
      expect(crossings(folder, ['report', 'cli']), folder).toEqual([]);
  });

  it('report renders the contract: it imports no command', () => {
    expect(crossings('report', ['commands'])).toEqual([]);
  });

  it('the contract (options, results, events, the reporter) imports nothing of dashsync but core/ and util/', () => {
    expect(importsLeaving(importGraph(), 'contract', ['contract', 'core', 'util'])).toEqual([]);
  });

  it('core imports no other folder of dashsync (but util/) and does no I/O', () => {
    expect(crossings('core', ['commands', 'local', 'remote', 'config', 'report', 'cli'])).toEqual([]);
    const io = sourceFiles(join(SRC, 'core')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^node:(fs|net|http|https|child_process|readline)/.test(spec) || spec === 'undici')
        .map((spec) => `${relative(SRC, file)} -> ${spec}`),
    );
    expect(io).toEqual([]);
  });

  it('local knows nothing of HTTP, and remote nothing of files of dashboards', () => {
    expect(crossings('local', ['remote', 'emulator', 'commands'])).toEqual([]);
    expect(crossings('remote', ['local', 'emulator', 'commands'])).toEqual([]);
  });

  it('the client and the emulator meet only in the API contract: remote/ never imports the emulator, which imports only api/, core/ and util/', () => {
    const graph = importGraph();
    const client = [...graph].filter(([file]) => partOf(file) === 'remote');
    const intoEmulator = client.flatMap(([file, targets]) =>
      targets.filter((target) => partOf(target) === 'emulator').map((target) => `${file} -> ${target}`),
    );
    expect(client.length).toBeGreaterThan(0);
    expect(intoEmulator).toEqual([]);
    expect(importsLeaving(graph, 'emulator', ['emulator', 'api', 'core', 'util'])).toEqual([]);
  });

  it('api/ is pure: it imports only core/ and util/ and does no I/O', () => {
    expect(importsLeaving(importGraph(), 'api', ['api', 'core', 'util'])).toEqual([]);
    const io = sourceFiles(join(SRC, 'api')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('node:') || spec === 'undici')
        .map((spec) => `${relative(SRC, file)} -> ${spec}`),
    );
    expect(io).toEqual([]);
  });

  it('asks which API a run talks to in one place, flavours/index.ts (the routes, the client and the emulator aside)', () => {
    // A test of an api against its name; local/binding.ts checks the names it reads from disk.
    const asksApi = /(?:===|!==)\s*'(?:apps|dashboards)'|'(?:apps|dashboards)'\s*(?:===|!==)/;
    expect(asksApi.test("settings.api === 'apps'")).toBe(true);
    const asking = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => !['api', 'remote', 'emulator'].includes(partOf(file)))
      .filter((file) => asksApi.test(readFileSync(join(SRC, file), 'utf8')))
      .sort();
    expect(asking).toEqual(['flavours/index.ts', 'local/binding.ts']);
  });

  it('only the entry file and cli/ set the exit code or leave the process', () => {
    const exits = sourceFiles(SRC)
      .filter((file) => /process\.exit(Code)?\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file))
      .sort();
    expect(exits).toEqual(['cli.ts', 'terminal.ts']);
  });
});

describe('the README says where things are', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Where things are'));
  const body = section.slice(0, section.indexOf('\n## ') === -1 ? undefined : section.indexOf('\n## '));

  it('with a line for every folder of src/', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    for (const folder of folders) expect(body, folder).toContain(`\`src/${folder}/\``);
  });

  it('naming only files that exist', () => {
    const named = [...body.matchAll(/`((?:src\/)?(?:[a-z-]+\/)*[a-z-]+\.ts)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    const all = [...sourceFiles(SRC), ...sourceFiles(join(ROOT, 'test'))].map((file) => relative(SRC, file));
    for (const name of named) {
      const path = name.replace(/^src\//, '');
      expect(
        all.some((file) => file === path || file.endsWith(`/${path}`)),
        `${name} is named in "Where things are"`,
      ).toBe(true);
    }
  });
});
