import { loadYaml } from '../util/lazy.js';
import { join } from 'node:path';
import { writeFileAtomic } from './fsutil.js';
import { MAX_CONFIG_BYTES, readRegularFile } from './regular-file.js';
import { UsageError } from '../errors.js';
import { YamlProblem, parseYaml } from './yaml.js';

/**
 * `dashsync.ids.yaml`, committed beside dashsync.yaml: for each workspace that gave a dashboard
 * another id than the one in its file (a server that refuses client-chosen ids), the file's id ->
 * that workspace's id. Usually empty or absent: servers that accept the file's id need no entry.
 */
export const IDMAP_FILE = 'dashsync.ids.yaml';

type IdMapFile = Record<string, Record<string, string>>;

/** One workspace's slice of the id map, saved on every change. */
export class IdMap {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly root: string,
    private readonly workspace: string,
    private readonly all: IdMapFile,
  ) {}

  /** Loads the map; a missing file is an empty map. */
  static async load(root: string, workspace: string): Promise<IdMap> {
    let text: string;
    try {
      text = readRegularFile(join(root, IDMAP_FILE), { maxBytes: MAX_CONFIG_BYTES, kind: 'an id map' }).toString(
        'utf8',
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new IdMap(root, workspace, {});
      throw new UsageError(
        `cannot read ${IDMAP_FILE}: ${(e as Error).message}`,
        `make it a readable file, or restore it from git`,
      );
    }
    let content: unknown;
    try {
      content = parseYaml(text).value;
    } catch (e) {
      const pos = e instanceof YamlProblem ? `:${e.pos.line}:${e.pos.col}` : '';
      throw new UsageError(
        `${IDMAP_FILE}${pos}: not valid YAML (${(e as Error).message})`,
        `restore it from git (git checkout -- ${IDMAP_FILE}); it maps file ids to the ids each workspace gave`,
      );
    }
    if (content === null || content === undefined) return new IdMap(root, workspace, {});
    const valid =
      typeof content === 'object' &&
      !Array.isArray(content) &&
      Object.values(content).every(
        (ids) =>
          ids !== null &&
          typeof ids === 'object' &&
          !Array.isArray(ids) &&
          Object.values(ids as object).every((id) => typeof id === 'string'),
      );
    if (!valid)
      throw new UsageError(
        `${IDMAP_FILE}: expected, per environment, a mapping of file ids to ids (strings)`,
        `restore it from git (git checkout -- ${IDMAP_FILE})`,
      );
    return new IdMap(root, workspace, content as IdMapFile);
  }

  /** The workspace's id for a file id, or the file id itself. */
  resolve(fileId: string): string {
    return this.all[this.workspace]?.[fileId] ?? fileId;
  }

  /** Records that this workspace knows the file id `fileId` as `remoteId`; written atomically at once. */
  set(fileId: string, remoteId: string): Promise<void> {
    const slice = (this.all[this.workspace] ??= {});
    if ((slice[fileId] ?? fileId) === remoteId) return this.chain;
    if (fileId === remoteId) delete slice[fileId];
    else slice[fileId] = remoteId;
    this.chain = this.chain.then(() => this.save());
    return this.chain;
  }

  private async save(): Promise<void> {
    const doc = new (loadYaml().Document)(this.all);
    doc.commentBefore =
      ' Written by dashsync: ids that a workspace gave dashboards instead of the ids in their files.\n' +
      ' Commit this file; see "Environments" in the README.';
    // The temporary file goes in .dashsync/tmp: a killed run leaves no litter beside dashsync.yaml.
    await writeFileAtomic(join(this.root, IDMAP_FILE), doc.toString(), {
      fence: { folder: this.root, linkAllowed: true },
      durable: true,
      tmpDir: join(this.root, '.dashsync', 'tmp'),
    });
  }
}
