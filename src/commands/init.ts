import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { ensureFile, writeFileAtomic } from '../local/fsutil.js';
import { STATE_DIR } from '../local/state.js';
import { silentReporter } from '../report/reporter.js';
import type { Reporter } from '../report/reporter.js';

/** Options of `init`. */
export interface InitOptions {
  cwd?: string;
  /** API URL to write into dashsync.yaml. */
  url?: string;
  /** Overwrite an existing dashsync.yaml. */
  force?: boolean;
  reporter?: Reporter;
}

/** What `init` did. */
export interface InitResult {
  created: string[];
  updated: string[];
  next: string[];
}

const template = (url: string | undefined): string => `# yaml-language-server: $schema=./node_modules/dashsync/schemas/config.schema.json
# dashsync configuration. Reference: the README's "Configuration" section.

# Base URL of the Prometheux Dashboards API (with or without /api/v1).
# DASHSYNC_URL (or --url) overrides it.
${url ? `url: ${JSON.stringify(url)}` : '# url: https://api.prometheux.ai/jarvispy/my-org/my-user'}

# user or organization
scope: user

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
export async function init(o: InitOptions = {}): Promise<InitResult> {
  const cwd = o.cwd ?? process.cwd();
  const reporter = o.reporter ?? silentReporter;
  const created: string[] = [];
  const updated: string[] = [];
  const config = join(cwd, 'dashsync.yaml');
  if (existsSync(config) && !o.force) throw new UsageError('dashsync.yaml already exists; nothing was changed', 'pass --force to overwrite it');
  await writeFileAtomic(config, template(o.url));
  created.push('dashsync.yaml');
  if (!existsSync(join(cwd, 'dashboards'))) {
    await mkdir(join(cwd, 'dashboards'), { recursive: true });
    await ensureFile(join(cwd, 'dashboards', '.gitkeep'), '');
    created.push('dashboards/');
  }
  const gitignore = join(cwd, '.gitignore');
  const current = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : undefined;
  if (!current?.split('\n').some((l) => l.trim() === `${STATE_DIR}/` || l.trim() === STATE_DIR)) {
    await writeFileAtomic(gitignore, `${current ?? ''}${current && !current.endsWith('\n') ? '\n' : ''}# dashsync's local sync state (safe to delete)\n${STATE_DIR}/\n`);
    (current === undefined ? created : updated).push('.gitignore');
  }
  const next = [
    `export DASHSYNC_TOKEN=...   # your Prometheux token${o.url ? '' : '; and DASHSYNC_URL=https://..., or url: in dashsync.yaml'}`,
    'dashsync pull               # bring the workspace into dashboards/',
    'dashsync plan               # after an edit: see what apply would change',
  ];
  for (const c of created) reporter.info(`  created ${c}`);
  for (const u of updated) reporter.info(`  updated ${u}`);
  reporter.info(`\nNext:\n${next.map((n) => `  ${n}`).join('\n')}`);
  return { created, updated, next };
}
