import { escapedChar } from '../core/words.js';

/*
 * Text that dashsync did not write itself (file and folder names from disk, names, ids and
 * messages from the server) is made inert here, and only here, where it meets a terminal or a CI
 * log. Every renderer of report/ and the entry file pass such text through `inert`; the GitHub
 * annotations pass theirs through `workflowData` and `workflowProperty`.
 */

// C0 and C1 controls (ESC, CR, LF, BEL...), DEL, the line and paragraph separators, and the bidi
// marks and overrides that make a terminal show text in another order than it is.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text shown inert: control characters (escape sequences included) and bidi overrides are shown as
 * \\x.. or \\u...., so a name cannot drive a terminal; and GitHub Actions' workflow commands are
 * defused, so a name cannot drive a CI log: the runner runs a line that starts with `::` (after
 * blanks) and `##[command]` anywhere in a line. (A line break inside the text is shown as \\x0a, so
 * the text can only start a line where the renderer puts it first.) Applying it twice changes
 * nothing more.
 */
export function inert(text: string): string {
  const shown = text.replace(CONTROL, escapedChar).replace(/##\[/g, '#\\x23[');
  return /^\s*::/.test(shown) ? shown.replace(':', '\\x3a') : shown;
}

/**
 * Lines of text (YAML, a diff, in a Markdown fence) shown inert, each as `inert` shows it: line
 * breaks and tabs are kept, so no line can start with a workflow command.
 */
export function inertLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(inert).join('\t'))
    .join('\n');
}

/** Text as the data of a GitHub workflow command (an annotation's message): inert, with `%`, CR and LF escaped as GitHub documents. */
export function workflowData(text: string): string {
  return inert(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Text as a property of a GitHub workflow command (an annotation's file or title): as data, and `:` and `,` escaped too. */
export function workflowProperty(text: string): string {
  return workflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// What JSON.stringify leaves as it is but a terminal or a CI log would act on: C1 controls, bidi
// marks, line separators, and `##[` (GitHub's older command form, run wherever it is in a line).
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|(?<=#)#(?=\[)/g;

/**
 * A value as JSON text for stdout (`--json`): exactly the value for a JSON reader, and inert in a
 * log. JSON.stringify already escapes C0 controls; what is left is written as \\u escapes, which
 * parse back to the same characters. (A JSON line never starts with `::`.)
 */
export function inertJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
