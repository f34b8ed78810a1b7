import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    passWithNoTests: true,
    // test/dual-build.test.ts loads dist/: build it first when it is missing or older than src/.
    globalSetup: ['./test/build-core.ts'],
    // CI runs several packages' suites at once on two cores: allow slow property tests and worker start-up.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
