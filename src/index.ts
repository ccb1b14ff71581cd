/**
 * dashsync as a library: the same commands the CLI runs, with typed options and results.
 *
 *   import { plan, apply, pull } from 'dashsync';
 *   const { plan: p } = await plan({ cwd: '/repo', flags: { env: 'staging' } });
 */
export { apply } from './commands/apply.js';
export { plan } from './commands/plan.js';
export { pull } from './commands/pull.js';
export { validate } from './commands/validate.js';
export { serve } from './commands/serve.js';
export { init } from './commands/init.js';
export { watch } from './commands/watch/watch.js';
export { migrate } from './commands/migrate.js';
export { comment } from './commands/comment.js';
export { preview } from './commands/preview.js';
export type {
  ApplyOptions,
  CommentOptions,
  CommonOptions,
  InitOptions,
  MigrateOptions,
  PlanOptions,
  PreviewOptions,
  PullOptions,
  WatchOptions,
} from './contract/options.js';
export type {
  ApplyResult,
  InitResult,
  MigrateResult,
  PlanResult,
  PreviewResult,
  PullChange,
  PullResult,
  ValidateResult,
  WatchResult,
} from './contract/results.js';
export type { CommentResult } from './contract/comment.js';
export type { ActionEvent, ActionOutcome, ExecutionSummary } from './contract/execution.js';
export { startServer } from './emulator/server.js';
export type { ServerOptions, RunningServer } from './emulator/server.js';
export type { FaultKind } from './emulator/faults.js';
export type { Ontology, Concept } from './emulator/ontology.js';
export { DashboardsClient } from './remote/client.js';
export type { ClientOptions } from './remote/client.js';
export type { DashboardsApi } from './contract/client.js';
export { silentReporter } from './contract/reporter.js';
export type { Reporter, Progress } from './contract/reporter.js';
export type { CommandEvent } from './contract/events.js';
export type { WatchNotice } from './contract/watch.js';
export type { Confirm, ConfirmRequest } from './contract/confirm.js';
export { textReporter } from './report/reporter.js';
export { commentMarkdown } from './report/plan-markdown.js';
export { previewPages } from './report/preview/pages.js';
export type { TextReporter } from './report/reporter.js';
export { planToJson } from './local/plan-file.js';
export type { JsonPlan, JsonAction } from './local/plan-file.js';
export { ApiError, DashsyncError, FileError, UsageError, InterruptedError } from './errors.js';
export type * from './core/types.js';
