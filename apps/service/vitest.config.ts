import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // The crash test runs the built service as a child process, and every session runs in a process
    // of its own: build it first. With --coverage, those processes write raw V8 coverage
    // (test/support/child-coverage.ts), which the test script merges into vitest's and holds at 90 %
    // lines (scripts/merge-child-coverage.mjs).
    globalSetup: ['./test/build-service.ts', '../../vitest.child-coverage.ts'],
    setupFiles: ['./test/support/child-coverage.ts'],
    coverage: coverageOptions({ childProcesses: true }),
  },
});
