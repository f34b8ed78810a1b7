// @ts-check
// WP's baseline, run as its own process: grademark (JS) backtests the SMA cross 10/20 on the bench's
// CSV the way its README shows: data-forge reads the CSV, data-forge-indicators computes the moving
// averages, a long position is held while SMA 10 is above SMA 20. Grademark is not a dependency of the
// project: it is loaded from the folder given (where `npm install grademark data-forge
// data-forge-indicators` was run). Prints the bar and trade counts as JSON.
// Usage: node wp-grademark.mjs <csv> <a file in the folder grademark resolves from>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [csvPath, from] = process.argv.slice(2);
if (csvPath === undefined || from === undefined) {
  console.error('usage: node wp-grademark.mjs <csv> <resolve-from>');
  process.exit(2);
}
// Loaded by name at run time: no types, and not a dependency.
const load = createRequire(from);
/** @type {any} */
const dataForge = load('data-forge');
load('data-forge-indicators');
/** @type {any} */
const { backtest, analyze } = load('grademark');

/** UTC offset of New York (ms) per local date; bars are within the day's session, away from 02:00. */
const offsets = new Map();
const zoneFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  timeZoneName: 'shortOffset',
});
/** @param {string} date YYYY-MM-DD */
function offsetOf(date) {
  let offset = offsets.get(date);
  if (offset === undefined) {
    const noon = new Date(`${date}T12:00:00Z`);
    const name = zoneFormat.formatToParts(noon).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    offset = Number(name.replace('GMT', '') || 0) * 3_600_000;
    offsets.set(date, offset);
  }
  return offset;
}

const MINUTE = 60_000;
let input = dataForge
  .fromCSV(readFileSync(csvPath, 'utf8'))
  .parseFloats(['Open', 'High', 'Low', 'Close', 'Volume'])
  .select((/** @type {Record<string, any>} */ row) => ({
    // The row's New York end time, as a UTC bar start.
    time: new Date(Date.parse(`${row.Date}T${row.Time}Z`) - offsetOf(row.Date) - MINUTE),
    open: row.Open,
    high: row.High,
    low: row.Low,
    close: row.Close,
    volume: row.Volume,
  }))
  .bake();
const close = input.deflate((/** @type {{ close: number }} */ bar) => bar.close);
input = input
  .withSeries({ fast: close.sma(10), slow: close.sma(20) })
  .skip(20)
  .bake();

const strategy = {
  entryRule: (/** @type {() => void} */ enter, /** @type {{ bar: any }} */ args) => {
    if (args.bar.fast > args.bar.slow) enter();
  },
  exitRule: (/** @type {() => void} */ exit, /** @type {{ bar: any }} */ args) => {
    if (args.bar.fast < args.bar.slow) exit();
  },
};
const trades = backtest(strategy, input);
const analysis = analyze(10_000, trades);
process.stdout.write(
  `${JSON.stringify({ bars: input.count(), trades: trades.length, profitPct: analysis.profitPct })}\n`,
);
