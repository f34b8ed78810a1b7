import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/** `import text from './file?raw'` inlines the file's text, as Vite (and so vitest) does. */
const rawText: EsbuildPlugin = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
      namespace: 'raw-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
      watchFiles: [args.path],
    }));
  },
};

export default defineConfig({
  // The sweep's pool worker is its own entry: piscina starts dist/sweep-worker.js.
  entry: { cli: 'src/cli.ts', 'sweep-worker': 'src/sweep/sweep-worker.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
  esbuildPlugins: [rawText],
});
