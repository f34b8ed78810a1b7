import { defineConfig } from 'tsup';

export default defineConfig({
  // `replay`: the development market-data server (strat feed serve, tests); `internal`: what the
  // runtime shares with this package, documented as unstable.
  entry: { index: 'src/index.ts', replay: 'src/replay/index.ts', internal: 'src/internal.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
