import { appFileContent } from '../../core/app.js';
import { labelProblem } from '../../core/deploy.js';
import type { AppReading } from '../../core/app.js';
import type { DeployOptions, Json, Problem } from '../../core/types.js';
import { decodeText } from '../../local/dashboard-file.js';
import type { FileContent, FileReading, ReadFile } from '../../local/file-reading.js';
import { parseYaml, positionOf } from '../../local/yaml.js';
import { appContentProblems } from './validation.js';

/*
 * How an app file is read: its definition checked as the app a save would send, its pages bound to
 * the projects of the workspace at hand, and its own steps after a save taken from its keys.
 */

/**
 * The keys an app file holds beside id, name and definition, with their JSON Schemas: the steps
 * after the app's save, which apply, watch and migrate take (core/deploy.ts says how they combine
 * with --publish and --bookmark). They are the file's own: never sent, never compared, kept by pull.
 * schemas/app-file.schema.json is made from this table (`npm run schemas`).
 */
export const APP_FILE_KEYS = {
  publish: {
    description:
      'Publish the app after each save, so its viewers see the new draft (as --publish does for every app); ' +
      'false keeps it a draft even under --publish.',
    type: 'boolean',
  },
  bookmark: {
    description:
      'Bookmark the version checkpoint each save makes with this label, so it is never pruned (as --bookmark does for every app, whose label this one replaces for this app).',
    type: 'string',
    minLength: 1,
  },
} as const;

// The problem of a bookmark label the rule refuses (core/deploy.ts, labelProblem), placed at it.
function labelProblems(file: ReadFile): Problem[] {
  const problem = typeof file.keys.bookmark === 'string' ? labelProblem(file.keys.bookmark) : undefined;
  if (problem === undefined) return [];
  const decoded = decodeText(file.bytes, file.path);
  const at = decoded.ok ? positionOf(parseYaml(decoded.text), ['bookmark']) : { line: 1, col: 1 };
  return [{ path: file.path, ...at, message: `"bookmark" ${problem}` }];
}

// The file's own steps, from its keys (their types already checked by the schema).
function deployOf(keys: Record<string, Json>): DeployOptions | undefined {
  const deploy: DeployOptions = {};
  if (typeof keys.publish === 'boolean') deploy.publish = keys.publish;
  if (typeof keys.bookmark === 'string') deploy.bookmark = keys.bookmark;
  return Object.keys(deploy).length ? deploy : undefined;
}

/** Reading app files, with the projects each folder stands for (`reading`, made when first needed). */
export function appFileReading(reading: () => AppReading): FileReading {
  return {
    keys: APP_FILE_KEYS,
    refused: {},
    content(file): FileContent | Problem[] {
      // An invalid app stops plan, apply and watch before any request, like any invalid file.
      const problems = [...labelProblems(file), ...appContentProblems(file.path, file.bytes, file.content)];
      if (problems.length) return problems;
      const content = appFileContent(file.content, file.folder.folder, file.folder.projectId, reading());
      const deploy = deployOf(file.keys);
      return deploy ? { content, deploy } : { content };
    },
  };
}
