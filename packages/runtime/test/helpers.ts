import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { type Interval, intervalToMs, type LogRecord } from '@strat/core';
import { appendBar, createSeriesBuffers, type SeriesBuffers } from '@strat/core/internal';
import { type ResolvedStrategyModule, resolveStrategyModule } from '../src/loader/resolve-strategy-module';
import type { StampedSignal } from '../src/thread/stamped-signal';
import { startWorker } from '../src/thread/start-worker';
import type { StrategyThread } from '../src/thread/strategy-thread';
import type { StrategyErrorEvent } from '../src/thread/strategy-thread-events';

/** Absolute path of test/fixtures/ (with a trailing slash). */
export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The absolute path of test fixture `name` (`.ts`). */
export function fixturePath(name: string): string {
  return join(fixturesDir, `${name}.ts`);
}

/** A fixture strategy module, resolved as a session would resolve `./<name>.ts` next to its config. */
export function fixture(name: string): { module: string; resolved: ResolvedStrategyModule } {
  const module = `./${name}.ts`;
  return {
    module,
    resolved: resolveStrategyModule(module, {
      roots: [fixturesDir],
      fromDir: fixturesDir,
      strategyRoots: [fixturesDir],
    }),
  };
}

/** A shared series of `count` bars from `start`, closes from `price(i)`. */
export function makeSeries(
  count: number,
  options: { interval?: Interval; start?: number; window?: number; price?: (i: number) => number } = {},
): SeriesBuffers {
  const span = intervalToMs(options.interval ?? '1m');
  const start = options.start ?? Date.UTC(2024, 0, 2, 14, 30);
  const price = options.price ?? ((i: number) => 100 + 10 * Math.sin(i / 4));
  const series = createSeriesBuffers({ window: options.window ?? 256 });
  for (let i = 0; i < count; i++) appendSeriesBar(series, start + i * span, price(i));
  return series;
}

/** Appends one bar with the same open/high/low/close. */
export function appendSeriesBar(series: SeriesBuffers, time: number, price: number): number {
  return appendBar(series, time, price, price + 1, price - 1, price, 1000);
}

/** Close time (epoch ms) of bar `index` of `series`. */
export function closeTimeOf(series: SeriesBuffers, index: number, interval: Interval = '1m'): number {
  return (series.time[index & series.mask] as number) + intervalToMs(interval);
}

/** Everything a thread emits, collected. */
export class ThreadRecorder {
  readonly signals: StampedSignal[] = [];
  readonly logs: LogRecord[] = [];
  readonly errors: StrategyErrorEvent[] = [];
  readonly exits: string[] = [];

  constructor(thread: StrategyThread) {
    thread.on('signal', (batch) => this.signals.push(...batch));
    thread.on('log', (record) => this.logs.push(record));
    thread.on('error', (event) => this.errors.push(event));
    thread.on('exit', (event) => this.exits.push(event.state));
  }

  logMessages(): string[] {
    return this.logs.map((record) => `${record.level} ${record.message}`);
  }
}

/** Notifies bars `from..to-1` of series 0 one at a time, waiting for the strategy after each (data-driven). */
export async function feedOneByOne(
  thread: StrategyThread,
  series: SeriesBuffers,
  from: number,
  to: number,
  seriesId = 0,
): Promise<void> {
  for (let index = from; index < to; index++) {
    thread.notify(seriesId, index, closeTimeOf(series, index));
    thread.signalReady();
    await thread.waitUntilReady();
  }
}

/** Starts a worker on a TypeScript file (tsx registered in the new thread first). */
export function startTypeScriptWorker(file: URL, options: WorkerOptions): Worker {
  return startWorker(file, options);
}
