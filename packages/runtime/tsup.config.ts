import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: StrategyThread starts dist/strategy-worker.js (or .cjs).
  entry: { index: 'src/index.ts', 'strategy-worker': 'src/thread/host/strategy-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  shims: true,
});
