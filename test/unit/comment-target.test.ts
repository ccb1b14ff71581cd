import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentTarget } from '../../src/ci/target.js';
import { tree } from '../helpers.js';

/*
 * Where `dashsync comment` posts, in process: the platform and the pull request from the CI's own
 * variables; the token sent only to the API URL of the same source; nothing outside a pull request.
 */

const event = (value: unknown): string => {
  const path = join(tree(), 'event.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const github = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/dash', GITHUB_TOKEN: 'ghs_x' };

describe('where a comment goes', () => {
  it('is the pull request of a GitHub event, or the pull request an issue comment is on', () => {
    expect(commentTarget({}, { ...github, GITHUB_EVENT_PATH: event({ pull_request: { number: 4 } }) })).toMatchObject({
      platform: 'github',
      apiUrl: 'https://api.github.com',
      repo: 'acme/dash',
      number: 4,
      tokenEnv: 'GITHUB_TOKEN',
      limit: { max: 65_536 },
    });
    const onIssue = { issue: { number: 9, pull_request: { url: 'x' } } };
    expect(commentTarget({}, { ...github, GITHUB_EVENT_PATH: event(onIssue) })).toMatchObject({ number: 9 });
    const push = { ...github, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event({ ref: 'refs/heads/main' }) };
    expect(commentTarget({}, push)).toEqual({ none: 'this run is not about a pull request (event push)' });
  });

  it("is GitLab's merge request, through CI_API_V4_URL, with a GitLab token and a note's limit", () => {
    const gitlab = {
      GITLAB_CI: 'true',
      CI_API_V4_URL: 'https://gitlab.example/api/v4/',
      CI_PROJECT_ID: '7',
      CI_MERGE_REQUEST_IID: '3',
    };
    expect(commentTarget({}, { ...gitlab, GITLAB_TOKEN: 'glpat' })).toMatchObject({
      platform: 'gitlab',
      apiUrl: 'https://gitlab.example/api/v4',
      number: 3,
      limit: { max: 1_000_000 },
    });
    expect(commentTarget({}, { ...gitlab, CI_MERGE_REQUEST_IID: '' })).toEqual({
      none: 'this pipeline is not for a merge request (no CI_MERGE_REQUEST_IID)',
    });
  });

  it("sends the CI's token only to the CI's API: another URL needs a token named for it, and https", () => {
    const env = { ...github, GITHUB_EVENT_PATH: event({ pull_request: { number: 4 } }), OTHER: 'tok' };
    expect(() => commentTarget({ apiUrl: 'https://ghe.example/api/v3' }, env)).toThrow('--api-url needs --token-env');
    expect(commentTarget({ apiUrl: 'https://ghe.example/api/v3', tokenEnv: 'OTHER' }, env)).toMatchObject({
      apiUrl: 'https://ghe.example/api/v3',
      token: 'tok',
      tokenEnv: 'OTHER',
    });
    expect(() => commentTarget({}, { ...env, GITHUB_API_URL: 'http://ghe.example/api/v3' })).toThrow(
      'GITHUB_API_URL must be an https:// URL (plain http only to this machine)',
    );
    expect(commentTarget({}, { ...env, GITHUB_API_URL: 'http://127.0.0.1:8080' })).toMatchObject({
      apiUrl: 'http://127.0.0.1:8080',
    });
  });

  it('names what is missing: the platform, the token', () => {
    expect(() => commentTarget({}, {})).toThrow('no CI platform to comment on');
    expect(() => commentTarget({ platform: 'bitbucket' }, {})).toThrow(
      '--platform must be github or gitlab, not "bitbucket"',
    );
    const noToken = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'a/b',
      GITHUB_EVENT_PATH: event({ pull_request: { number: 1 } }),
    };
    expect(() => commentTarget({}, noToken)).toThrow('no GitHub token: GITHUB_TOKEN is not set');
  });
});
