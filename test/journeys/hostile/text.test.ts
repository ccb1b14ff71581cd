import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, run, tree, useEmulators, write } from '../../helpers.js';
import type { RunResult } from '../../helpers.js';
import { expectInertOutput } from './fixtures.js';

/*
 * Text from files and from the server reaches a terminal and a CI log: control characters,
 * escape sequences, bidi overrides and GitHub's workflow-command forms (`::error::` starting a
 * line, `##[error]` anywhere) are shown inert, by one function, in every command's output.
 */

const server = useEmulators();
const ESC = '\u001b';

/** A folder whose file and folder names try to drive a terminal and a GitHub Actions log. */
function hostileFolder(): string {
  const dir = tree({
    [`dashboards/p/evil${ESC}[31mred${ESC}]0;title\u0007.yaml`]: dashboardYaml('A'),
    'dashboards/p/a\n::warning file=x::pwned.yaml': dashboardYaml('B'),
    'dashboards/p/b\r::error::cr ##[error]old.yaml': dashboardYaml('C'),
    'dashboards/p/rtl\u202egnp.yaml': dashboardYaml('D'),
    'dashboards/::notice::folder/x.yaml': dashboardYaml('E'),
  });
  return dir;
}

describe('names from disk', () => {
  it('are inert in validate, plan and apply output, also with --dir . (a name then starts the line)', async () => {
    const s = await server();
    const dir = hostileFolder();
    write(dir, 'dashboards/p/c\n::error::bad.yaml', 'name: [\n');
    const outputs = [
      await run(dir, ['validate'], s.env),
      await run(join(dir, 'dashboards'), ['validate', '--dir', '.']),
    ];
    for (const r of outputs) {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/c\\x0a::error::bad\.yaml:2:1: /);
      expectInertOutput(r);
    }
    write(dir, 'dashboards/p/c\n::error::bad.yaml', dashboardYaml('F'));
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('+ dashboards/p/evil\\x1b[31mred\\x1b]0;title\\x07.yaml');
    expect(plan.stdout).toContain('+ dashboards/p/rtl\\u202egnp.yaml');
    expectInertOutput(plan);
    const apply = await run(join(dir, 'dashboards'), ['apply', '--dir', '.', '--yes'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('ok  created \\x3a:notice::folder/x.yaml');
    expect(apply.stdout).toContain('b\\x0d::error::cr #\\x23[error]old.yaml');
    expectInertOutput(apply);
    expect(s.store.list('user')).toHaveLength(6);
  });

  it('are escaped as GitHub documents in annotations: one line per problem, properties and data escaped', async () => {
    const dir = tree({ 'dashboards/p/a\n::warning::x,y%.yaml': 'name: [\n' });
    const r = await run(join(dir, 'dashboards'), ['validate', '--dir', '.'], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    const commands = r.stdout.split('\n').filter((line) => /^\s*::/.test(line));
    expect(commands).toEqual([
      '::error file=p/a\\x0a%3A%3Awarning%3A%3Ax%2Cy%25.yaml,line=2,col=1,title=dashsync::' +
        'Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });
});

describe('names from disk in Markdown', () => {
  it('are inert in plan and apply --format markdown and in the GitHub job summary, with a YAML block that holds a workflow command', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/y\n::error title=T::injected.yaml': dashboardYaml('A'),
      [`dashboards/p/e${ESC}[31mred.yaml`]: dashboardYaml('B'),
      'dashboards/p/block.yaml': 'name: C\ndefinition:\n  text: |\n    first\n    ::error::in a block\n',
    });
    const summary = join(dir, 'summary.md');
    const ci = { ...s.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const plan = await run(dir, ['plan', '--format', 'markdown'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('`dashboards/p/y\\x0a::error title=T::injected.yaml`');
    expect(plan.stdout).toContain('`dashboards/p/e\\x1b[31mred.yaml`');
    expectInertOutput(plan);
    expect((await run(dir, ['plan'], ci)).code).toBe(0);
    const asOutput = (text: string): RunResult => ({ code: 0, stdout: text, stderr: '' });
    expect(readFileSync(summary, 'utf8')).toContain('y\\x0a::error title=T::injected.yaml');
    expectInertOutput(asOutput(readFileSync(summary, 'utf8')));
    const apply = await run(dir, ['apply', '--yes', '--format', 'markdown'], ci);
    expect(apply.code, apply.stderr).toBe(0);
    expectInertOutput(apply);
    expectInertOutput(asOutput(readFileSync(summary, 'utf8')));
    expect(s.store.list('user')).toHaveLength(3);
  });
});

describe('names from the server', () => {
  it('are inert in plan, pull and apply output', async () => {
    const s = await server();
    for (const name of [`${ESC}]0;pwned\u0007${ESC}[2J`, '::error::from the server', 'x ##[error]y', 'bidi \u202eevil'])
      await s.store.save('user', 'p', { name, definition: {} });
    const dir = tree({ 'dashboards/p/mine.yaml': dashboardYaml('Mine') });
    mkdirSync(join(dir, 'dashboards/q'));
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.stdout).toContain('"::error::from the server"');
    expectInertOutput(plan);
    const pull = await run(dir, ['pull', '--dir', 'pulled'], s.env);
    expect(pull.code, pull.stderr).toBe(0);
    expectInertOutput(pull);
    const apply = await run(dir, ['apply', '--prune', '--yes', '--debug'], s.env);
    expect(apply.code, apply.stderr).toBe(0);
    expectInertOutput(apply);
  });

  it('are inert in --json output too, and a JSON reader gets them back exactly', async () => {
    const s = await server();
    const names = ['x ##[error]y', 'bidi \u202eevil', 'c1 \u009b31m', `esc ${ESC}[2J`];
    for (const name of names) await s.store.save('user', 'p', { name, definition: {} });
    const dir = tree({ 'dashboards/p/mine.yaml': dashboardYaml('Mine') });
    const plan = await run(dir, ['plan', '--json'], s.env);
    expect(plan.code, plan.stderr).toBe(0);
    expectInertOutput(plan);
    const unmanaged = (JSON.parse(plan.stdout) as { unmanaged: Array<{ name: string }> }).unmanaged;
    expect(unmanaged.map((u) => u.name).sort()).toEqual([...names].sort());
  });
});
