import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    passWithNoTests: true,
    // The crash test runs the built service as a child process: build it first.
    globalSetup: ['./test/build-service.ts'],
    // CI runs several packages' suites at once on two cores: allow worker start-up.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
