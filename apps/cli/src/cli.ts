import { prewarmStrategyWorkers } from '@strat/runtime/prewarm';
import { earlyStrategyWorkers } from './run/early-workers';

// A reader that goes away early (`strat run ... 2>&1 | head`) closes the pipe: that is not an error worth
// a stack trace, nor a reason to end a run with its journal and results half-written. The stream is
// muted and the command goes on; its files and exit code are as they would have been.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    muteStream(stream);
  });
}

function muteStream(stream: NodeJS.WriteStream): void {
  stream.write = ((_chunk: unknown, encodingOrDone?: unknown, done?: unknown) => {
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof callback === 'function') process.nextTick(callback as () => void);
    return true;
  }) as NodeJS.WriteStream['write'];
}

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
