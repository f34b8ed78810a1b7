// @ts-check
// The naive way into a CSV file: line by line with readline, split on commas, one object per row,
// 5-minute bars built alongside.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** @typedef {import('./naive-bars.mjs').NaiveEvent} NaiveEvent */

const MINUTE = 60_000;
const FIVE_MINUTES = 5 * MINUTE;

/**
 * Reads `timestamp,open,high,low,close,volume` rows (local time, read as if UTC: good enough for
 * bucketing) into 1m and 5m events, stopping after `maxRows`.
 * @param {string} path
 * @param {string} symbol
 * @param {number} maxRows
 * @returns {Promise<NaiveEvent[]>}
 */
export async function loadCsvEvents(path, symbol, maxRows) {
  /** @type {NaiveEvent[]} */
  const events = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  /** @type {import('./naive-strategies.mjs').NaiveBar | undefined} */
  let bucket;
  let rows = 0;
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (rows++ >= maxRows) break;
    const [timestamp, open, high, low, close, volume] = line.split(',');
    const bar = {
      time: Date.parse(`${String(timestamp).replace(' ', 'T')}Z`),
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    };
    if (Number.isNaN(bar.time) || Number.isNaN(bar.close)) throw new Error(`bad row ${rows}: ${line}`);
    events.push({ symbol, rank: 0, interval: '1m', closeTime: bar.time + MINUTE, bar });
    const start = Math.floor(bar.time / FIVE_MINUTES) * FIVE_MINUTES;
    if (bucket !== undefined && bucket.time !== start) {
      events.push({ symbol, rank: 0, interval: '5m', closeTime: bucket.time + FIVE_MINUTES, bar: bucket });
      bucket = undefined;
    }
    if (bucket === undefined) bucket = { ...bar, time: start };
    else {
      bucket.high = Math.max(bucket.high, bar.high);
      bucket.low = Math.min(bucket.low, bar.low);
      bucket.close = bar.close;
      bucket.volume += bar.volume;
    }
  }
  lines.close();
  if (bucket !== undefined) {
    events.push({ symbol, rank: 0, interval: '5m', closeTime: bucket.time + FIVE_MINUTES, bar: bucket });
  }
  return events;
}
