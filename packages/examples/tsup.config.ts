import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/sma-cross.ts', 'src/rsi.ts', 'src/vwap.ts', 'src/volume-spike-scanner.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
