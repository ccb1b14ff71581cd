import { join } from 'node:path';
import { ensureFile, writeFileAtomic } from './fsutil.js';
import { readStateFile } from './regular-file.js';
import { STATE_DIR, stateFence } from './state.js';

/*
 * A folder synced with a workspace remembers the scope and the API it was synced with, per
 * workspace URL, in .dashsync/binding.json. Without it, a folder pulled with `--scope organization`
 * would be planned against the user scope by the next bare `plan`, which then proposes to create
 * every dashboard again there. Like Terraform's backend settings, the binding is kept beside the
 * state; unlike them it is not committed: a CI clone, which has no .dashsync/, takes scope and api
 * from dashsync.yaml.
 */

/** The scope and API a folder is synced with, for one workspace URL. */
export interface FolderBinding {
  scope: 'user' | 'organization';
  api: 'dashboards' | 'apps';
}

interface BindingFile {
  version: 1;
  workspaces: Record<string, FolderBinding>;
}

const FILE = 'binding.json';

/** Where the binding lives, relative to the config's folder, for messages. */
export const BINDING_PATH = `${STATE_DIR}/${FILE}`;

// Every workspace's binding; none when the file is missing or damaged.
async function readBindings(root: string): Promise<BindingFile> {
  try {
    const file = JSON.parse(readStateFile(join(root, STATE_DIR, FILE))) as BindingFile;
    if (file && file.version === 1 && typeof file.workspaces === 'object' && file.workspaces !== null) return file;
  } catch {
    // none yet, or damaged: nothing remembered
  }
  return { version: 1, workspaces: {} };
}

/** The binding recorded for this workspace URL, if any. */
export async function loadBinding(root: string, url: string): Promise<FolderBinding | undefined> {
  const binding = (await readBindings(root)).workspaces[url];
  const validScope = binding?.scope === 'user' || binding?.scope === 'organization';
  const validApi = binding?.api === 'dashboards' || binding?.api === 'apps';
  return binding && validScope && validApi ? binding : undefined;
}

/** Records the binding for this workspace URL (once something is synced with it). */
export async function saveBinding(root: string, url: string, binding: FolderBinding): Promise<void> {
  const all = await readBindings(root);
  const recorded = all.workspaces[url];
  if (recorded && recorded.scope === binding.scope && recorded.api === binding.api) return;
  all.workspaces[url] = binding;
  await ensureFile(join(root, STATE_DIR, '.gitignore'), '*\n', stateFence(root));
  await writeFileAtomic(join(root, STATE_DIR, FILE), `${JSON.stringify(all, null, 2)}\n`, {
    fence: stateFence(root),
    durable: false,
  });
}
