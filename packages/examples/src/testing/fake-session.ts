import {
  type BarInput,
  type BarSeries,
  type BaseStrategy,
  createLogger,
  type Interval,
  type LogRecord,
  type Signal,
  StratError,
  type StrategyContext,
} from '@strat/core';
import { appendBar, BAR_FLAG_FILLED, ColumnarBarSeries, createSeriesBuffers } from '@strat/core/internal';
import { LocalCalendarDay } from '../time/local-calendar-day';

interface FakeSeries {
  view: BarSeries;
  /** Present for growing series (appendable). */
  grow?: ColumnarBarSeries;
  quality: number;
}

/** Options of {@link FakeSession}. */
export interface FakeSessionOptions {
  /**
   * The session date of an instant, `YYYY-MM-DD` (what a session's calendar answers); default: the
   * New York calendar day, which is `us_equities`' session date for every bar in its hours.
   */
  sessionDateOf?: (time: number) => string;
}

/** The session dates of a calendar whose sessions start at `sessionStartMs` local time (0: midnight), as `YYYY-MM-DD`. */
export function localSessionDates(timeZone: string, sessionStartMs = 0): (time: number) => string {
  const days = new LocalCalendarDay(timeZone, sessionStartMs);
  return (time) => {
    const key = days.keyOf(time);
    const month = Math.floor(key / 100) % 100;
    const day = key % 100;
    return `${Math.floor(key / 10_000)}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
  };
}

/**
 * A test-only {@link StrategyContext}: holds series either prebuilt (`barSeriesFromBars`) or growing
 * bar by bar in a ring buffer (`createSeriesBuffers` + `appendBar` + `ColumnarBarSeries.bound`), like
 * the session store does. Not exported from the package.
 */
export class FakeSession implements StrategyContext {
  readonly mode = 'backtest';
  readonly speedMultiplier = 0;
  /** Every log record written through `logger`. */
  readonly records: LogRecord[] = [];
  readonly logger = createLogger('test', 'debug', (record) => this.records.push(record));
  readonly #series = new Map<string, FakeSeries>();
  readonly #sessionDateOf: (time: number) => string;
  #now = 0;

  constructor(options: FakeSessionOptions = {}) {
    this.#sessionDateOf = options.sessionDateOf ?? localSessionDates('America/New_York');
  }

  /** Sets a prebuilt series (e.g. from `barSeriesFromBars`). */
  setSeries(series: BarSeries, quality = 100): this {
    this.#series.set(key(series.symbol, series.interval), { view: series, quality });
    return this;
  }

  /** Creates an empty growing series whose readers see at most `window` bars. */
  openSeries(symbol: string, interval: Interval, window = 4096): this {
    const buffers = createSeriesBuffers({ window, shared: false });
    const grow = new ColumnarBarSeries(buffers, symbol, interval);
    this.#series.set(key(symbol, interval), { view: grow, grow, quality: 100 });
    return this;
  }

  /** Publishes one bar to a growing series and makes it visible; returns its absolute index. */
  append(symbol: string, interval: Interval, bar: BarInput): number {
    const grow = this.#entry(symbol, interval).grow;
    if (grow === undefined) throw new Error(`${symbol} ${interval} is not a growing series`);
    const b = grow.buffers;
    const flags = bar.filled ? BAR_FLAG_FILLED : 0;
    const index = appendBar(b, bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume, flags);
    grow.bound(index + 1);
    this.#now = bar.time;
    return index;
  }

  /** Sets the quality `getBarQuality` reports for a series. */
  setQuality(symbol: string, interval: Interval, quality: number): void {
    this.#entry(symbol, interval).quality = quality;
  }

  /** Log messages at `level`. */
  messages(level: LogRecord['level']): string[] {
    return this.records.filter((r) => r.level === level).map((r) => r.message);
  }

  getCurrentTime(): number {
    return this.#now;
  }

  getBars(symbol: string, interval: Interval): BarSeries {
    return this.#entry(symbol, interval).view;
  }

  hasBars(symbol: string, interval: Interval): boolean {
    return this.#series.has(key(symbol, interval));
  }

  getBarQuality(symbol: string, interval: Interval): number {
    return this.#entry(symbol, interval).quality;
  }

  /** The session date of `time`, default the newest appended bar's (see {@link FakeSessionOptions}). */
  sessionDate(time = this.#now): string {
    return this.#sessionDateOf(time);
  }

  getSymbols(): readonly string[] {
    return [...new Set([...this.#series.values()].map((s) => s.view.symbol))];
  }

  #entry(symbol: string, interval: Interval): FakeSeries {
    const entry = this.#series.get(key(symbol, interval));
    if (entry === undefined) throw new StratError('SERIES_UNKNOWN', `no series ${symbol} ${interval}`);
    return entry;
  }
}

function key(symbol: string, interval: Interval): string {
  return `${symbol}|${interval}`;
}

/** A signal with the position (0-based, in the bars fed) of the bar that produced it. */
export interface IndexedSignal {
  index: number;
  signal: Signal;
}

/**
 * Feeds `bars` one at a time into a growing series of `session` and calls `onBars` after each,
 * as a session does. `notify(i)` false skips the notification of bar `i` (the bar is still
 * published, like bars a strategy did not see). Returns every signal with its bar's position.
 */
export function replay(
  strategy: BaseStrategy,
  session: FakeSession,
  symbol: string,
  interval: Interval,
  bars: ReadonlyArray<BarInput>,
  notify: (i: number) => boolean = () => true,
): IndexedSignal[] {
  const out: IndexedSignal[] = [];
  bars.forEach((bar, index) => {
    session.append(symbol, interval, bar);
    if (!notify(index)) return;
    const signals = strategy.onBars(symbol, interval);
    if (signals instanceof Promise) throw new Error('replay expects synchronous onBars');
    for (const signal of signals) out.push({ index, signal });
  });
  return out;
}

/** Bars one minute apart from 2024-03-04 14:30 UTC (09:30 New York) with the given closes. */
export function barsFromCloses(closes: ReadonlyArray<number>, volume = 1000): BarInput[] {
  const start = Date.UTC(2024, 2, 4, 14, 30);
  return closes.map((close, i) => ({
    time: start + i * 60_000,
    open: close,
    high: close,
    low: close,
    close,
    volume,
  }));
}
