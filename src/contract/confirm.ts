/*
 * The confirmation apply and migrate ask for: what is put to the user, and the function that asks.
 * When they ask is commands/confirm.ts; how the question reads is report/prompt-text.ts.
 */

/** What the user is asked to approve: a run's changes, and the workspace they go to. */
export type ConfirmRequest =
  | { run: 'apply' | 'publish' | 'unpublish'; url: string; scope: string; env?: string }
  | { run: 'migrate'; url: string; to: string };

/** Asks the user to approve a request; resolves true to go ahead. The CLI asks on the terminal. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;
