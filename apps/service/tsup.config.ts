import { defineConfig } from 'tsup';

export default defineConfig({
  // Each session runs in a child process on an entry of its own.
  entry: {
    index: 'src/index.ts',
    main: 'src/main.ts',
    'session-process': 'src/sessions/process/session-process-main.ts',
    // Each sweep runs in a child process of its own, its combinations on a pool of worker threads.
    'sweep-process': 'src/sweeps/process/sweep-process-main.ts',
    'sweep-worker': 'src/sweeps/process/sweep-worker.ts',
    // A backtest's bars are read again for charts on a thread of their own.
    'bars-worker': 'src/sessions/bars/bars-worker.ts',
  },
  format: ['esm'],
  sourcemap: true,
  // dist/web is the dashboard Vite builds (web/): a rebuild of the server code leaves it alone.
  clean: ['!web/**'],
});
