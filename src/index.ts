/**
 * dashsync as a library: the same commands the CLI runs, with typed options and results.
 *
 *   import { plan, apply, pull } from 'dashsync';
 *   const { plan: p } = await plan({ cwd: '/repo', flags: { env: 'staging' } });
 */
export { apply } from './commands/apply.js';
export type { ApplyOptions, ApplyResult } from './commands/apply.js';
export { plan } from './commands/plan.js';
export type { PlanOptions, PlanResult } from './commands/plan.js';
export { pull } from './commands/pull.js';
export type { PullOptions, PullResult, PullChange } from './commands/pull.js';
export { validate } from './commands/validate.js';
export type { ValidateResult } from './commands/validate.js';
export { serve } from './commands/serve.js';
export { init } from './commands/init.js';
export type { InitOptions, InitResult } from './commands/init.js';
export { watch } from './commands/watch.js';
export type { WatchOptions, WatchResult } from './commands/watch.js';
export { migrate } from './commands/migrate.js';
export type { MigrateOptions, MigrateResult } from './commands/migrate.js';
export type { CommonOptions } from './commands/context.js';
export type { ActionOutcome, ExecutionSummary } from './commands/execute.js';
export { startServer } from './emulator/server.js';
export type { ServerOptions, RunningServer } from './emulator/server.js';
export type { FaultKind } from './emulator/faults.js';
export type { Ontology, Concept } from './emulator/ontology.js';
export { DashboardsClient } from './remote/client.js';
export type { DashboardsApi, ClientOptions } from './remote/client.js';
export { silentReporter } from './commands/events.js';
export type { Reporter, ActionEvent, CommandEvent, Progress } from './commands/events.js';
export type { WatchNotice } from './commands/watch-events.js';
export type { Confirm, ConfirmRequest } from './commands/confirm.js';
export { textReporter } from './report/reporter.js';
export type { TextReporter } from './report/reporter.js';
export { planToJson } from './local/plan-file.js';
export type { JsonPlan, JsonAction } from './local/plan-file.js';
export { ApiError, DashsyncError, FileError, UsageError, InterruptedError } from './errors.js';
export type * from './core/types.js';
