import { defineConfig } from 'tsup';

export default defineConfig({
  // `replay`: the development market-data server (strat feed serve, tests); `calendar`: the calendars
  // alone (a strategy thread loads them without Arrow or Parquet); `internal`: what the
  // runtime shares with this package, documented as unstable.
  entry: {
    index: 'src/index.ts',
    replay: 'src/replay/index.ts',
    internal: 'src/internal.ts',
    calendar: 'src/calendar.ts',
    // The CSV source's parsing thread: csv-parse-thread.ts starts dist/csv-parse-worker.js (or .cjs).
    'csv-parse-worker': 'src/sources/csv/csv-parse-worker.ts',
  },
  format: ['esm', 'cjs'],
  // Our declarations name Node's types (node:events, node:util): a consumer with "types": [] gets them.
  dts: {
    entry: {
      index: 'src/index.ts',
      replay: 'src/replay/index.ts',
      internal: 'src/internal.ts',
      calendar: 'src/calendar.ts',
    },
    banner: '/// <reference types="node" />',
  },
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build (where the parsing thread's script is found).
  shims: true,
  // Bundled into the lazily loaded catalog codec: apache-arrow's ESM build is ~150 files, which
  // Node 20 takes ~150 ms to load one by one; bundled (and tree-shaken) it loads in ~40 ms. Nothing
  // of it shows in our API.
  noExternal: ['apache-arrow'],
});
