import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { ensureFile, writeFileAtomic } from '../local/fsutil.js';
import { STATE_DIR } from '../local/state.js';
import { packageRoot } from '../util/package-root.js';
import type { InitOptions } from '../contract/options.js';
import { silentReporter } from '../contract/reporter.js';
import type { InitResult } from '../contract/results.js';

/** Where editors find the schemas in the layout the README recommends: dashsync as a dev dependency. */
const INSTALLED_SCHEMAS = './node_modules/dashsync/schemas';

/**
 * The schema folder as the repository at `cwd` should name it: this package's own folder when it is
 * installed inside the repository (a relative path that works for everyone who clones it), else the
 * recommended layout's path, which resolves once the repository installs dashsync.
 */
export function schemaFolderFor(cwd: string): { path: string; resolves: boolean } {
  const own = join(packageRoot(), 'schemas');
  const fromCwd = relative(cwd, own).split('\\').join('/');
  if (fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd)) return { path: `./${fromCwd}`, resolves: true };
  return { path: INSTALLED_SCHEMAS, resolves: false };
}

/** dashsync.yaml as init writes it: every key explained, the optional ones commented out. */
const configTemplate = (
  url: string | undefined,
  schemas: string,
): string => `# yaml-language-server: $schema=${schemas}/config.schema.json
# dashsync configuration. Reference: the README's "Configuration" section.

# Base URL of the Prometheux Dashboards API (with or without /api/v1).
# DASHSYNC_URL (or --url) overrides it.
${url ? `url: ${JSON.stringify(url)}` : '# url: https://api.prometheux.ai/jarvispy/my-org/my-user'}

# user or organization. Left unset, a folder uses the scope it was last synced with (a pull
# --scope organization binds it; see "Sync state"), else user. Set, it is a choice every run
# keeps: a folder synced with the other scope is then refused rather than mixed.
# scope: user

# What plan, apply and watch do with drift (a dashboard changed in the workspace while its file
# did not): revert it to the file, keep it and say so, or fail naming it. Default: revert for
# plan and apply, keep for watch; --drift overrides it. CI deploying reviewed plans wants fail.
# drift: revert

# Which API: dashboards (the default) or apps, its documented successor, where each file's
# definition is an app definition (schema version 2), validated offline and with publish/bookmark.
# api: apps

# One sub-folder per project, one YAML file per dashboard.
dir: dashboards

# The token never lives in this file. Name the variable that holds it
# (DASHSYNC_TOKEN and PMTX_TOKEN are always looked at too).
# token_env: PX_TOKEN

# Project folder name -> project id. Folders not listed are used as project ids themselves.
# projects:
#   sales: 3f0c2d4e-0000-0000-0000-000000000000

# Values for \${{ var.NAME }} placeholders in dashboard files.
# variables:
#   datasource: analytics

# Named workspaces, selected with --env NAME; their keys override the ones above.
# environments:
#   staging:
#     url: https://px-staging.example.com
#     token_env: STAGING_TOKEN
#   production:
#     url: https://px.example.com
#     token_env: PRODUCTION_TOKEN
#     projects:
#       sales: 9a8b7c6d-0000-0000-0000-000000000000
`;

/** Scaffolds a dashsync repository: dashsync.yaml with comments, the dashboards folder, a .gitignore entry. */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const reporter = options.reporter ?? silentReporter;
  const created: string[] = [];
  const updated: string[] = [];
  const config = join(cwd, 'dashsync.yaml');
  if (existsSync(config) && !options.force)
    throw new UsageError('dashsync.yaml already exists; nothing was changed', 'pass --force to overwrite it');
  const schemas = schemaFolderFor(cwd);
  // init writes where it is run, and into its dashboards folder: never through a link.
  const fence = { folder: cwd, linkAllowed: true };
  await writeFileAtomic(config, configTemplate(options.url, schemas.path), { fence });
  created.push('dashsync.yaml');
  if (!existsSync(join(cwd, 'dashboards'))) {
    await ensureFile(join(cwd, 'dashboards', '.gitkeep'), '', fence);
    created.push('dashboards/');
  }
  const gitignore = join(cwd, '.gitignore');
  const current = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : undefined;
  const lines = new Set((current ?? '').split('\n').map((line) => line.trim().replace(/^\//, '')));
  let added = '';
  if (!lines.has(`${STATE_DIR}/`) && !lines.has(STATE_DIR))
    added += `# dashsync's local sync state (safe to delete)\n${STATE_DIR}/\n`;
  // A repository that installs dashsync as a dev dependency must not commit what npm installs.
  if (existsSync(join(cwd, 'package.json')) && !lines.has('node_modules/') && !lines.has('node_modules'))
    added += 'node_modules/\n';
  if (added) {
    const separator = current && !current.endsWith('\n') ? '\n' : '';
    await writeFileAtomic(gitignore, `${current ?? ''}${separator}${added}`, { fence });
    (current === undefined ? created : updated).push('.gitignore');
  }
  const urlHint = options.url ? '' : '; and DASHSYNC_URL=https://..., or url: in dashsync.yaml';
  const next = [
    `export DASHSYNC_TOKEN=...   # your Prometheux token${urlHint}`,
    'dashsync pull               # bring the workspace into dashboards/',
    'dashsync plan               # after an edit: see what apply would change',
  ];
  reporter.show({ type: 'initialized', created, updated, next, schemas });
  return { created, updated, next };
}
