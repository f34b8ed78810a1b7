import { setMaxListeners } from 'node:events';
import type { SessionConfig } from '@strat/core';
import { checkSweepCombinations, combinationAt, runWalkForward, type SweepRow } from '@strat/runtime';
import { Piscina } from 'piscina';
import { describeError } from '../../sessions/process/session-host';
import type { SweepControl, SweepProcessInit, SweepReport, SweepRowPlace } from './sweep-process-protocol';
import type { SweepTask } from './sweep-worker';

/** How the host talks to the service: the IPC channel of its process. */
export interface SweepChannel {
  /** Sends a report; `done` runs once it is handed to the channel. */
  send(report: SweepReport, done?: () => void): void;
  /** Calls `listener` with every control message. */
  onControl(listener: (control: SweepControl) => void): void;
  /** Ends the process. */
  exit(): void;
}

/** Options of {@link hostSweep}. */
export interface SweepHostOptions {
  /** The pool's worker script (`dist/sweep-worker.js`). */
  workerScript: URL;
}

/**
 * The sweep's side of a sweep process. First it checks every combination as `strat sweep` does
 * (each strategy constructed and set up inline, on this thread: the process is the sweep's own),
 * answering `refused` with the problems or `ready`. On `start` it runs the combinations on a pool
 * of worker threads (piscina, `workers` of them, each keeping its bars between combinations over
 * the same data) and sends each row as it finishes, then `end`. On `stop` no further combination
 * starts and the running ones are abandoned (their threads end): finished rows are all sent.
 */
export function hostSweep(channel: SweepChannel, init: SweepProcessInit, options: SweepHostOptions): void {
  const abort = new AbortController();
  // Every queued combination listens to the one signal.
  setMaxListeners(0, abort.signal);
  let pool: Piscina<SweepTask, SweepRow> | undefined;
  let started = false;
  channel.onControl((control) => {
    if (control.type === 'start' && !started) {
      started = true;
      pool = new Piscina<SweepTask, SweepRow>({
        filename: options.workerScript.href,
        minThreads: 1,
        maxThreads: Math.max(1, init.workers),
        idleTimeout: 1000,
      });
      void run(channel, init, pool, abort.signal);
    } else if (control.type === 'stop') {
      abort.abort();
    } else if (control.type === 'shutdown') {
      abort.abort();
      void (pool?.destroy() ?? Promise.resolve()).finally(() => channel.exit());
    }
  });
  void check(channel, init);
}

async function check(channel: SweepChannel, init: SweepProcessInit): Promise<void> {
  try {
    const problems = await checkSweepCombinations(init.config, init.params, init.indices, {
      configDir: init.configDir,
      roots: [init.projectRoot],
    });
    channel.send(problems.length > 0 ? { type: 'refused', problems } : { type: 'ready' });
  } catch (error) {
    channel.send({ type: 'failed', error: describeError(error) });
  }
}

async function run(
  channel: SweepChannel,
  init: SweepProcessInit,
  pool: Piscina<SweepTask, SweepRow>,
  signal: AbortSignal,
): Promise<void> {
  const runGrid = async (
    config: SessionConfig,
    indices: readonly number[],
    place: SweepRowPlace,
  ): Promise<Map<number, SweepRow>> => {
    const rows = new Map<number, SweepRow>();
    await Promise.all(
      indices.map(async (index) => {
        const combination = combinationAt(init.params, index);
        let row: SweepRow;
        try {
          row = await pool.run({ config, index, combination, configDir: init.configDir }, { signal });
        } catch (error) {
          // An abandoned combination gives no row.
          if (signal.aborted) return;
          row = { index, combination, error: error instanceof Error ? error.message : String(error) };
        }
        rows.set(index, row);
        channel.send({ type: 'row', row, place });
      }),
    );
    return rows;
  };
  try {
    if (init.windows === null) {
      await runGrid(init.config, init.indices, { window: null, phase: null });
      channel.send({ type: 'end', stopped: signal.aborted, steps: null });
    } else {
      const steps = await runWalkForward({
        config: init.config,
        windows: init.windows,
        indices: init.indices,
        objective: init.objective,
        minimize: init.minimize,
        signal,
        runGrid: (config, indices, window, phase) => runGrid(config, indices, { window, phase }),
      });
      channel.send({ type: 'end', stopped: signal.aborted, steps });
    }
  } catch (error) {
    channel.send({ type: 'end', stopped: signal.aborted, steps: null, error: describeError(error).message });
  }
}
