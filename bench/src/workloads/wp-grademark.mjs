// @ts-check
// WP's baseline, run as its own process: grademark (JS) backtests the SMA cross 10/20 on the bench's
// CSV, given its best chance: the file is split by hand into the bar objects grademark's README asks
// for (`{ time: Date, open, high, low, close }`), the moving averages are computed in plain JS, and
// grademark's backtest runs on a data-forge DataFrame of those bars, long while SMA 10 is above SMA 20.
// (data-forge's own CSV reader and data-forge-indicators' rolling windows, as the README's example
// uses them, took over 10 s for 50,000 rows here.) Grademark is not a dependency of the project: it is
// loaded from the folder given (where `npm install grademark data-forge chai@4` was run). Prints the bar and
// trade counts as JSON.
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
const lines = readFileSync(csvPath, 'utf8').split('\n');
/** @type {{ time: Date, open: number, high: number, low: number, close: number, volume: number, fast: number, slow: number }[]} */
const bars = [];
let fastSum = 0;
let slowSum = 0;
for (let i = 1; i < lines.length; i++) {
  const line = /** @type {string} */ (lines[i]);
  if (line === '') continue;
  const [date = '', time, open, high, low, close, volume] = line.split(',');
  const bar = {
    // The row's New York end time, as a UTC bar start.
    time: new Date(Date.parse(`${date}T${time}Z`) - offsetOf(date) - MINUTE),
    open: Number(open),
    high: Number(high),
    low: Number(low),
    close: Number(close),
    volume: Number(volume),
    fast: Number.NaN,
    slow: Number.NaN,
  };
  bars.push(bar);
  const n = bars.length;
  fastSum += bar.close - (n > 10 ? /** @type {{ close: number }} */ (bars[n - 11]).close : 0);
  slowSum += bar.close - (n > 20 ? /** @type {{ close: number }} */ (bars[n - 21]).close : 0);
  if (n >= 10) bar.fast = fastSum / 10;
  if (n >= 20) bar.slow = slowSum / 20;
}
const input = new dataForge.DataFrame(bars.slice(19));

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
