import { defineConfig } from 'tsup';

export default defineConfig({
  // `internal` is the series layout @strat's packages share; documented as unstable.
  entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
