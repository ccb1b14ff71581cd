import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardYaml, run, tree, useEmulators } from '../../helpers.js';

/*
 * Settings that would send a token, or files, where the user did not mean: a token goes only to
 * the URL of its own source, and a `projects:` key is a plain folder name.
 */

const server = useEmulators();
const TOKEN = 'shared-token-0123456789';

/** Two workspaces that accept the same token: what each received tells where the token went. */
async function twoWorkspaces() {
  return { production: await server({ token: TOKEN }), leftover: await server({ token: TOKEN }) };
}

const requests = (s: { stats: { list: number; get: number; save: number } }): number =>
  s.stats.list + s.stats.get + s.stats.save;

describe('token and URL come as a pair', () => {
  it('--env production takes the url of dashsync.yaml it inherits, never a leftover DASHSYNC_URL', async () => {
    const { production, leftover } = await twoWorkspaces();
    const dir = tree({
      'dashsync.yaml': `url: ${production.url}\nenvironments:\n  production:\n    token_env: PRODUCTION_TOKEN\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['apply', '--env', 'production', '--yes'], {
      DASHSYNC_URL: leftover.url,
      PRODUCTION_TOKEN: TOKEN,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(production.store.list('user', 'p')).toHaveLength(1);
    expect(requests(leftover)).toBe(0);
  });

  it('stops before any request when --env production names its token but the URL would come from DASHSYNC_URL', async () => {
    const { leftover } = await twoWorkspaces();
    const dir = tree({
      'dashsync.yaml': 'environments:\n  production:\n    token_env: PRODUCTION_TOKEN\n',
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['plan', '--env', 'production'], { DASHSYNC_URL: leftover.url, PRODUCTION_TOKEN: TOKEN });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the token from PRODUCTION_TOKEN (token_env of environment "production")');
    expect(r.stderr).toContain(`not with the URL from DASHSYNC_URL (${leftover.url})`);
    expect(r.stderr).toMatch(/hint: .*add url: to environment "production"/);
    expect(r.stderr).not.toContain(TOKEN);
    expect(requests(leftover)).toBe(0);
  });

  it('stops when a leftover DASHSYNC_URL and DASHSYNC_TOKEN pair meets an environment with a url but no token_env', async () => {
    const { production, leftover } = await twoWorkspaces();
    const dir = tree({
      'dashsync.yaml': `environments:\n  production:\n    url: ${production.url}\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['apply', '--env', 'production', '--yes'], {
      DASHSYNC_URL: leftover.url,
      DASHSYNC_TOKEN: TOKEN,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: the token from DASHSYNC_TOKEN belongs with DASHSYNC_URL (${leftover.url})`);
    expect(r.stderr).toContain(`not with the URL from environment "production" (${production.url})`);
    expect(requests(production) + requests(leftover)).toBe(0);
    // Without the leftover URL, DASHSYNC_TOKEN alone is a token of no workspace in particular.
    const ok = await run(dir, ['apply', '--env', 'production', '--yes'], { DASHSYNC_TOKEN: TOKEN });
    expect(ok.code, ok.stderr).toBe(0);
    expect(production.store.list('user', 'p')).toHaveLength(1);
  });

  it("stops when dashsync.yaml's token_env would go to DASHSYNC_URL instead of its own url", async () => {
    const { production, leftover } = await twoWorkspaces();
    const dir = tree({
      'dashsync.yaml': `url: ${production.url}\ntoken_env: PX_TOKEN\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['plan'], { DASHSYNC_URL: leftover.url, PX_TOKEN: TOKEN });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: the token from PX_TOKEN (token_env of dashsync.yaml) belongs with url: in dashsync.yaml (${production.url})`,
    );
    expect(requests(production) + requests(leftover)).toBe(0);
  });

  it("stops when dashsync.yaml's token_env, with no url: beside it, would go to DASHSYNC_URL; --url takes it", async () => {
    const { production, leftover } = await twoWorkspaces();
    const dir = tree({ 'dashsync.yaml': 'token_env: PX\n', 'dashboards/p/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['apply', '--yes'], { DASHSYNC_URL: leftover.url, PX: TOKEN });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: the token from PX (token_env of dashsync.yaml) belongs with dashsync.yaml, which names no url, not with the URL from DASHSYNC_URL (${leftover.url})`,
    );
    expect(r.stderr).toMatch(/hint: add url: to dashsync.yaml \(or pass --url\), or unset DASHSYNC_URL/);
    expect(r.stderr).not.toContain(TOKEN);
    expect(requests(leftover)).toBe(0);
    const typed = await run(dir, ['apply', '--yes', '--url', production.url], { PX: TOKEN });
    expect(typed.code, typed.stderr).toBe(0);
    expect(production.store.list('user', 'p')).toHaveLength(1);
  });

  it('stops when --url meets a DASHSYNC_URL and DASHSYNC_TOKEN pair, and runs with --token given too', async () => {
    const { production, leftover } = await twoWorkspaces();
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const env = { DASHSYNC_URL: leftover.url, DASHSYNC_TOKEN: TOKEN };
    const r = await run(dir, ['plan', '--url', production.url], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`not with the URL from --url (${production.url})`);
    expect(requests(production) + requests(leftover)).toBe(0);
    const ok = await run(dir, ['plan', '--url', production.url, '--token', TOKEN], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(requests(production)).toBeGreaterThan(0);
    expect(requests(leftover)).toBe(0);
  });

  it('keeps the documented pairs: DASHSYNC_URL with DASHSYNC_TOKEN over url:, and url: with a lone DASHSYNC_TOKEN', async () => {
    const { production, leftover } = await twoWorkspaces();
    const dir = tree({ 'dashsync.yaml': `url: ${production.url}\n`, 'dashboards/p/a.yaml': dashboardYaml('A') });
    const both = await run(dir, ['plan'], { DASHSYNC_URL: leftover.url, DASHSYNC_TOKEN: TOKEN });
    expect(both.code, both.stderr).toBe(0);
    expect(requests(leftover)).toBeGreaterThan(0);
    expect(requests(production)).toBe(0);
    const lone = await run(dir, ['plan'], { DASHSYNC_TOKEN: TOKEN });
    expect(lone.code, lone.stderr).toBe(0);
    expect(requests(production)).toBeGreaterThan(0);
  });
});

describe('projects: keys in dashsync.yaml', () => {
  it.each([
    ['../../escaped', 2, 3],
    ['/tmp/absolute', 2, 3],
    ['a/b', 2, 3],
    ['..', 2, 3],
    ['.hidden', 2, 3],
    ['con', 2, 3],
    ['trailing.', 2, 3],
    ['back\\\\slash', 2, 3],
  ])('refuses the key %j with its line and column, and writes nothing', async (key, line, col) => {
    const s = await server();
    await s.store.save('user', 'p1', { name: 'Remote', definition: {} });
    // The repository is two folders down, so that `../../escaped` from its dashboards folder is in `root`.
    const root = tree({ 'a/b/dashsync.yaml': `projects:\n  "${key}": p1\n` });
    const repo = join(root, 'a/b');
    for (const args of [['validate'], ['pull']]) {
      const r = await run(repo, args, s.env);
      expect(r.code, `${args[0]} ${key}`).toBe(1);
      expect(r.stderr, key).toMatch(new RegExp(`^dashsync\\.yaml:${line}:${col}: `, 'm'));
      expect(r.stderr).toContain('is not a plain folder name');
    }
    expect(readdirSync(root)).toEqual(['a']);
    expect(readdirSync(join(root, 'a'))).toEqual(['b']);
    expect(readdirSync(repo).sort()).toEqual(['dashsync.yaml']);
  });

  it('refuses a bad key under an environment too, at its position', async () => {
    const repo = tree({ 'dashsync.yaml': 'environments:\n  prod:\n    projects:\n      ../up: p1\n' });
    const r = await run(repo, ['validate'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^dashsync\.yaml:4:7: "environments\.prod\.projects" key "\.\.\/up" is not a plain folder name/m,
    );
  });
});
