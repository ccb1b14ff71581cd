import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// The layout the README's "Where things are" promises, checked: which folder may use which, and
// that the section names every folder and only files that exist.

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The modules a file imports (static, type and dynamic imports), as written. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
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

describe('who may use whom', () => {
  it('commands, core, local, remote and config import nothing from report/: they show events and return results', () => {
    for (const folder of ['commands', 'core', 'local', 'remote', 'config'])
      expect(crossings(folder, ['report', 'cli']), folder).toEqual([]);
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
    expect(crossings('local', ['remote', 'commands'])).toEqual([]);
    expect(crossings('remote', ['local', 'commands'])).toEqual([]);
  });

  it('the emulator and the client share the API contract (api/) and neither imports the other; api/ is pure', () => {
    // Every file a folder's files import, outside the folder itself and its allowed ones.
    const outside = (folder: string, allowed: string[]): string[] =>
      sourceFiles(join(SRC, folder)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec.startsWith('.'))
          .map((spec) => relative(SRC, join(file, '..', spec)))
          .filter((target) => ![folder, ...allowed].some((ok) => target.startsWith(`${ok}/`)))
          .map((target) => `${relative(SRC, file)} -> ${target}`),
      );
    expect(outside('emulator', ['api', 'core', 'util'])).toEqual([]);
    expect(outside('api', ['core', 'util'])).toEqual([]);
    expect(crossings('remote', ['emulator'])).toEqual([]);
    const io = sourceFiles(join(SRC, 'api')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('node:') || spec === 'undici')
        .map((spec) => `${relative(SRC, file)} -> ${spec}`),
    );
    expect(io).toEqual([]);
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
