// @ts-check
// W3: clock-driven latency. Five worker strategies with empty handlers, one 1-minute bar per
// millisecond of wall time (speed 60,000 on a 24x7 calendar) for about 10 s, 1 ms budget.
// Latency = wall time at the start of `onBars` (noted in the worker by the probe strategy) minus the
// wall time the bar was published at (the session's `bar` event, emitted just before the batch is
// handed over, so the figure is if anything a little high).
import { createHistogram } from 'node:perf_hooks';
import { NaiveWorker } from '../../baseline/naive-pipeline.mjs';
import { runSession } from '../run-session.mjs';
import { replayConfig } from '../session-configs.mjs';
import { measureWakeFloor } from './wake-floor.mjs';

/** @typedef {'full' | 'quick'} Size */

const SPEED = 60_000;
const STRATEGIES = 5;
const BUDGET_MS = 1;

/** 7 days x 1,440 bars = 10,080 bars = 10.1 s (full). */
export const W3_SIZES = {
  full: { startDate: '2024-01-01', endDate: '2024-01-07' },
  quick: { startDate: '2024-01-01', endDate: '2024-01-01' },
};

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * @param {import('node:perf_hooks').RecordableHistogram} histogram recorded in ns
 */
function latencyStats(histogram) {
  const us = (/** @type {number} */ ns) => ns / 1000;
  return {
    count: histogram.count,
    p50: us(histogram.percentile(50)),
    p99: us(histogram.percentile(99)),
    p999: us(histogram.percentile(99.9)),
    max: us(histogram.max),
  };
}

/**
 * @param {ReturnType<typeof latencyStats>} stats
 * @param {number} overrunPercent
 * @returns {import('../measurement.mjs').Measurement[]}
 */
function latencyMeasurements(stats, overrunPercent) {
  return [
    {
      workload: 'W3',
      metric: 'latency p50',
      value: stats.p50,
      unit: 'us',
      better: 'lower',
      target: { op: '<=', value: 50 },
    },
    {
      workload: 'W3',
      metric: 'latency p99',
      value: stats.p99,
      unit: 'us',
      better: 'lower',
      target: { op: '<=', value: 250 },
    },
    {
      workload: 'W3',
      metric: 'latency p99.9',
      value: stats.p999,
      unit: 'us',
      better: 'lower',
      target: { op: '<=', value: 1500 },
    },
    {
      workload: 'W3',
      metric: 'overruns',
      value: overrunPercent,
      unit: '%',
      better: 'lower',
      target: { op: '<', value: 0.5 },
    },
  ];
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureW3(size) {
  const range = W3_SIZES[size];
  const config = replayConfig({
    symbols: ['BTC'],
    strategies: Array.from({ length: STRATEGIES }, () => 'latency_probe'),
    calendar: '24x7',
    speedMultiplier: SPEED,
    timeBudgetMs: BUDGET_MS,
    ...range,
  });
  /** @type {Map<number, number>} */
  const publishedAt = new Map();
  /** @type {{ closeTimes: number[], startedAt: number[] }[]} */
  const samples = [];
  const run = await runSession(config, {
    logLevel: 'info',
    beforeStart: (session) => {
      session.on('bar', (bar) => {
        if (bar.interval === '1m') publishedAt.set(bar.time, wallNow());
      });
    },
    onLog: (record) => {
      if (record.message !== 'latency samples') return record.level === 'info';
      samples.push(/** @type {any} */ (record.fields));
      return true;
    },
  });
  const histogram = createHistogram();
  let unmatched = 0;
  for (const probe of samples) {
    probe.closeTimes.forEach((closeTime, i) => {
      const published = publishedAt.get(closeTime);
      if (published === undefined) {
        unmatched++;
        return;
      }
      histogram.record(Math.max(1, Math.round(((probe.startedAt[i] ?? 0) - published) * 1e6)));
    });
  }
  // How late the replay published against the simulated schedule (the pacer's timers), relative
  // to its most punctual bar.
  const offsets = [...publishedAt].map(([closeTime, wall]) => wall - closeTime / SPEED);
  const punctual = Math.min(...offsets);
  const pacing = createHistogram();
  for (const offset of offsets) pacing.record(Math.max(1, Math.round((offset - punctual) * 1e6)));
  const waits = run.baseBars * STRATEGIES;
  const overruns = run.summary.metrics.total_overruns;
  const stats = latencyStats(histogram);
  const floor = await measureWakeFloor(size === 'full' ? 2000 : 300);
  return {
    measurements: [
      ...latencyMeasurements(stats, (100 * overruns) / waits),
      {
        workload: 'W3',
        metric: 'OS wake floor p50',
        value: floor.p50,
        unit: 'us',
        better: 'lower',
        note:
          `W3 OS wake floor: Atomics.notify in one thread to Atomics.wait returning in another, once per ms, ` +
          `no @strat code (p99 ${floor.p99.toFixed(0)} us, p99.9 ${floor.p999.toFixed(0)} us): a parked strategy worker cannot wake faster`,
      },
    ],
    details: {
      ...range,
      speed: SPEED,
      strategies: STRATEGIES,
      budgetMs: BUDGET_MS,
      bars: run.baseBars,
      replayMs: run.replayMs,
      latencyUs: stats,
      unmatched,
      overruns,
      waits,
      pacingLatenessUs: latencyStats(pacing),
      wakeFloorUs: floor,
    },
  };
}

/**
 * The naive clock-driven loop: a timer per bar, then one postMessage per strategy; latency is the
 * worker's receive time minus the send time, an overrun a reply later than the budget.
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureW3Baseline(size) {
  const range = W3_SIZES[size];
  const days = (Date.parse(range.endDate) - Date.parse(range.startDate)) / 86_400_000 + 1;
  const bars = days * 1440;
  const workers = Array.from({ length: STRATEGIES }, () => new NaiveWorker('empty'));
  await Promise.all(workers.map((w) => w.ready));
  const histogram = createHistogram();
  let overruns = 0;
  const start = wallNow();
  for (let k = 0; k < bars; k++) {
    const due = start + (k + 1) * (60_000 / SPEED);
    const wait = due - wallNow();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const bar = { time: k * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 10 };
    const sentAt = wallNow();
    const replies = await Promise.all(
      workers.map((w) =>
        w
          .send({ symbol: 'BTC', interval: '1m', bar, sentAt })
          .then((reply) => ({ ...reply, arrivedAt: wallNow() })),
      ),
    );
    for (const reply of replies) {
      histogram.record(Math.max(1, Math.round((reply.latencyMs ?? 0) * 1e6)));
      if (reply.arrivedAt - sentAt > BUDGET_MS) overruns++;
    }
  }
  await Promise.all(workers.map((w) => w.stop()));
  const stats = latencyStats(histogram);
  const overrunPercent = (100 * overruns) / (bars * STRATEGIES);
  /** @type {Record<string, number>} */
  const values = {};
  for (const m of latencyMeasurements(stats, overrunPercent)) values[m.metric] = m.value;
  return {
    values,
    note: 'naive timer loop, one postMessage per bar per strategy (same bars, strategies, budget)',
    details: { ...range, bars, latencyUs: stats, overruns },
  };
}
