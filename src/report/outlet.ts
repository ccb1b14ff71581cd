import type { Style } from './style.js';

/** Where the terminal text of an event goes: `info` is hidden by --quiet, `result` and `warn` are not. */
export interface TextOutlet {
  readonly style: Style;
  readonly quiet: boolean;
  info(text: string): void;
  result(text: string): void;
  warn(text: string): void;
}
