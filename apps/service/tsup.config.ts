import { defineConfig } from 'tsup';

export default defineConfig({
  // Each session runs in a child process on an entry of its own.
  entry: {
    index: 'src/index.ts',
    main: 'src/main.ts',
    'session-process': 'src/sessions/process/session-process-main.ts',
  },
  format: ['esm'],
  sourcemap: true,
  clean: true,
});
