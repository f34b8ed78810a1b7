// @ts-check
// D1 (issue 3's data benchmark): the data path alone. DataProcessor replays generated 1m bars of
// many symbols through aggregation (5m, 15m, 1h) into the shared store, with no consumer; the
// baseline reads the same bars as objects, aggregates 1m -> 5m and sorts the events (naive-bars).
import { DataProcessor, GeneratorBarSource, SessionData, TradingCalendar } from '@strat/data';
import { loadEvents } from '../../baseline/naive-bars.mjs';
import { median } from '../measurement.mjs';

/** @typedef {'full' | 'quick'} Size */

export const D1_SIZES = {
  full: { symbols: 100, startDate: '2024-01-02', endDate: '2024-01-31', repeats: 3 },
  quick: { symbols: 10, startDate: '2024-01-02', endDate: '2024-01-03', repeats: 1 },
};

const symbolsOf = (/** @type {number} */ n) =>
  Array.from({ length: n }, (_, i) => `S${String(i).padStart(4, '0')}`);

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureD1(size) {
  const spec = D1_SIZES[size];
  const calendar = TradingCalendar.usEquities();
  const rates = [];
  let bars = 0;
  let published = 0;
  for (let r = 0; r < spec.repeats; r++) {
    const processor = new DataProcessor({
      store: new SessionData({ window: 4096 }),
      source: new GeneratorBarSource({ calendar, seed: 9 }),
      calendar,
      symbols: symbolsOf(spec.symbols),
      streams: ['1m', '5m', '15m', '1h'],
      startDate: spec.startDate,
      endDate: spec.endDate,
    });
    const summary = await processor.run();
    bars = summary.barsDone;
    published = summary.barsPublished;
    rates.push(summary.barsDone / (summary.replayMs / 1000));
  }
  return {
    measurements: [
      {
        workload: 'D1',
        metric: 'bars/s',
        value: median(rates),
        unit: 'bars/s',
        better: 'higher',
        note: `D1: DataProcessor, ${spec.symbols} symbols ${spec.startDate}..${spec.endDate}, ${bars} base bars -> ${published} bars in 1m/5m/15m/1h, no consumer (median of ${spec.repeats}; source opening excluded)`,
      },
    ],
    details: { bars, published, rates },
  };
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureD1Baseline(size) {
  const spec = D1_SIZES[size];
  const started = performance.now();
  const events = await loadEvents({
    symbols: symbolsOf(spec.symbols),
    startDate: spec.startDate,
    endDate: spec.endDate,
    seed: 9,
  });
  const seconds = (performance.now() - started) / 1000;
  const bars = events.filter((e) => e.interval === '1m').length;
  return {
    values: { 'bars/s': bars / seconds },
    note: 'bars read as objects, 1m -> 5m aggregated per session, all events sorted (one stream fewer than D1)',
    details: { bars, events: events.length },
  };
}
