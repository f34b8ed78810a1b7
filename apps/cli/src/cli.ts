import { prewarmStrategyWorkers } from '@strat/runtime/prewarm';
import { earlyStrategyWorkers } from './run/early-workers';

// Reading the output through `head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// `strat run`'s strategy thread starts loading its modules (~0.3 s) now, beside the CLI's own, which are
// imported below: until then only @strat/runtime/prewarm is loaded (it loads nothing of @strat/core).
prewarmStrategyWorkers(earlyStrategyWorkers(process.argv));
const { runCli } = await import('./run-cli');

// A strategy compiled with source maps and run inline shows its own lines in stack traces (in a
// worker the runtime does the same; tsx maps `.ts` strategies by itself). Node reads and parses the
// map of every module imported from now on, so this comes after the CLI's own modules (their maps
// cost ~50 ms of every start-up, measured on `strat --version`) and before any strategy is imported.
process.setSourceMapsEnabled(true);

const code = await runCli(process.argv);
// Worker threads and loader hooks can outlive a session by a moment: exit explicitly once the
// output is flushed.
process.stdout.write('', () => {
  process.stderr.write('', () => process.exit(code));
});
