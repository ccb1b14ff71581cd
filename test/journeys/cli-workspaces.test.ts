import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/emulator/server.js';
import type { RunningServer } from '../../src/emulator/server.js';
import { dashboardYaml, read, run, tree, write, namesIn } from '../helpers.js';

/* Journeys across workspaces: migrations, environments' tokens, scopes, and --project typos. */

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(token: string): Promise<RunningServer> {
  const s = await startServer({ token });
  servers.push(s);
  return s;
}

const names = namesIn;

describe('migrate between two workspaces', () => {
  it("places source projects that staging does not map where production's projects: map sends the same folder name", async () => {
    const staging = await server('staging-token-123456');
    const production = await server('production-token-654321');
    await staging.store.save('user', 'sales', { name: 'Revenue', definition: { w: 1 } });
    await staging.store.save('user', 'sales', { name: 'Pipeline', definition: { w: 2 } });
    await staging.store.save('user', 'ops', { name: 'Latency', definition: { w: 3 } });
    const dir = tree({
      'dashsync.yaml': `environments:\n  staging:\n    url: ${staging.url}\n    token_env: STAGING_TOKEN\n  production:\n    url: ${production.url}\n    token_env: PRODUCTION_TOKEN\n    projects: { sales: prod-sales }\n`,
    });
    const env = { STAGING_TOKEN: staging.token, PRODUCTION_TOKEN: production.token };
    const r = await run(dir, ['migrate', '--from', 'staging', '--to', 'production', '--yes'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(names(production, 'prod-sales')).toEqual(['Pipeline', 'Revenue']);
    expect(names(production, 'sales')).toEqual([]);
    expect(names(production, 'ops')).toEqual(['Latency']);
    // A second run is a no-op, and says so in the words of a migration.
    const again = await run(
      dir,
      ['migrate', '--from', 'staging', '--to', 'production', '--dry-run', '--detailed-exitcode'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. The target matches staging.');
  });

  it('speaks of the source, not of files: a first copy is not "created again", and a clash names the project to copy into', async () => {
    const staging = await server('staging-token-123456');
    const production = await server('production-token-654321');
    const d = await staging.store.save('user', 'sales', { name: 'Revenue', definition: { w: 1 } });
    await staging.store.save('user', 'sales', { name: 'Pipeline', definition: { w: 2 } });
    // The same dashboard already lives in production, in another project.
    await production.store.save('user', 'elsewhere', { id: d.id, name: 'Revenue', definition: { w: 1 } });
    await production.store.save('user', 'sales', { name: 'Old', definition: {} });
    const dir = tree({
      'dashsync.yaml': `environments:\n  staging: { url: "${staging.url}", token_env: S }\n  production: { url: "${production.url}", token_env: P }\n`,
    });
    const r = await run(dir, ['migrate', '--from', 'staging', '--to', 'production', '--dry-run'], {
      S: staging.token,
      P: production.token,
    });
    expect(r.stdout).toContain('Migrating 2 dashboards from staging');
    expect(r.stdout).not.toMatch(/created again|move the file|no file/);
    expect(r.stdout).toContain(`dashboard ${d.id} already exists in production, in project elsewhere, not sales`);
    expect(r.stdout).toContain('In the target, not in staging (kept; --prune would delete them):');
    expect(r.code).toBe(1);
  });

  it('refuses --project naming a project the source does not have, naming it', async () => {
    const staging = await server('staging-token-123456');
    const production = await server('production-token-654321');
    await staging.store.save('user', 'sales', { name: 'Revenue', definition: {} });
    const dir = tree({
      'dashsync.yaml': `environments:\n  staging: { url: "${staging.url}", token_env: S }\n  production: { url: "${production.url}", token_env: P }\n`,
    });
    const r = await run(
      dir,
      ['migrate', '--from', 'staging', '--to', 'production', '--project', 'nosuch=x', '--dry-run'],
      { S: staging.token, P: production.token },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: project "nosuch" has no dashboards in staging (scope user)');
    expect(r.stderr).toContain('hint: projects in staging: sales');
  });
});

describe('environment tokens', () => {
  it('never falls back to DASHSYNC_TOKEN for an environment that names token_env: it stops, naming the variable', async () => {
    const staging = await server('staging-token-123456');
    const production = await server('staging-token-123456'); // would accept the staging token
    const dir = tree({
      'dashsync.yaml': `environments:\n  production:\n    url: ${production.url}\n    token_env: PRODUCTION_TOKEN\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['plan', '--env', 'production'], { DASHSYNC_TOKEN: staging.token });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: no API token: environment "production" takes its token from PRODUCTION_TOKEN, which is not set',
    );
  });

  it('names the variable actually used when the token is rejected', async () => {
    const production = await server('production-token-654321');
    const dir = tree({
      'dashsync.yaml': `environments:\n  production:\n    url: ${production.url}\n    token_env: PRODUCTION_TOKEN\n`,
      'dashboards/p/a.yaml': dashboardYaml('A'),
    });
    const r = await run(dir, ['plan', '--env', 'production'], {
      PRODUCTION_TOKEN: 'expired-token-000000',
      DASHSYNC_TOKEN: production.token,
      DASHSYNC_RETRIES: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'hint: the token was rejected (missing, expired or revoked): set PRODUCTION_TOKEN to a valid token',
    );
  });
});

describe('a folder and its scope', () => {
  it('remembers the scope it was pulled with: a bare plan is a no-op in that scope, and another scope is refused', async () => {
    const s = await server('token-abcdef-123456');
    await s.store.save('organization', 'shared', { name: 'Team board', definition: { w: 1 } });
    const dir = tree();
    const env = { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token };
    expect((await run(dir, ['pull', '--scope', 'organization'], env)).code).toBe(0);
    expect(read(dir, 'dashboards/shared/team-board.yaml')).toContain('Team board');
    const plan = await run(dir, ['plan', '--detailed-exitcode'], env);
    expect(plan.stdout).toContain('No changes. Remote matches local files.');
    expect(plan.code).toBe(0);
    const other = await run(dir, ['apply', '--scope', 'user', '--yes'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('error: dashboards is synced with scope organization');
    expect(other.stderr).toContain('refusing to mix them in one folder');
    expect(s.store.list('user')).toEqual([]);
    expect(existsSync(join(dir, '.dashsync', 'binding.json'))).toBe(true);
  });

  it('remembers the api too: dashsync.yaml switching to api: apps on a folder synced through /dashboards is refused', async () => {
    const s = await server('token-abcdef-123456');
    await s.store.save('user', 'p', { name: 'A', definition: {} });
    const dir = tree();
    const env = { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token };
    expect((await run(dir, ['pull'], env)).code).toBe(0);
    write(dir, 'dashsync.yaml', 'api: apps\n');
    const r = await run(dir, ['plan'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: dashboards is synced with api dashboards');
  });
});

describe('--project names something that exists', () => {
  it('plan --project with no such folder is an error naming it', async () => {
    const s = await server('token-abcdef-123456');
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['plan', '--project', 'nosuch'], { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --project "nosuch": no such project folder in dashboards');
    expect(r.stderr).toContain('hint: project folders here: sales');
  });

  it('validate --project with no such folder is an error naming it, not "0 files valid"', async () => {
    const dir = tree({ 'dashboards/sales/a.yaml': dashboardYaml('A') });
    const r = await run(dir, ['validate', '--project', 'nosuch']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --project "nosuch": no such project folder in dashboards');
    expect((await run(dir, ['validate', '--project', 'sales'])).code).toBe(0);
  });

  it('pull --project of a project absent from this scope is an error naming it, and writes nothing', async () => {
    const s = await server('token-abcdef-123456');
    await s.store.save('user', 'sales', { name: 'Revenue', definition: {} });
    const dir = tree();
    const r = await run(dir, ['pull', '--project', 'nosuch'], { DASHSYNC_URL: s.url, DASHSYNC_TOKEN: s.token });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --project "nosuch": no such project in the workspace (scope user)');
    expect(existsSync(join(dir, 'dashboards'))).toBe(false);
  });
});
