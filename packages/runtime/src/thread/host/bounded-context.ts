import {
  type BarSeries,
  type Interval,
  intervalToMs,
  type Logger,
  StratError,
  type StrategyContext,
} from '@strat/core';
import {
  ColumnarBarSeries,
  openSeriesBuffers,
  publishedCount,
  type SeriesBuffers,
} from '@strat/core/internal';
import { TradingCalendar } from '@strat/data/calendar';
import type { HostInit, SeriesBinding } from '../host-protocol';

/** One series a strategy may read, with the view it is shown. */
export interface SeriesSlot {
  readonly symbol: string;
  readonly interval: Interval;
  readonly intervalMs: number;
  readonly buffers: SeriesBuffers;
  /** The one view handed to the strategy for this series, re-bounded per notification. */
  readonly view: ColumnarBarSeries;
  /** The notification this view was last bounded for. */
  boundFor: number;
  /** The quality last delivered in order through the queue; NaN before the first. */
  quality: number;
  warnedBehind: boolean;
}

/**
 * The {@link StrategyContext} of one strategy, bounded so it cannot look ahead: while bar `k` of a
 * series is handled ({@link enterBar}), that series' view ends at `k`, and every other series'
 * view ends at its last bar closed by bar `k`'s close time (bounded lazily, on first read).
 * Views are re-bounded, never rebuilt: handling a bar allocates nothing.
 */
export class BoundedContext {
  /** What the strategy's hooks receive. */
  readonly context: StrategyContext;
  readonly #name: string;
  readonly #live: boolean;
  readonly #logger: Logger;
  readonly #series: Array<SeriesSlot | undefined> = [];
  readonly #bySymbol = new Map<string, Map<string, SeriesSlot>>();
  readonly #symbols: string[] = [];
  #symbolsView: readonly string[] = [];
  #current: SeriesSlot | undefined;
  #currentIndex = 0;
  #currentTime: number;
  #notificationSeq = 0;
  readonly #calendarConfig: HostInit['calendar'];
  #calendar: TradingCalendar | undefined;

  constructor(init: HostInit, logger: Logger) {
    this.#name = init.name;
    this.#live = init.mode === 'live';
    this.#logger = logger;
    this.#currentTime = init.startTime;
    this.#calendarConfig = init.calendar;
    for (const symbol of init.symbols) this.addSymbol(symbol);
    for (const series of init.series) this.addSeries(series);
    this.context = {
      mode: init.mode,
      speedMultiplier: init.speedMultiplier,
      logger,
      getCurrentTime: () => this.#now(),
      getBars: (symbol, interval) => this.#getBars(symbol, interval),
      hasBars: (symbol, interval) => this.#lookup(symbol, interval) !== undefined,
      getBarQuality: (symbol, interval) => this.#barQuality(symbol, interval),
      getSymbols: () => this.#symbolsView,
      sessionDate: (time?: number) => this.#sessionDate(time),
    };
  }

  /** The series being handled, undefined between bar notifications. */
  get current(): SeriesSlot | undefined {
    return this.#current;
  }

  /** The strategy's current time: the close time of the bar handled last (epoch ms). */
  get currentTime(): number {
    return this.#currentTime;
  }

  /** The series notifications call `seriesId`, if it is bound. */
  slotOf(seriesId: number): SeriesSlot | undefined {
    return this.#series[seriesId];
  }

  /** Starts the handling of bar `index` of `slot`, closed at `closeTime`: bounds its view at that bar. */
  enterBar(slot: SeriesSlot, index: number, closeTime: number): void {
    const seq = ++this.#notificationSeq;
    this.#current = slot;
    this.#currentIndex = index;
    this.#currentTime = closeTime;
    this.#boundToIndex(slot, index);
    slot.boundFor = seq;
  }

  /** Ends the handling of the current bar. */
  leaveBar(): void {
    this.#current = undefined;
  }

