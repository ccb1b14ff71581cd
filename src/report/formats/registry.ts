import { UsageError } from '../../errors.js';
import { githubFormat } from './github.js';
import { htmlFormat } from './html.js';
import { jsonFormat } from './json.js';
import { markdownFormat } from './markdown.js';
import { textFormat } from './text.js';
import type { CommandName, OutputFormat } from './format.js';

/*
 * The output formats, listed once. A new format is a module beside these and a line here; a
 * command learns it from `renders`. Which format a run prints is decided here and nowhere else.
 */

/** Every format, the default first. */
export const FORMATS: readonly OutputFormat[] = [textFormat, jsonFormat, markdownFormat, githubFormat, htmlFormat];

/** The format of a run that asks for none. */
export const DEFAULT_FORMAT: OutputFormat = textFormat;

/** What the flags asked for: `--format NAME`, and `--json` (an alias of the JSON format). */
export interface FormatChoice {
  format?: string | undefined;
  json?: boolean | undefined;
}

/** The formats a command can print, in the order of FORMATS. */
export function formatsFor(command: CommandName): OutputFormat[] {
  return FORMATS.filter((format) => format.renders.includes(command));
}

/** The help of `--format` for a command: its formats, and which of them move human text to stderr. */
export function formatHelp(command: CommandName): string {
  const formats = formatsFor(command);
  const owners = formats.filter((format) => format.ownsStdout).map((format) => format.name);
  return (
    `output: ${formats.map((format) => format.name).join(', ')} (default ${DEFAULT_FORMAT.name})` +
    (owners.length ? `; ${inWords(owners)} print on stdout and move human text to stderr` : '')
  );
}

// `a`, `a and b`, `a, b and c`.
const inWords = (names: string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The formats a run prints: the chosen one, and those on by themselves in this environment (GitHub Actions). */
export interface ChosenFormats {
  chosen: OutputFormat;
  active: OutputFormat[];
}

/**
 * Picks the formats of a run from its flags. A format the command cannot print, or `--json` with
 * another `--format`, is a usage error that lists the formats it can print.
 */
export function chooseFormats(command: CommandName, choice: FormatChoice, env: NodeJS.ProcessEnv): ChosenFormats {
  const available = formatsFor(command);
  const names = available.map((format) => format.name).join(', ');
  let chosen = choice.json ? jsonFormat : DEFAULT_FORMAT;
  if (choice.format !== undefined) {
    const named = available.find((format) => format.name === choice.format);
    if (!named) {
      const known = FORMATS.some((format) => format.name === choice.format);
      throw new UsageError(
        `--format ${choice.format}: ${known ? `dashsync ${command} cannot print it` : 'no such format'}`,
        `dashsync ${command} prints ${names}`,
      );
    }
    if (choice.json && named !== jsonFormat)
      throw new UsageError(`--json is --format ${jsonFormat.name}: it cannot go with --format ${named.name}`);
    chosen = named;
  }
  const ambient = available.filter((format) => format !== chosen && format.alsoIn?.(env) === true);
  return { chosen, active: [chosen, ...ambient] };
}
