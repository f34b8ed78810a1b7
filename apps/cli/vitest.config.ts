import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    passWithNoTests: true,
    // The end-to-end suites spawn the built CLI: build it first when it is missing or older than src/.
    globalSetup: ['test/build-cli.ts'],
    // CI runs several packages' suites at once on two cores: allow slow start-up of child processes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
