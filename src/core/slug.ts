/** Lowercase file-name slug of a dashboard name: letters, digits and dashes only, never empty. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
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
