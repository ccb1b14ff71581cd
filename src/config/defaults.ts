/*
 * Defaults of the settings that the command line's help names, apart from resolve.ts so that
 * --help loads none of the settings' readers.
 */

/**
 * Default number of requests in flight. Measured on the emulator at 20 ms a call (README,
 * Performance): a cold plan of 1,000 takes 3.3 s at 8, 2.1 s at 16, 1.6 s at 32, 1.2 s at 64, for
 * the same CPU time. 32 takes most of that gain while staying between the peers (10 for Terraform
 * and grafanactl, 100 workers for datadog-sync); the limit halves at every 429 and grows back by
 * one per run of successes, so a server that cannot take 32 sees 16, 8, ... instead of a hammering.
 */
export const DEFAULT_CONCURRENCY = 32;
