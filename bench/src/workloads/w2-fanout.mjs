// @ts-check
// W2: 100 symbols x one month of 1-minute bars (1m + 5m), five worker strategies (SMA cross on 1m
// and on 5m, RSI, VWAP, channel breakout), each on every symbol. Strategy notifications per second.
// The same run gives W4's store figures: bytes per stored bar and the RSS after W2.
import { publishedCount } from '@strat/core/internal';
import { loadEvents } from '../../baseline/naive-bars.mjs';
import { runNaivePipeline } from '../../baseline/naive-pipeline.mjs';
import { collectGarbage } from '../measurement.mjs';
import { runSession } from '../run-session.mjs';
import { BENCH_SEED, replayConfig, symbolNames, W2_STRATEGIES } from '../session-configs.mjs';

/** @typedef {'full' | 'quick'} Size */

/** 23 sessions x 390 bars x 100 symbols = 897,000 base bars (full). */
export const W2_SIZES = {
  full: { symbols: 100, startDate: '2024-01-01', endDate: '2024-01-31' },
  quick: { symbols: 10, startDate: '2024-01-02', endDate: '2024-01-03' },
};

const BASELINE_SIZES = {
  full: { symbols: 100, startDate: '2024-01-02', endDate: '2024-01-02' },
  quick: { symbols: 10, startDate: '2024-01-02', endDate: '2024-01-02' },
};

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureW2(size) {
  const spec = W2_SIZES[size];
  const config = replayConfig({
    symbols: symbolNames(spec.symbols),
    strategies: W2_STRATEGIES,
    startDate: spec.startDate,
    endDate: spec.endDate,
  });
  const run = await runSession(config);
  const store = run.session.store;
  let slots = 0;
  let held = 0;
  for (const key of store.keys()) {
    const series = /** @type {import('@strat/core/internal').SeriesBuffers} */ (
      store.getSeries(key.symbol, key.interval)
    );
    slots += series.capacity;
    held += Math.min(publishedCount(series), series.capacity);
  }
  const bytesPerSlot = store.bytesPerStoredBar();
  const storeBytes = store.memoryBytes();
  collectGarbage();
  const rss = process.memoryUsage().rss;
  const notificationsPerSecond = run.notifications / (run.replayMs / 1000);
  return {
    measurements: [
      {
        workload: 'W2',
        metric: 'notifications/s',
        value: notificationsPerSecond,
        unit: 'notif/s',
        better: 'higher',
        target: { op: '>=', value: 1_000_000 },
      },
      {
        workload: 'W2',
        metric: 'base bars/s',
        value: run.baseBars / (run.replayMs / 1000),
        unit: 'bars/s',
        better: 'higher',
      },
      {
        workload: 'W4',
        metric: 'bytes per stored bar',
        value: bytesPerSlot,
        unit: 'B/bar',
        better: 'lower',
        target: { op: '<=', value: 56 },
        note:
          `W4 bytes per stored bar: the store's columnar layout, all series buffers / all ring slots ` +
          `(after W2 the rings hold ${held.toLocaleString('en-US')} bars in ${slots.toLocaleString('en-US')} slots, ` +
          `${(storeBytes / 2 ** 20).toFixed(0)} MiB)`,
      },
      { workload: 'W4', metric: 'RSS after W2', value: rss / 2 ** 20, unit: 'MiB', better: 'lower' },
    ],
    details: {
      ...spec,
      strategies: W2_STRATEGIES,
      baseBars: run.baseBars,
      notifications: run.notifications,
      replayMs: run.replayMs,
      overheadMs: run.overheadMs,
      signals: run.summary.signals,
      perStrategy: run.summary.metrics.per_strategy?.map((m) => ({
        strategy: m.strategy,
        notifications: m.notifications_processed,
        avgUs: m.avg_processing_time_us,
      })),
      store: { series: store.keys().length, slots, barsHeld: held, bytes: storeBytes },
    },
  };
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureW2Baseline(size) {
  const spec = BASELINE_SIZES[size];
  const run = await runNaivePipeline({
    load: () =>
      loadEvents({
        symbols: symbolNames(spec.symbols),
        seed: BENCH_SEED,
        startDate: spec.startDate,
        endDate: spec.endDate,
      }),
    strategies: W2_STRATEGIES,
  });
  collectGarbage();
  return {
    values: {
      'notifications/s': run.notifications / (run.wallMs / 1000),
      'base bars/s': run.baseBars / (run.wallMs / 1000),
      'bytes per stored bar': naiveBytesPerBar(),
    },
    note: `naive pipeline on ${spec.symbols} symbols x 1 session (${run.notifications.toLocaleString('en-US')} notifications); W4: heap bytes per bar object`,
    details: { ...spec, ...run },
  };
}

/** Heap bytes per bar kept as a plain object in an array (measured on 200,000 bars). */
function naiveBytesPerBar() {
  const count = 200_000;
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const bars = [];
  for (let i = 0; i < count; i++) {
    bars.push({
      time: 1.7e12 + i * 60_000,
      open: 100 + i / 7,
      high: 101 + i / 7,
      low: 99 + i / 7,
      close: 100.5 + i / 7,
      volume: 1000 + i,
    });
  }
  collectGarbage();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  return bars.length === count ? bytes : Number.NaN;
}
