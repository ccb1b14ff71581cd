import { UsageError } from '../../errors.js';
import { COMMANDS } from './format.js';
import type { CommandName, OutputFormat } from './format.js';

/*
 * The output formats, listed once: what each is, and where its rendering is (a module beside this
 * one, loaded only by a run that prints it, so that a command starts without the renderers it does
 * not use). A new format is a module beside these and an entry here; a command learns it from
 * `renders`. Which format a run prints is decided here and nowhere else.
 */

/**
 * Human text on stdout, the default: the terminal reporter (report/reporter.ts, command-text.ts)
 * already shows every event as it happens, and a failure's lines (error-text.ts) go to stderr, so
 * there is nothing left to render.
 */
const textFormat: OutputFormat = {
  name: 'text',
  about: 'human text on stdout (the default)',
  renders: COMMANDS,
  ownsStdout: false,
};

/** JSON on stdout (json.ts): one document per run, or a line per event for watch, serve and preview. */
const jsonFormat: OutputFormat = {
  name: 'json',
  about: 'JSON on stdout (watch and serve: a line per event); the same as --json',
  renders: COMMANDS,
  ownsStdout: true,
  load: async () => (await import('./json.js')).renderer,
};

/** Markdown on stdout (markdown.ts), for a CI job to post as a pull-request comment. */
const markdownFormat: OutputFormat = {
  name: 'markdown',
  about: 'Markdown on stdout, for pull-request comments',
  renders: ['plan', 'apply'],
  ownsStdout: true,
  load: async () => (await import('./markdown.js')).renderer,
};

/** GitHub Actions (github.ts): annotations on the files and the job's summary page; on by itself there. */
const githubFormat: OutputFormat = {
  name: 'github',
  about: 'text, plus annotations on the files and the job summary of GitHub Actions (on by itself there)',
  renders: ['validate', 'plan', 'apply', 'pull', 'migrate'],
  ownsStdout: false,
  alsoIn: (env) => env.GITHUB_ACTIONS === 'true',
  load: async () => (await import('./github.js')).renderer,
};

/** The plan as one self-contained HTML page on stdout (html.ts). */
const htmlFormat: OutputFormat = {
  name: 'html',
  about: 'one self-contained HTML page on stdout, with the before and after of each change drawn',
  renders: ['plan'],
  ownsStdout: true,
  load: async () => (await import('./html.js')).renderer,
};

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
 * The formats of a run whose command is not known (Commander refused the line): JSON when the line
 * asks for it (`--json`, `--format json`), so that a program still reads one document, else the default.
 */
export function formatsWithoutCommand(choice: FormatChoice): ChosenFormats {
  const chosen = choice.json || choice.format === jsonFormat.name ? jsonFormat : DEFAULT_FORMAT;
  return { chosen, active: [chosen] };
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
