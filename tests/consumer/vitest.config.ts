import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Packing, an npm install and four full type-checks on a loaded two-core machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
