import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end suites spawn the built CLI: build it first when it is missing or older than src/.
    globalSetup: ['test/build-cli.ts'],
    hookTimeout: 120_000,
    // Reported, not held: the end-to-end suites run the CLI in child processes, which in-process
    // coverage cannot see.
    coverage: coverageOptions(),
  },
});
