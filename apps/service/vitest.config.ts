import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // The crash test runs the built service as a child process: build it first.
    globalSetup: ['./test/build-service.ts'],
    coverage: coverageOptions(),
  },
});
