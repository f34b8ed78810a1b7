import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // End-to-end tests drive whole service processes with coverage on, two suites at once on two cores:
    // a slow machine gets 3 minutes a test; a hang still fails.
    testTimeout: 180_000,
    // The crash test runs the built service as a child process, and every session runs in a process
    // of its own: build it first. With --coverage, those processes write raw V8 coverage
    // (test/support/child-coverage.ts), which the test script merges into vitest's and holds at 90 %
    // lines (scripts/merge-child-coverage.mjs).
    globalSetup: ['./test/build-service.ts', '../../vitest.child-coverage.ts'],
    setupFiles: ['./test/support/child-coverage.ts'],
    coverage: coverageOptions({ childProcesses: true }),
  },
});
