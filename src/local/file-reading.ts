import type { DashboardContent, DeployOptions, Json, Problem, ProjectFolder } from '../core/types.js';

/*
 * What reading a file asks of the API flavour it is read for (flavours/ implements it, so local/
 * knows no flavour): the keys a file may hold beside id, name and definition, and the content that
 * is compared and saved. Reading itself (bytes, YAML, the schema, placeholders) is the same for all.
 */

/** A file as read, before its flavour makes it content: every problem of the YAML is already reported. */
export interface ReadFile {
  path: string;
  bytes: Uint8Array;
  folder: ProjectFolder;
  /** The content, its placeholders rendered. */
  content: DashboardContent & { id?: string };
  /** The keys the file holds beside id, name and definition (those of FileReading.keys), as written. */
  keys: Record<string, Json>;
}

/** What a flavour makes of a file: its content as compared and saved, and the file's own steps after a save. */
export interface FileContent {
  content: DashboardContent & { id?: string };
  deploy?: DeployOptions;
}

/** How files of one API flavour are read. */
export interface FileReading {
  /** Keys a file may hold beside id, name and definition, each with its JSON Schema. */
  readonly keys: Readonly<Record<string, object>>;
  /** Keys a file of this flavour may not hold, each with why (said at the key). */
  readonly refused: Readonly<Record<string, string>>;
  /** The file's content as compared and saved, or its errors (placed in its text). */
  content(file: ReadFile): FileContent | Problem[];
}

/** Files read as they are written: no other key, the content as it stands (tests, and callers with no flavour). */
export const PLAIN_READING: FileReading = {
  keys: {},
  refused: {},
  content: (file) => ({ content: file.content }),
};
