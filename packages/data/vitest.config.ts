import { defineConfig } from 'vitest/config';
import { coverageOptions, sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    coverage: coverageOptions({ lines: 90, exclude: ['src/replay/index.ts', 'src/calendar.ts'] }),
  },
});
