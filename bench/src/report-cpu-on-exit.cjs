// Preloaded (`node --require`) into a `strat` process the bench times: when the process exits, writes
// its CPU time (user and system microseconds, every thread it ran) to $STRAT_BENCH_CPU_FILE.
// Only the main thread writes (worker threads load preloads too): its exit comes last.
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.STRAT_BENCH_CPU_FILE;
if (isMainThread && file !== undefined && file !== '') {
  process.on('exit', () => {
    try {
      writeFileSync(file, JSON.stringify(process.cpuUsage()));
    } catch {
      // The bench then reports no CPU time for this run.
    }
  });
}
