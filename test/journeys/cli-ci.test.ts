import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { CLI, ROOT, dashboardYaml, read, run, tree, write } from '../helpers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(opts: Parameters<typeof startServer>[0] = {}) {
  const s = await startServer({ token: 'ci-token-1234567890', ...opts });
  servers.push(s);
  return Object.assign(s, { env: { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token } });
}

describe('saved plans', () => {
  it('applies exactly a saved plan, and the plan file holds no token', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    const planned = await run(dir, ['plan', '--out', 'plan.json'], s.env);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('Plan saved to plan.json');
    const text = read(dir, 'plan.json');
    expect(text).not.toContain(s.token);
    expect(JSON.parse(text)).toMatchObject({
      format: 'dashsync-plan/1',
      options: { prune: false },
      summary: { create: 2 },
    });
    expect(s.store.count()).toBe(0);
    const applied = await run(dir, ['apply', 'plan.json'], s.env);
    expect(applied.code).toBe(0);
    expect(s.store.count()).toBe(2);
  });

  it('refuses a stale plan and says what moved: a file, the workspace, a new change', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A'), 'dashboards/p/b.yaml': dashboardYaml('B') });
    await run(dir, ['apply', '--yes'], s.env);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    await run(dir, ['plan', '--out', 'plan.json'], s.env);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 2', 'SELECT 3'));
    const b = s.store.list('user', 'p').find((d) => d.name === 'B')!;
    await s.store.save('user', 'p', { id: b.id, name: 'B', definition: { changed: true } });
    write(dir, 'dashboards/p/c.yaml', dashboardYaml('C'));
    const saves = s.stats.save;
    const r = await run(dir, ['apply', 'plan.json'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: stale plan: plan.json no longer matches the files and the workspace; nothing was applied',
    );
    expect(r.stderr).toContain('~ dashboards/p/a.yaml: the file changed since the plan was made');
    expect(r.stderr).toContain('~ dashboards/p/b.yaml: a new change, not in the plan');
    expect(r.stderr).toContain('+ dashboards/p/c.yaml: a new change, not in the plan');
    expect(s.stats.save).toBe(saves);
  });
});

describe('CI integration', () => {
  it('prints the plan as Markdown with a collapsible diff per dashboard', async () => {
    const s = await server();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    await run(dir, ['apply', '--yes'], s.env);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('SELECT 1', 'SELECT 2'));
    const r = await run(dir, ['plan', '--format', 'markdown'], s.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### dashsync plan');
    expect(r.stdout).toContain('<details><summary><code>~</code> <code>dashboards/p/a.yaml</code>');
    expect(r.stdout).toContain('```diff\n@@');
    expect(r.stdout).toContain('+      query: SELECT 2');
    expect(r.stderr).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
  });

  it('in GitHub Actions, turns invalid files into annotations and appends plan and apply summaries', async () => {
    const s = await server();
    const dir = tree({
      'dashboards/p/a.yaml': dashboardYaml('A'),
      'dashboards/p/bad.yaml': 'name: Bad\ndefinition: {}\nextra: 1\n',
    });
    const gh = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') };
    const v = await run(dir, ['validate'], { ...s.env, ...gh });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('::error file=dashboards/p/bad.yaml,line=3,col=1,title=dashsync::unknown key "extra"');
    const p = await run(dir, ['plan'], { ...s.env, ...gh });
    expect(p.stdout).toContain('::error file=dashboards/p/bad.yaml,line=3,col=1');
    write(dir, 'dashboards/p/bad.yaml', dashboardYaml('Good now'));
    await run(dir, ['plan'], { ...s.env, ...gh });
    await run(dir, ['apply', '--yes'], { ...s.env, ...gh });
    const summary = read(dir, 'summary.md');
    expect(summary).toContain('### dashsync plan');
    expect(summary).toContain('### dashsync apply');
    expect(summary).toContain('**Apply complete: 2 created, 0 updated, 0 deleted.**');
  });

  it('ships CI examples whose YAML parses and whose dashsync calls use real commands and flags', async () => {
    for (const file of ['github-actions.yml', 'gitlab-ci.yml']) {
      const text = readFileSync(join(ROOT, 'examples', 'ci', file), 'utf8');
      const doc = parse(text) as Record<string, unknown>;
      expect(doc).toBeTypeOf('object');
      const calls = [...text.matchAll(/npx dashsync ([a-z]+)([^\n|>]*)/g)];
      expect(calls.length).toBeGreaterThan(2);
      for (const [, command, rest] of calls) {
        const help = execFileSync(process.execPath, [CLI, command!, '--help'], { encoding: 'utf8' });
        for (const flag of rest!.match(/--[a-z-]+/g) ?? [])
          expect(help, `${file}: dashsync ${command} ${flag}`).toContain(flag);
      }
    }
    const gh = parse(readFileSync(join(ROOT, 'examples', 'ci', 'github-actions.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    expect(Object.keys(gh.jobs)).toEqual(['plan', 'apply']);
    expect(gh.jobs.apply!.steps.some((st) => st.run === 'npx dashsync apply plan.json')).toBe(true);
  });
});

describe('terminal manners', () => {
  it('suggests the right command or flag for a typo', async () => {
    const dir = tree();
    const cmd = await run(dir, ['plna']);
    expect(cmd.code).toBe(1);
    expect(cmd.stderr).toContain('(Did you mean plan?)');
    const flag = await run(dir, ['plan', '--detaild-exitcode']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('(Did you mean --detailed-exitcode?)');
  });

  it('has --help with an example for every command', async () => {
    for (const c of ['init', 'validate', 'plan', 'apply', 'pull', 'watch', 'migrate', 'serve']) {
      const r = await run(tree(), [c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/Examples?:\n\s+\$ .*dashsync /);
    }
  });
});

describe('init', () => {
  it('scaffolds a repository that validates, and prints the next three commands', async () => {
    const dir = tree({ '.gitignore': 'node_modules/\n' });
    const r = await run(dir, ['init', '--url', 'https://px.example.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created dashsync.yaml');
    expect(r.stdout).toMatch(/Next:\n(\s+.+\n){3}/);
    expect(read(dir, 'dashsync.yaml')).toContain('url: "https://px.example.com"');
    expect(read(dir, '.gitignore')).toBe("node_modules/\n# dashsync's local sync state (safe to delete)\n.dashsync/\n");
    expect(existsSync(join(dir, 'dashboards'))).toBe(true);
    expect((await run(dir, ['validate'])).code).toBe(0);
    const again = await run(dir, ['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('dashsync.yaml already exists');
    expect((await run(dir, ['init', '--force', '--json'])).stdout).toContain('"created"');
  });
});

// The /apps API: see cli-apps.test.ts. Packaging: see install.test.ts.
