import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // test/dual-build.test.ts loads dist/: build it first when it is missing or older than src/.
    globalSetup: ['./test/build-core.ts'],
    coverage: coverageOptions({ lines: 90 }),
  },
});
