/*
 * The few SVG pieces the wireframes are drawn with, as text. Every text that reaches the picture
 * passes `xml`, and is cut to the width it has (no text is measured here: widths are estimated from
 * the font size, on the wide side, so what is drawn fits).
 */

/** Text made safe for SVG and HTML, in content and in double-quoted attributes. */
export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The fonts of the pictures: the first the reader's system has. */
export const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Liberation Sans', sans-serif";
export const MONO = "ui-monospace, 'SFMono-Regular', Menlo, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

// The widest a character of these fonts is on average, as a share of the font size (DejaVu Sans, the
// widest of the fallbacks, measured in Chromium: about 0.55 for lower case, more in bold and caps).
const EM = { regular: 0.6, bold: 0.66, mono: 0.61 };

/** How a text is set. */
export interface TextStyle {
  size: number;
  weight?: 'regular' | 'bold';
  mono?: boolean;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
  italic?: boolean;
}

/** `text` cut (with an ellipsis) to what fits in `width` pixels at this style; one line. */
export function fit(text: string, width: number, style: TextStyle): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const per = style.size * (style.mono ? EM.mono : style.weight === 'bold' ? EM.bold : EM.regular);
  const room = Math.floor(width / per);
  if (room <= 0) return '';
  if (flat.length <= room) return flat;
  return room <= 1 ? '…' : `${flat.slice(0, room - 1).trimEnd()}…`;
}

const n = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** A text element, cut to `width` and escaped. */
export function text(x: number, y: number, content: string, width: number, style: TextStyle): string {
  const shown = fit(content, width, style);
  if (shown === '') return '';
  const attrs = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-size="${style.size}"`,
    style.weight === 'bold' ? 'font-weight="600"' : '',
    style.mono ? `font-family="${MONO}"` : '',
    style.italic ? 'font-style="italic"' : '',
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    `fill="${style.fill ?? '#1f2328'}"`,
  ].filter((a) => a !== '');
  return `<text ${attrs.join(' ')}>${xml(shown)}</text>`;
}

/** How a rectangle is drawn. */
export interface BoxStyle {
  fill: string;
  stroke: string;
  strokeWidth?: number;
  dashed?: boolean;
  radius?: number;
}

/** A rectangle. */
export function rect(x: number, y: number, width: number, height: number, style: BoxStyle): string {
  const dash = style.dashed ? ' stroke-dasharray="6 4"' : '';
  return (
    `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, width))}" height="${n(Math.max(0, height))}" ` +
    `rx="${style.radius ?? 4}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${style.strokeWidth ?? 1}"${dash}/>`
  );
}

/** A group of elements, with a description for screen readers and for tests (`data-*` attributes). */
export function group(content: string, data: Record<string, string | undefined> = {}): string {
  const attrs = Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` data-${key}="${xml(value!)}"`)
    .join('');
  return `<g${attrs}>${content}</g>`;
}

/** A whole SVG document of this size, with the hatching that marks removed elements. */
export function svgDocument(width: number, height: number, content: string, idPrefix: string, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" ` +
    `height="${n(height)}" role="img" aria-label="${xml(title)}" font-family="${SANS}">` +
    `<title>${xml(title)}</title>` +
    `<defs><pattern id="${idPrefix}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="8" height="8" fill="#ffebe9"/><line x1="0" y1="0" x2="0" y2="8" stroke="#f5b5ae" stroke-width="3"/></pattern></defs>` +
    `${content}</svg>`
  );
}
