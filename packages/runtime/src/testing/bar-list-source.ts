import { type Interval, intervalToMs } from '@strat/core';
import type { BarChunk, BarSource, SourceReport } from '@strat/data';

const MAX_CHUNK = 4096;

/** A bar given to the test harness: a whole bar, or only its close (open, high and low equal it). */
export type TestBar =
  | number
  | {
      /** Start of the bar, epoch ms UTC (default: the previous bar's plus the interval). */
      time?: number;
      open?: number;
      high?: number;
      low?: number;
      close: number;
      /** Default 1,000. */
      volume?: number;
    };

interface Columns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const DEFAULT_VOLUME = 1000;

function columnsOf(symbol: string, bars: readonly TestBar[], start: number, span: number): Columns {
  const n = bars.length;
  const out: Columns = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let previous = start - span;
  bars.forEach((bar, i) => {
    const b = typeof bar === 'number' ? { close: bar } : bar;
    const time = b.time ?? previous + span;
    const open = b.open ?? b.close;
    const values = [time, open, b.high ?? Math.max(open, b.close), b.low ?? Math.min(open, b.close), b.close];
    if (!values.every(Number.isFinite) || !Number.isFinite(b.volume ?? 0)) {
      throw new TypeError(
        `bars of ${symbol}[${i}]: time and prices must be finite numbers, got ${JSON.stringify(bar)}`,
      );
    }
    if (time <= previous && i > 0) {
      throw new TypeError(`bars of ${symbol}[${i}]: times must increase, got ${time} after ${previous}`);
    }
    previous = time;
    out.time[i] = time;
    out.open[i] = open;
    out.high[i] = values[2] as number;
    out.low[i] = values[3] as number;
    out.close[i] = b.close;
    out.volume[i] = b.volume ?? DEFAULT_VOLUME;
  });
  return out;
}

/**
 * A {@link BarSource} over bars held in memory, per symbol: what the test harness replays. Bars
 * without a time follow the previous one by the interval, the first at `start`.
 */
export class BarListSource implements BarSource {
  /** For messages. */
  readonly description = 'bars given in code';
  /** The interval of the bars. */
  readonly interval: Interval;
  /** The symbols given bars, in the order given. */
  readonly symbols: readonly string[];
  readonly #bars = new Map<string, Columns>();
  #rowsRead = 0;

  /** @throws TypeError for a bar with a time or price that is not a finite number, or times that do not increase */
  constructor(bars: Readonly<Record<string, readonly TestBar[]>>, interval: Interval, start: number) {
    this.interval = interval;
    const span = intervalToMs(interval);
    for (const [symbol, list] of Object.entries(bars))
      this.#bars.set(symbol, columnsOf(symbol, list, start, span));
    this.symbols = [...this.#bars.keys()];
  }

  /** The first and last bar times over every symbol (undefined without bars). */
  timeRange(): { first: number; last: number } | undefined {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const columns of this.#bars.values()) {
      if (columns.time.length === 0) continue;
      first = Math.min(first, columns.time[0] as number);
      last = Math.max(last, columns.time[columns.time.length - 1] as number);
    }
    return first === Number.POSITIVE_INFINITY ? undefined : { first, last };
  }

  /** The bars of `symbol` with start time in [from, to), in chunks of at most 4,096. */
  async *read(symbol: string, from: number, to: number): AsyncIterable<BarChunk> {
    const columns = this.#bars.get(symbol);
    if (columns === undefined) return;
    const time = columns.time;
    let begin = 0;
    while (begin < time.length && (time[begin] as number) < from) begin++;
    let end = begin;
    while (end < time.length && (time[end] as number) < to) end++;
    for (let at = begin; at < end; at += MAX_CHUNK) {
      const stop = Math.min(end, at + MAX_CHUNK);
      this.#rowsRead += stop - at;
      yield {
        symbol,
        length: stop - at,
        time: time.slice(at, stop),
        open: columns.open.slice(at, stop),
        high: columns.high.slice(at, stop),
        low: columns.low.slice(at, stop),
        close: columns.close.slice(at, stop),
        volume: columns.volume.slice(at, stop),
      };
    }
  }

  /** Bars handed out so far; nothing is ever skipped. */
  report(): SourceReport {
    return { rowsRead: this.#rowsRead, rowsSkipped: 0, problems: [] };
  }
}
