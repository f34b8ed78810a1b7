// @ts-check
// Bars as arrays of objects: read everything, aggregate 1m -> 5m per session, sort all closed bars
// into one event list. What a straightforward JS backtest does before it replays.
import { GeneratorBarSource, TradingCalendar } from '@strat/data';

/** @typedef {import('./naive-strategies.mjs').NaiveBar} NaiveBar */

/**
 * One closed bar to deliver.
 * @typedef {{ symbol: string, rank: number, interval: string, closeTime: number, bar: NaiveBar }} NaiveEvent
 */

const MINUTE = 60_000;
const FIVE_MINUTES = 5 * MINUTE;

/**
 * Bars of one symbol as objects, from the same generator the workloads use.
 * @param {GeneratorBarSource} source
 * @param {string} symbol
 * @param {number} from
 * @param {number} to
 * @returns {Promise<NaiveBar[]>}
 */
export async function readBarObjects(source, symbol, from, to) {
  /** @type {NaiveBar[]} */
  const bars = [];
  for await (const chunk of source.read(symbol, from, to)) {
    for (let i = 0; i < chunk.length; i++) {
      bars.push({
        time: /** @type {number} */ (chunk.time[i]),
        open: /** @type {number} */ (chunk.open[i]),
        high: /** @type {number} */ (chunk.high[i]),
        low: /** @type {number} */ (chunk.low[i]),
        close: /** @type {number} */ (chunk.close[i]),
        volume: /** @type {number} */ (chunk.volume[i]),
      });
    }
  }
  return bars;
}

/**
 * Every closed 1m and 5m bar of `symbols` between the dates, ordered like the real processor
 * delivers them: close time, then symbol, then interval.
 * @param {{ symbols: readonly string[], startDate: string, endDate: string, seed: number, calendar?: 'us_equities' | '24x7', sessionClose?: string }} spec
 * @returns {Promise<NaiveEvent[]>}
 */
export async function loadEvents(spec) {
  const calendar = TradingCalendar.fromConfig({
    preset: spec.calendar ?? 'us_equities',
    ...(spec.sessionClose === undefined ? {} : { close: spec.sessionClose }),
  });
  const source = new GeneratorBarSource({ calendar, seed: spec.seed });
  const sessions = calendar.sessions(spec.startDate, spec.endDate);
  const first = sessions[0];
  const last = sessions.at(-1);
  if (first === undefined || last === undefined) return [];
  /** @type {NaiveEvent[]} */
  const events = [];
  for (const [rank, symbol] of spec.symbols.entries()) {
    const bars = await readBarObjects(source, symbol, first.open, last.close);
    let s = 0;
    /** @type {NaiveBar | undefined} */
    let bucket;
    let bucketEnd = 0;
    for (const bar of bars) {
      while (s < sessions.length && bar.time >= /** @type {{ close: number }} */ (sessions[s]).close) s++;
      const session = /** @type {{ open: number, close: number }} */ (sessions[s]);
      const closeTime = Math.min(bar.time + MINUTE, session.close);
      events.push({ symbol, rank, interval: '1m', closeTime, bar });
      const start = session.open + Math.floor((bar.time - session.open) / FIVE_MINUTES) * FIVE_MINUTES;
      if (bucket !== undefined && bucket.time !== start) {
        events.push({ symbol, rank, interval: '5m', closeTime: bucketEnd, bar: bucket });
        bucket = undefined;
      }
      if (bucket === undefined) {
        bucket = { ...bar, time: start };
        bucketEnd = Math.min(start + FIVE_MINUTES, session.close);
      } else {
        bucket.high = Math.max(bucket.high, bar.high);
        bucket.low = Math.min(bucket.low, bar.low);
        bucket.close = bar.close;
        bucket.volume += bar.volume;
      }
    }
    if (bucket !== undefined)
      events.push({ symbol, rank, interval: '5m', closeTime: bucketEnd, bar: bucket });
  }
  events.sort(
    (a, b) =>
      a.closeTime - b.closeTime ||
      a.rank - b.rank ||
      (a.interval === b.interval ? 0 : a.interval === '1m' ? -1 : 1),
  );
  return events;
}
