import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most of a test's time is spent waiting on the CLI processes it starts and on the emulator it
    // runs, not in the worker itself: one worker per core (vitest's default leaves one core idle,
    // which on a 2-core machine means running every file one after the other).
    maxWorkers: availableParallelism(),
    // Test files share a worker process instead of each starting a fresh one (~0.3 s of CPU per
    // file). No test mocks modules, stubs globals or changes process.env, and every file closes the
    // servers and child processes it starts, so a file cannot see another's leftovers.
    isolate: false,
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
