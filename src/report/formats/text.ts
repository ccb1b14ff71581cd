import { COMMANDS } from './format.js';
import type { OutputFormat } from './format.js';

/**
 * Human text on stdout, the default: the terminal reporter (report/reporter.ts, command-text.ts)
 * already shows every event as it happens, and a failure's lines (error-text.ts) go to stderr, so
 * there is nothing left to add at the end.
 */
export const textFormat: OutputFormat = {
  name: 'text',
  about: 'human text on stdout (the default)',
  renders: COMMANDS,
  ownsStdout: false,
};
