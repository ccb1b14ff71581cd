/*
 * How messages anywhere name what a server or a user gave: in double quotes, cut to a readable
 * length. Messages keep the text as given; the terminal reporter makes it inert where it is shown.
 */

/** `s` in double quotes (inner quotes escaped), cut to `max` characters with `...`. */
export function quote(s: string, max = 200): string {
  const cut = s.length > max ? `${s.slice(0, max)}...` : s;
  return `"${cut.replace(/"/g, '\\"')}"`;
}
