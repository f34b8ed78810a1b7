import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // The worker entry runs only in strategy worker threads, which this process's coverage cannot see.
    coverage: coverageOptions({ lines: 90, exclude: ['src/thread/host/strategy-worker.ts'] }),
  },
});
