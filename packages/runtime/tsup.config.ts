import { defineConfig } from 'tsup';

export default defineConfig({
  // The workers are entries of their own: StrategyThread starts dist/strategy-worker.js (or .cjs).
  // `testing`: the test harness (runStrategy), a subpath of its own.
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    // Starts strategy threads with nothing of @strat/core loaded (see src/prewarm.ts).
    prewarm: 'src/prewarm.ts',
    'strategy-worker': 'src/thread/host/strategy-worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', prewarm: 'src/prewarm.ts' } },
  sourcemap: true,
  clean: true,
  shims: true,
});
