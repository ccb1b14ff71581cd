import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { EXIT } from '../../src/exit-codes.js';
import { applyToJson } from '../../src/report/result-json.js';
import { CLI, ROOT, dashboardYaml, read, run, tree, write } from '../helpers.js';

/*
 * The README is checked against the tool: every flag it gives a command is one that command takes,
 * the exit-code table covers every command, and its output examples have the shape the tool prints.
 */

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The flags `dashsync <command> --help` lists. */
async function helpFlags(command: string): Promise<Set<string>> {
  const r = await run(ROOT, [command, '--help']);
  expect(r.code).toBe(0);
  return new Set([...r.stdout.matchAll(/(?:^|[\s,])(--[a-z][a-z-]*)/g)].map((m) => m[1]!));
}

/** The README's text under a heading, up to the next heading of that level or higher. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Flags written as the first word of an inline code span (`--prune`, `--project SRC=DST`), not those of another command (`pull --prune`). */
function flagsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/`(--[a-z][a-z-]*)[^`]*`/g)].map((m) => m[1]!))];
}

const COMMANDS = ['validate', 'plan', 'apply', 'pull', 'watch', 'migrate', 'init'];

describe('the README agrees with --help', () => {
  it.each(COMMANDS)('every flag the section on %s mentions is one the command takes', async (command) => {
    const takes = await helpFlags(command);
    const mentioned = flagsIn(section(`### \`dashsync ${command}\``));
    expect(mentioned.length).toBeGreaterThan(0);
    expect(mentioned.filter((f) => !takes.has(f))).toEqual([]);
  });

  it('serve takes every flag of its table', async () => {
    const takes = await helpFlags('serve');
    const rows = [
      ...section('### Try it without a workspace: the built-in emulator').matchAll(/^\| `(--[a-z-]+)/gm),
    ].map((m) => m[1]!);
    expect(rows.length).toBeGreaterThan(8);
    expect(rows.filter((f) => !takes.has(f))).toEqual([]);
  });

  it('the flags the Commands section says each command takes are the ones it takes', async () => {
    const intro = section('## Commands');
    const common = flagsIn(/^`validate`, `plan`[\s\S]*?; those that work/m.exec(intro)![0]);
    const folder = flagsIn(/those that work on a folder[^;]*;/.exec(intro)![0]);
    const workspace = flagsIn(/those that talk to a\s+workspace[^;]*;/.exec(intro)![0]);
    const remote = flagsIn(/those that talk to one\s+workspace[^.]*\./.exec(intro)![0]);
    const init = flagsIn(/`init` takes only[^;]*;/.exec(intro)![0]);
    expect(common).toContain('--quiet');
    expect(common).toContain('--format');
    expect(folder).toEqual(['--dir', '--env']);
    expect(workspace).toEqual(['--scope', '--concurrency']);
    expect(remote).toEqual(['--url', '--token']);
    for (const command of ['validate', 'plan', 'apply', 'pull', 'watch', 'migrate']) {
      const takes = await helpFlags(command);
      expect(
        common.filter((f) => !takes.has(f)),
        command,
      ).toEqual([]);
      expect(
        folder.filter((f) => takes.has(f)),
        command,
      ).toEqual(command === 'migrate' ? [] : folder);
      // validate is offline: it lists no flag of a workspace (--concurrency among them).
      expect(
        workspace.filter((f) => takes.has(f)),
        command,
      ).toEqual(command === 'validate' ? [] : workspace);
      const remoteFor = command === 'validate' || command === 'migrate' ? [] : remote;
      expect(
        remote.filter((f) => takes.has(f)),
        command,
      ).toEqual(remoteFor);
    }
    const initTakes = [...(await helpFlags('init'))].filter((f) => f !== '--help').sort();
    expect(initTakes).toEqual([...init].sort());
  });

  it('the exit-code table has a row for every command', async () => {
    const r = await run(ROOT, ['--help']);
    const commands = [...r.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(8);
    const table = section('## Exit codes');
    for (const c of commands) expect(table, c).toMatch(new RegExp(`^\\| \`${c}\` \\|`, 'm'));
  });

  it('the exit-code table has a column for every code the CLI sets, and no other', () => {
    const header = section('## Exit codes')
      .split('\n')
      .find((line) => line.startsWith('| command |'))!;
    const columns = header
      .split('|')
      .map((cell) => cell.trim())
      .filter((cell) => /^\d+$/.test(cell));
    expect(columns.map(Number).sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  it('the apply --json line names every field apply --json has', () => {
    const line = README.split('\n').find((l) => l.startsWith('`apply --json`:'))!;
    const summary = {
      ...{ created: 1, updated: 0, deleted: 0, linked: 0, failed: 0, skipped: 0, notStarted: 0 },
      ...{ idsNotWritten: 0, duplicated: 0 },
    };
    const action = { kind: 'create', path: 'p/a.yaml', folder: 'p', projectId: 'p', name: 'A' } as never;
    const json = applyToJson({
      applied: true,
      summary,
      outcomes: [{ action, outcome: 'done', id: 'x', message: 'm' }],
    } as never);
    for (const key of [...Object.keys(json), ...Object.keys(json.summary), ...Object.keys(json.results[0]!)])
      expect(line, key).toContain(`"${key}"`);
  });

  it('the watch --json lines name every kind of event watch tells', () => {
    const start = README.indexOf('`watch --json`:');
    const text = README.slice(start, README.indexOf('`serve --json`:', start));
    const source = readFileSync(join(ROOT, 'src/contract/watch.ts'), 'utf8');
    const kinds = [...source.matchAll(/\{ kind: '([a-z-]+)'/g)].map((m) => m[1]!);
    expect(kinds.length).toBeGreaterThanOrEqual(14);
    for (const kind of kinds) expect(text, kind).toContain(`\`${kind}\``);
  });

  it('the pull --json line names every kind of change pull reports', () => {
    const line = README.split('\n').find((l) => l.startsWith('`pull --json`:'))!;
    const source = readFileSync(join(ROOT, 'src/core/pull-plan.ts'), 'utf8');
    const kinds = /kind: ((?:'[a-z-]+'(?: \| )?)+);/.exec(source)![1]!.match(/[a-z-]+/g)!;
    expect(kinds.length).toBeGreaterThanOrEqual(7);
    for (const kind of kinds) expect(line, kind).toContain(kind);
  });
});

/** A README example line as a pattern: times, ids and `...` endings stand for any such text. */
function shape(line: string): RegExp {
  const esc = line.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = esc
    .replace(/\d\d:\d\d:\d\d/g, '\\d\\d:\\d\\d:\\d\\d')
    .replace(/\\\(id [0-9a-f]+-\\\.\\\.\\\.\\\)/g, '\\(id [0-9a-f-]+\\)')
    .replace(/\\\(\d+ files in sync\\\)/g, '\\(\\d+ files? in sync\\)')
    .replace(/ \\\.\\\.\\\.$/, '.*');
  return new RegExp(`^${pattern}$`);
}

function exampleAfter(marker: string): string[] {
  const at = README.indexOf(marker);
  const block = /```\n([\s\S]*?)```/.exec(README.slice(at))![1]!;
  return block.split('\n').filter((l) => l.trim() !== '');
}

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("the README's output examples are what the tool prints", () => {
  it('the watch log', async () => {
    const s = await startServer({ token: 'readme-token-123456' });
    servers.push(s);
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token };
    const dir = tree({ 'dashboards/sales/revenue.yaml': dashboardYaml('Revenue') });
    expect((await run(dir, ['apply', '--yes'], env)).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'watch', '--settle', '100', '--interval', '0'], { cwd: dir, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (text: string): Promise<void> => {
      for (let i = 0; i < 500 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 20));
      expect(out).toContain(text);
    };
    await until('watching dashboards/');
    write(dir, 'dashboards/sales/new.yaml', dashboardYaml('New one'));
    await until('"New one"  created');
    write(
      dir,
      'dashboards/sales/revenue.yaml',
      read(dir, 'dashboards/sales/revenue.yaml').replace('SELECT 1', 'SELECT 2'),
    );
    await until('"Revenue"  updated');
    write(dir, 'dashboards/sales/bad.yaml', 'name: [\n');
    await until('bad.yaml:');
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    const lines = out.split('\n');
    for (const example of exampleAfter('### `dashsync watch`')) {
      expect(
        lines.some((l) => shape(example).test(l)),
        `${example}\n--- watch printed:\n${out}`,
      ).toBe(true);
    }
  });

  it('the plan', async () => {
    const s = await startServer({ token: 'readme-token-123456' });
    servers.push(s);
    const env = { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token };
    const dir = tree({
      'dashboards/operations/service-latency.yaml': dashboardYaml('Service Latency'),
      'dashboards/sales/keep.yaml': dashboardYaml('Keep'),
    });
    expect((await run(dir, ['apply', '--yes'], env)).code).toBe(0);
    await s.store.save('user', 'sales', { name: 'Old Board', definition: {} });
    write(
      dir,
      'dashboards/operations/service-latency.yaml',
      read(dir, 'dashboards/operations/service-latency.yaml').replace('SELECT 1', 'SELECT 24'),
    );
    write(dir, 'dashboards/sales/new-board.yaml', dashboardYaml('New Board'));
    const r = await run(dir, ['plan', '--prune'], env);
    const lines = r.stdout.split('\n');
    // The symbol lines, the reason and the summary; the diff's text depends on the content.
    const examples = exampleAfter('### `dashsync plan`').filter((l) =>
      /^ {2}[+~-] |^ {6}edited locally$|^Plan: /.test(l),
    );
    expect(examples).toHaveLength(5);
    for (const example of examples) {
      const pattern = shape(example.replace(/\(id [0-9a-f]+\.\.\., /, '(id 0-..., '));
      const loose = new RegExp(pattern.source.replace('\\(id 0-\\.\\.\\., ', '\\(id [0-9a-f-]+, '));
      expect(
        lines.some((l) => loose.test(l.trim())),
        `${example}\n--- plan printed:\n${r.stdout}`,
      ).toBe(true);
    }
  });
});
