import { defineConfig } from 'tsup';

export default defineConfig({
  // `replay` is the development market-data server (strat feed serve, tests): its own subpath.
  entry: { index: 'src/index.ts', replay: 'src/replay/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
