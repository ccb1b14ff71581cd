import { describe, expect, it } from 'vitest';
import { requireRemote, resolveSettings } from '../../src/config/resolve.js';
import { FileError, UsageError } from '../../src/errors.js';
import { isInsecure, normalizeBaseUrl } from '../../src/remote/url.js';
import { tree } from '../helpers.js';

const config = `url: https://file.example/api/v1
scope: organization
dir: boards
token_env: FILE_TOKEN
projects:
  sales: 11111111-aaaa
environments:
  prod:
    url: https://prod.example
    token_env: PROD_TOKEN
    projects:
      sales: 22222222-bbbb
`;

describe('URL normalisation', () => {
  it.each([
    'https://api.prometheux.ai/jarvispy/org/user',
    'https://api.prometheux.ai/jarvispy/org/user/',
    'https://api.prometheux.ai/jarvispy/org/user/api/v1',
    'https://api.prometheux.ai/jarvispy/org/user/api/v1/',
  ])('treats %s as the same base', (u) => {
    expect(normalizeBaseUrl(u)).toBe('https://api.prometheux.ai/jarvispy/org/user/api/v1');
  });

  it('adds /api/v1 to a bare self-hosted host', () => {
    expect(normalizeBaseUrl('https://px.internal')).toBe('https://px.internal/api/v1');
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => normalizeBaseUrl('ftp://x')).toThrow(UsageError);
    expect(() => normalizeBaseUrl('not a url')).toThrow(/is not a URL/);
  });

  it('flags plain http to another machine but not loopback', () => {
    expect(isInsecure('http://px.example/api/v1')).toBe(true);
    expect(isInsecure('http://127.0.0.1:4010/api/v1')).toBe(false);
    expect(isInsecure('http://localhost/api/v1')).toBe(false);
    expect(isInsecure('https://px.example/api/v1')).toBe(false);
  });
});

describe('settings resolution', () => {
  it('uses defaults when nothing is set', () => {
    const cwd = tree();
    const s = resolveSettings({}, cwd, {});
    expect(s).toMatchObject({ scope: 'user', concurrency: 32, projects: {}, dir: `${cwd}/dashboards` });
    expect(s.url).toBeUndefined();
  });

  it('reads the config file, with the token from the variable it names', () => {
    const cwd = tree({ 'dashsync.yaml': config });
    const s = resolveSettings({}, cwd, { FILE_TOKEN: 'from-file-var' });
    expect(s).toMatchObject({
      url: 'https://file.example/api/v1',
      scope: 'organization',
      dir: `${cwd}/boards`,
      token: 'from-file-var',
      projects: { sales: '11111111-aaaa' },
    });
  });

  it('lets the environment win over the config file, and flags over both', () => {
    const cwd = tree({ 'dashsync.yaml': config });
    const env = { DASHSYNC_URL: 'https://env.example', DASHSYNC_TOKEN: 'env-token', FILE_TOKEN: 'file-token' };
    expect(resolveSettings({}, cwd, env)).toMatchObject({ url: 'https://env.example/api/v1', token: 'env-token' });
    expect(
      resolveSettings({ url: 'https://flag.example', token: 'flag-token', scope: 'user', dir: 'x' }, cwd, env),
    ).toMatchObject({ url: 'https://flag.example/api/v1', token: 'flag-token', scope: 'user', dir: `${cwd}/x` });
  });

  it("honours Prometheux's JARVISPY_URL and PMTX_TOKEN after dashsync's own variables", () => {
    const cwd = tree();
    expect(
      resolveSettings({}, cwd, { JARVISPY_URL: 'https://j.example/jarvispy/o/u', PMTX_TOKEN: 'pmtx' }),
    ).toMatchObject({ url: 'https://j.example/jarvispy/o/u/api/v1', token: 'pmtx' });
    expect(
      resolveSettings({}, cwd, {
        JARVISPY_URL: 'https://j.example',
        DASHSYNC_URL: 'https://d.example',
        PMTX_TOKEN: 'pmtx',
        DASHSYNC_TOKEN: 'ds',
      }),
    ).toMatchObject({ url: 'https://d.example/api/v1', token: 'ds' });
  });

  it('selects an environment with --env, whose url, token variable and projects override the top level', () => {
    const cwd = tree({ 'dashsync.yaml': config });
    const s = resolveSettings({ env: 'prod' }, cwd, {
      PROD_TOKEN: 'prod-token',
      DASHSYNC_URL: 'https://staging.example',
      DASHSYNC_TOKEN: 'staging',
    });
    expect(s).toMatchObject({
      url: 'https://prod.example/api/v1',
      token: 'prod-token',
      scope: 'organization',
      projects: { sales: '22222222-bbbb' },
      env: 'prod',
    });
  });

  it('names the defined environments when --env is unknown', () => {
    const cwd = tree({ 'dashsync.yaml': config });
    expect(() => resolveSettings({ env: 'qa' }, cwd, {})).toThrow(/environment "qa" is not defined/);
  });

  it('says which variable or flag to set when the URL or token is missing', () => {
    const cwd = tree({ 'dashsync.yaml': 'token_env: MY_TOKEN\n' });
    expect(() => requireRemote(resolveSettings({}, cwd, {}))).toThrow(
      'no API URL: set DASHSYNC_URL, pass --url, or add url: to dashsync.yaml',
    );
    expect(() => requireRemote(resolveSettings({ url: 'https://x' }, cwd, {}))).toThrow(
      'no API token: set DASHSYNC_TOKEN or PMTX_TOKEN or MY_TOKEN (or pass --token)',
    );
  });

  it('warns that plain http to another host sends the token in clear text', () => {
    expect(resolveSettings({ url: 'http://px.example' }, tree(), {}).warnings.join()).toMatch(/clear text/);
  });

  it.each([
    ['url: https://x\ntoken: abc\n', 2, 1, 'unknown key "token"'],
    ['scope: everyone\n', 1, 8, '"scope" must be one of "user", "organization"'],
    ['projects:\n  sales: 12\n', 2, 10, '"projects.sales" must be a string'],
    ['environments:\n  prod:\n    dir: x\n', 3, 5, 'unknown key "dir" in "environments.prod"'],
    ['concurrency: lots\n', 1, 14, '"concurrency" must be a whole number'],
    ['variables:\n  n: 9007199254740993\n', 2, 6, '9007199254740993 is too large to be held exactly'],
    ['url: [\n', 2, 1, ''],
  ])('rejects a bad config file %j at its line and column', (text, line, col, message) => {
    const cwd = tree({ 'dashsync.yaml': text });
    try {
      resolveSettings({}, cwd, {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FileError);
      expect((e as FileError).problems[0]).toMatchObject({ path: 'dashsync.yaml', line, col });
      expect((e as FileError).problems[0]!.message).toContain(message);
    }
  });

  it('names a variable whose name is refused, once, at the key, with the rule', () => {
    const cwd = tree({ 'dashsync.yaml': 'variables:\n  ok_1: a\n  a-b: x\n' });
    try {
      resolveSettings({}, cwd, {});
      expect.unreachable();
    } catch (e) {
      expect((e as FileError).problems).toEqual([
        {
          path: 'dashsync.yaml',
          line: 3,
          col: 3,
          message: 'key "a-b" in "variables" is not a valid name: letters, digits and _, not starting with a digit',
        },
      ]);
    }
  });

  it('rejects a bad --concurrency', () => {
    expect(() => resolveSettings({ concurrency: '0' }, tree(), {})).toThrow(/--concurrency must be a whole number/);
  });
});
