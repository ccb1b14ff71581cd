import type { Command } from 'commander';
import { deployStepsOf } from '../core/deploy.js';
import { definedOnly } from '../util/defined.js';
import { commonOptions, outputFor, withGlobals } from './shared.js';
import type { GlobalCliOptions } from './shared.js';

/** The flags of `dashsync comment`, as Commander parses them. */
type CommentCliOptions = GlobalCliOptions & {
  prune?: boolean;
  force?: boolean;
  publish?: boolean;
  bookmark?: string;
  platform?: string;
  repo?: string;
  pr?: string;
  apiUrl?: string;
  tokenEnv?: string;
  artifactUrl?: string;
};

/** Defines `dashsync comment`: its flags, help and what it runs. */
export function commentCommand(program: Command): void {
  withGlobals(
    program
      .command('comment')
      .argument('[planfile]', 'a plan saved by `plan --out`: post exactly it (made again; refused if stale)')
      .description(
        'post the plan as one pull-request comment (GitHub) or merge-request note (GitLab), updated on every run',
      )
      .option('--prune', 'the plan deletes remote dashboards that have no file (as plan --prune)')
      .option('--force', 'as plan --force')
      .option('--publish', 'api: apps: as plan --publish')
      .option('--bookmark <label>', 'api: apps: as plan --bookmark')
      .option('--platform <name>', 'github or gitlab (default: told by GITHUB_ACTIONS or GITLAB_CI)')
      .option(
        '--repo <repo>',
        'GitHub owner/name, or GitLab project id or path (default: GITHUB_REPOSITORY, CI_PROJECT_ID)',
      )
      .option('--pr <number>', "the pull request's number or merge request's iid (default: the CI run's own)")
      .option('--api-url <url>', "the platform's API (default: GITHUB_API_URL, CI_API_V4_URL); needs --token-env")
      .option('--token-env <name>', 'the variable holding the token (default: GITHUB_TOKEN, GITLAB_TOKEN)')
      .option(
        '--artifact-url <url>',
        "where the whole plan is, named when the comment is cut to fit (default: the run's artifacts)",
      )
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ dashsync plan --env production --out plan.json && dashsync comment plan.json',
          '  $ GITLAB_TOKEN=... dashsync comment --env production',
        ].join('\n'),
      ),
  ).action(async (planfile: string | undefined, options: CommentCliOptions) => {
    const output = await outputFor('comment', options);
    const [{ comment }, { commentMarkdown }] = await Promise.all([
      import('../commands/comment.js'),
      import('../report/plan-markdown.js'),
    ]);
    const { platform, repo, pr, apiUrl, tokenEnv, artifactUrl } = options;
    const result = await comment({
      ...commonOptions(options, output.reporter),
      prune: options.prune === true,
      force: options.force === true,
      ...deployStepsOf(options),
      ...(planfile ? { planFile: planfile } : {}),
      target: definedOnly({ platform, repo, pr, apiUrl, tokenEnv, artifactUrl }),
      render: commentMarkdown,
    });
    await output.end({ command: 'comment', result });
  });
}