  /** Start time (label) of the bar being handled; only while one is ({@link current} set). */
  currentBarTime(): number {
    const buffers = (this.#current as SeriesSlot).buffers;
    return buffers.time[this.#currentIndex & buffers.mask] as number;
  }

  /** Adds a symbol to `getSymbols()` (kept in the order symbols joined). */
  addSymbol(symbol: string): void {
    if (this.#symbols.includes(symbol)) return;
    this.#symbols.push(symbol);
    this.#symbolsView = Object.freeze([...this.#symbols]);
  }

  /** Makes one more series readable under its id, symbol and interval. */
  addSeries(binding: SeriesBinding): void {
    const buffers = openSeriesBuffers(binding.buffer);
    const slot: SeriesSlot = {
      symbol: binding.symbol,
      interval: binding.interval,
      intervalMs: intervalToMs(binding.interval),
      buffers,
      view: new ColumnarBarSeries(buffers, binding.symbol, binding.interval, 0),
      boundFor: -1,
      quality: Number.NaN,
      warnedBehind: false,
    };
    this.#series[binding.seriesId] = slot;
    let intervals = this.#bySymbol.get(binding.symbol);
    if (intervals === undefined) {
      intervals = new Map();
      this.#bySymbol.set(binding.symbol, intervals);
    }
    intervals.set(binding.interval, slot);
    this.addSymbol(binding.symbol);
  }

  #lookup(symbol: string, interval: string): SeriesSlot | undefined {
    return this.#bySymbol.get(symbol)?.get(interval);
  }

  #require(symbol: string, interval: string): SeriesSlot {
    const slot = this.#lookup(symbol, interval);
    if (slot === undefined) {
      throw new StratError(
        'SERIES_UNKNOWN',
        `Strategy "${this.#name}" asked for ${symbol} ${interval}, which the session does not stream to it`,
      );
    }
    return slot;
  }

  // Built on first use (the session already validated the section): a strategy that never asks
  // pays nothing. The calendar keeps the last date's string, so a bar of the same session allocates nothing.
  #sessionDate(time: number | undefined): string {
    let calendar = this.#calendar;
    if (calendar === undefined) {
      calendar = TradingCalendar.fromConfig(this.#calendarConfig);
      this.#calendar = calendar;
    }
    return calendar.sessionDateOf(
      time ?? (this.#current === undefined ? this.#now() : this.currentBarTime()),
    );
  }

  #now(): number {
    if (this.#current === undefined && this.#live) return Date.now();
    return this.#currentTime;
  }

  // The quality delivered in order with the bars (100 before the first change): the series header
  // may already hold a later bar's, since the writer runs ahead of a busy strategy.
  #barQuality(symbol: string, interval: Interval): number {
    const current = this.#current;
    const slot =
      current !== undefined && current.symbol === symbol && current.interval === interval
        ? current
        : this.#require(symbol, interval);
    return Number.isNaN(slot.quality) ? 100 : slot.quality;
  }

  #getBars(symbol: string, interval: Interval): BarSeries {
    const current = this.#current;
    if (current !== undefined && current.symbol === symbol && current.interval === interval)
      return current.view;
    const slot = this.#require(symbol, interval);
    if (slot.boundFor !== this.#notificationSeq) {
      this.#boundToTime(slot, this.#currentTime);
      slot.boundFor = this.#notificationSeq;
    }
    return slot.view;
  }

  /**
   * The oldest absolute index still safe to read: the writer may run ahead of a slow reader, and
   * slots it reuses must not be shown. Half the ring's guard is kept as margin for writes made
   * while the strategy reads.
   */
  #oldestReadable(buffers: SeriesBuffers, published: number): number {
    return Math.max(0, published - buffers.window - ((buffers.capacity - buffers.window) >> 1));
  }

  #boundToIndex(slot: SeriesSlot, index: number): void {
    const buffers = slot.buffers;
    const end = index + 1;
    const oldest = this.#oldestReadable(buffers, publishedCount(buffers));
    const visible = Math.min(buffers.window, end - oldest);
    if (visible < buffers.window && visible < end && !slot.warnedBehind) {
      slot.warnedBehind = true;
      this.#logger.warn(
        `fell behind on ${slot.symbol} ${slot.interval}: the store has moved on, so only ${Math.max(0, visible)} ` +
          `bars are visible for bar ${index}`,
      );
    }
    slot.view.bound(end, Math.max(0, visible));
  }

  #boundToTime(slot: SeriesSlot, time: number): void {
    const buffers = slot.buffers;
    const times = buffers.time;
    const mask = buffers.mask;
    const span = slot.intervalMs;
    const published = publishedCount(buffers);
    const oldest = this.#oldestReadable(buffers, published);
    let end = published;
    // Bars are in time order: find the first one not closed by `time` (a bar closes at start + interval).
    if (published > oldest && (times[(published - 1) & mask] as number) + span > time) {
      let lo = oldest;
      let hi = published - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((times[mid & mask] as number) + span <= time) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    slot.view.bound(end, Math.max(0, Math.min(buffers.window, end - oldest)));
  }
}
