import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { unrender } from '../core/unrender.js';
import type { LiteralValue } from '../core/unrender.js';
import type { Action, DashboardContent, Json, JsonObject } from '../core/types.js';
import { byteHash } from '../local/dashboard-file.js';
import { parseFast } from '../local/fast-yaml.js';
import { dashboardText } from '../local/writeback.js';
import { parseYaml } from '../local/yaml.js';
import { textDiff } from '../local/yaml-diff.js';
import { mapPool } from '../util/pool.js';
import type { Context } from './open-run.js';

/*
 * What pull writes into a file that exists, for what the workspace holds: the file's own id, every
 * placeholder whose rendering still gives the workspace's value, pages bound as the file binds them
 * (apps), in the file's key order, comments and quoting. Pull writes it; a plan shows an update's
 * diff from it to the file, so that the diff's lines are the file's lines.
 */

/** A file as pull rewrites it: its folder, its own id, its content before rendering, its text. */
export interface FileToRewrite {
  folder: string;
  /** The `id` written in the file; absent for a file without one (the diff then shows none). */
  fileId?: string;
  /** Name and definition as the file writes them (placeholders not rendered). */
  template: DashboardContent;
  text: string;
}

/**
 * The text pull writes into `file` for what the workspace holds, and the values it wrote literally
 * where the file had a placeholder (`literals`, for pull's report).
 */
export function pulledFileText(
  ctx: Context,
  file: FileToRewrite,
  workspace: DashboardContent,
): { text: string; literals: LiteralValue[] } {
  const vars = ctx.settings.variables;
  const name = unrender(file.template.name, workspace.name, vars, ['name']);
  const templated = unrender(file.template.definition, workspace.definition, vars, ['definition']);
  const definition = ctx.flavour.fileDefinition(templated.value as JsonObject, file.folder, file.text);
  const id = file.fileId !== undefined ? { id: file.fileId } : {};
  // The file's own keys beside id, name and definition (an app's publish:, bookmark:) are kept.
  return {
    text: dashboardText({ ...id, name: name.value as string, definition }, file.text),
    literals: [...name.literals, ...templated.literals],
  };
}

// A file's content as written (placeholders not rendered); undefined when it no longer reads as a file.
function writtenContent(text: string): { id?: string; template: DashboardContent } | undefined {
  let value: Json | undefined;
  try {
    value = parseFast(text) ?? (parseYaml(text).value as Json);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { id, name, definition } = value;
  if (typeof name !== 'string' || definition === null || typeof definition !== 'object' || Array.isArray(definition))
    return undefined;
  return { ...(typeof id === 'string' ? { id } : {}), template: { name, definition } };
}

/**
 * The plan with each update's diff on its file's own lines (see above). A file that changed since it
 * was planned, or no longer reads, keeps the diff of two renderings.
 */
export async function withFileDiffs<P extends { actions: Action[] }>(ctx: Context, plan: P): Promise<P> {
  const actions = await mapPool(plan.actions, 16, async (action): Promise<Action> => {
    if (action.kind !== 'update') return action;
    let text: string;
    try {
      text = await readFile(resolve(ctx.cwd, action.path), 'utf8');
    } catch {
      return action;
    }
    if (action.fileHash !== undefined && byteHash(text) !== action.fileHash) return action;
    const written = writtenContent(text);
    if (!written) return action;
    const file = { folder: action.folder, text, template: written.template, ...definedId(written.id) };
    return { ...action, diff: textDiff(pulledFileText(ctx, file, action.remote).text, text) };
  });
  return { ...plan, actions: actions.map((action, i) => action ?? plan.actions[i]!) };
}

const definedId = (id: string | undefined): { fileId?: string } => (id !== undefined ? { fileId: id } : {});
