import { parentPort, workerData } from 'node:worker_threads';
import type { BarsTask } from './replay-in-worker';
import { replaySeriesBars } from './replay-series-bars';

// The entry of a thread that reads one series again from a backtest's source (built to
// dist/bars-worker.js), so that the service's event loop stays free while it does.
const task = workerData as BarsTask;
replaySeriesBars(task.config, task.configDir, task.symbol, task.interval).then(
  (bars) => {
    const buffers = [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume].map((c) => c.buffer);
    parentPort?.postMessage({ bars }, buffers as ArrayBuffer[]);
  },
  (error: unknown) =>
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
