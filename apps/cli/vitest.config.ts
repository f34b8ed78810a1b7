import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end suites spawn the built CLI: build it first when it is missing or older than src/.
    // With --coverage, the spawned CLIs write raw V8 coverage (test/strat-process.ts), which the test
    // script merges into vitest's and holds at 90 % lines (scripts/merge-child-coverage.mjs).
    globalSetup: ['test/build-cli.ts', '../../vitest.child-coverage.ts'],
    hookTimeout: 120_000,
    // End-to-end tests drive whole CLI processes (sweeps, walk-forward, SIGKILL loops) with coverage on, two
    // suites at once on two cores: a slow machine gets 3 minutes a test; a hang still fails.
    testTimeout: 180_000,
    coverage: coverageOptions({ childProcesses: true }),
  },
});
