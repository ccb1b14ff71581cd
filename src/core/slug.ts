/*
 * Names that become files and folders. A repository is checked out on Linux, macOS and Windows:
 * a name only one of them accepts breaks the checkout on the others, so every name dashsync makes
 * or accepts for a file or folder passes the one rule below.
 */

// Names Windows keeps for devices, alone or before an extension (`con`, `NUL.yaml`, `com1.txt`).
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])[ ]*(?:\.|$)/i;
// What Windows forbids in a name, with the control characters.
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/;
/** The longest name (in UTF-8 bytes) the common file systems take. */
const MAX_NAME_BYTES = 255;

/**
 * Why `name` cannot be a file or folder name on every system a repository is checked out on, or
 * undefined when it can. (Names that differ only in case are a matter between names: see caseTwin.)
 */
export function unportableName(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'it names no file';
  const forbidden = FORBIDDEN.exec(name)?.[0];
  if (forbidden !== undefined)
    return /[\u0000-\u001f\u007f]/.test(forbidden)
      ? 'it holds a control character'
      : `it holds "${forbidden}", which Windows forbids in names`;
  if (/[. ]$/.test(name)) return 'it ends in a dot or a space, which Windows drops';
  if (WINDOWS_DEVICE.test(name)) return 'it is a device name on Windows';
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return `it is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/**
 * Why `name` cannot be a project folder (a `projects:` key, or a project id pull would name a folder
 * after), or undefined: a portable name, not hidden (dashsync reads no folder starting with a dot).
 */
export function folderNameProblem(name: string): string | undefined {
  return (
    unportableName(name) ??
    (name.startsWith('.') ? 'it starts with a dot, and dashsync reads no such folder' : undefined)
  );
}

/** A name in `names` that differs from `name` only in case (case-insensitive file systems take them for one). */
export function caseTwin(name: string, names: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  for (const other of names) if (other !== name && other.toLowerCase() === lower) return other;
  return undefined;
}

// A project id pull may name a folder after: short, plain ASCII, no path.
const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

/**
 * Why a project id cannot be the name of its folder (pull names a project's folder after its id
 * when nothing maps it), or undefined. `taken`: the names already in the dashboards folder.
 */
export function idAsFolderProblem(projectId: string, taken: Iterable<string>): string | undefined {
  if (!SAFE_ID.test(projectId)) return 'it is not a safe folder name';
  const twin = caseTwin(projectId, taken);
  const sameButCase =
    twin !== undefined ? `it differs only in case from ${twin}, which Windows and macOS take for one` : undefined;
  return folderNameProblem(projectId) ?? sameButCase;
}

/** Lowercase file-name slug of a dashboard name: letters, digits and dashes only, never empty, portable. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  // `con.yaml` or `aux.yaml` cannot be checked out on Windows: the real name stays in the file.
  if (WINDOWS_DEVICE.test(slug)) return `${slug}-dashboard`;
  return slug || 'dashboard';
}

/**
 * A file name for `name` that is not in `taken` (compared case-insensitively, for case-insensitive
 * file systems). Adds the name to `taken`.
 */
export function uniqueFileName(name: string, taken: Set<string>): string {
  const slug = slugify(name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${slug}.yaml` : `${slug}-${n}.yaml`;
    if (!taken.has(candidate.toLowerCase())) {
      taken.add(candidate.toLowerCase());
      return candidate;
    }
  }
}
