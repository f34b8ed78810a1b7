import { ConfigError, type Interval, intervalToMs, StratError } from '@strat/core';
import { type GapFillOptions, SymbolBarAggregator } from '../aggregation/symbol-bar-aggregator';
import type { TradingCalendar, TradingSession } from '../calendar/trading-calendar';
import type { BarConsumer } from '../processor/bar-consumer';
import { ClosedBarQueue } from '../processor/closed-bar-queue';
import type { ProcessorProgress, ProcessorSummary } from '../processor/data-processor';
import {
  mergeQualityReports,
  type SeriesQualityRecord,
  type SessionQualityReport,
  summarizeQuality,
} from '../quality/quality-report';
import type { SourceReport } from '../sources/bar-source';
import { SourceReportRecorder } from '../sources/source-report-recorder';
import type { SessionData } from '../store/session-data';
import type { AlpacaBarFeed } from './alpaca-bar-feed';
import type { LiveBar } from './alpaca-protocol';
import type { FeedError } from './feed-error';
import type { LiveClock } from './live-clock';

/** Options of {@link LiveDataProcessor}. */
export interface LiveDataProcessorOptions {
  /** The store bars are written to. */
  store: SessionData;
  /** Session hours: bars outside every session are skipped and counted. */
  calendar: TradingCalendar;
  /** The connected (or not yet connected) feed; the processor subscribes, connects and closes it. */
  feed: AlpacaBarFeed;
  /** The session's time: `LiveWallClock` or `FeedClock`. */
  clock: LiveClock;
  /** The session's symbols, in config order. */
  symbols: readonly string[];
  /** Streams to build; the shortest is the base and must be the feed's 1m. */
  streams: readonly Interval[];
  gapFill?: GapFillOptions;
  consumer?: BarConsumer;
  /** A minute is complete once every symbol has a bar for it, or this long (clock time) after it ended (default 2000). */
  stepGraceMs?: number;
  /** ...and at least this long (wall ms) after the newest bar arrived, so network jitter in a fast replay cannot split a minute (default 100). */
  minWallGraceMs?: number;
  /** Finish once the session of this date (`YYYY-MM-DD`) has closed; default: run until `stop()`. */
  endDate?: string;
  /** Feed clock without a configured speed: adopt the speed a replay server announces on connect. */
  useAnnouncedSpeed?: boolean;
  /** Called at most every `progressEveryMs` wall ms while bars flow, and at the end. */
  onProgress?: (progress: ProcessorProgress) => void;
  /** Wall ms between progress reports (default 1000). */
  progressEveryMs?: number;
  /** A bar that could not be used (late, outside the sessions, malformed, subscription refused). */
  onProblem?: (message: string) => void;
}

/** What a live run did: the replay summary's fields plus the feed's own counts. */
export interface LiveProcessorSummary extends ProcessorSummary {
  /** Bars that arrived after their minute had been handed over (dropped). */
  lateBars: number;
  /** Bars the feed delivered in total. */
  barsReceived: number;
  /** The first and last session dates seen (empty before any). */
  firstSessionDate: string;
  lastSessionDate: string;
}

interface LiveSymbol {
  symbol: string;
  rank: number;
  aggregator: SymbolBarAggregator;
  queue: LiveBar[];
  head: number;
  /** Start of the newest bar received, -Infinity before the first. */
  lastReceived: number;
  /** Steps from this one on wait for this symbol's bar (it joined mid-session, or its subscription failed: Infinity). */
  joinStep: number;
}

const FEED_INTERVAL: Interval = '1m';

/**
 * The live counterpart of `DataProcessor`: bars from a feed go through the same
 * `SymbolBarAggregator` into the store, and the same {@link BarConsumer} hears about them in the
 * same order per time step (close time, then symbol in joining order, then interval).
 *
 * Bars of one minute may arrive for several symbols in separate messages. A minute (time step) is
 * handed over once every symbol has a bar for it or a later one (bars of a symbol come in time
 * order), or once the clock passed the minute's end plus `stepGraceMs` (a minute without trades
 * has no bar) and at least `minWallGraceMs` of wall time passed since the newest bar arrived. A
 * session ends when a bar of a later time arrives, or when every symbol had its last minute, or
 * when the clock passed its close plus the grace. A bar arriving after its minute was handed
 * over is late: dropped, counted and reported (the store never goes back in time); the minute
 * then counts as missing in the bar quality, like minutes lost while the feed was down.
 */
export class LiveDataProcessor {
  readonly #o: LiveDataProcessorOptions;
  readonly #streams: Interval[];
  readonly #baseMs: number;
  readonly #graceMs: number;
  readonly #minWallGraceMs: number;
  readonly #endAt: number;
  readonly #symbols: LiveSymbol[] = [];
  readonly #bySymbol = new Map<string, LiveSymbol>();
  readonly #closed = new ClosedBarQueue();
  readonly #report = new SourceReportRecorder();
  #session: TradingSession | undefined;
  #firstSessionDate = '';
  #lastSessionDate = '';
  #sessionsStarted = 0;
  /** Bars starting before this are late. */
  #processedUntil = Number.NEGATIVE_INFINITY;
  #lastDelivered = Number.NaN;
  #lastArrivalWall = 0;
  #firstBarAt = Number.NaN;
  #barsDone = 0;
  #barsPublished = 0;
  #barsOutside = 0;
  #lateBars = 0;
  #running = false;
  #closingFeed = false;
  #stopped = false;
  #done = false;
  #fatal: FeedError | undefined;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastProgressAt = 0;
  #firstBar: Promise<void>;
  #resolveFirstBar: () => void = () => {};

  /** @throws ConfigError when the shortest stream is not the feed's 1m bars */
  constructor(options: LiveDataProcessorOptions) {
    this.#o = options;
    const streams = [...new Set(options.streams)].sort((a, b) => intervalToMs(a) - intervalToMs(b));
    if (streams.length === 0) throw new StratError('STREAMS_EMPTY', 'a session needs at least one stream');
    if (intervalToMs(streams[0] as Interval) !== intervalToMs(FEED_INTERVAL)) {
      throw new ConfigError([
        {
          path: 'session_data_config.streams',
          message: `the live feed sends 1m bars, so the shortest stream must be 1m (got ${streams[0]})`,
        },
      ]);
    }
    this.#streams = streams;
    this.#baseMs = intervalToMs(FEED_INTERVAL);
    this.#graceMs = options.stepGraceMs ?? 2000;
    this.#minWallGraceMs = options.minWallGraceMs ?? 100;
    this.#endAt =
      options.endDate === undefined
        ? Number.POSITIVE_INFINITY
        : options.calendar.hoursOn(options.endDate).close;
    this.#firstBar = new Promise<void>((resolve) => {
      this.#resolveFirstBar = resolve;
    });
    for (const symbol of options.symbols) this.#join(symbol, Number.NEGATIVE_INFINITY);
    const feed = options.feed;
    feed.on('bars', (bars) => this.#onBars(bars));
    feed.on('closed', (error) => {
      if (error !== undefined) this.#fatal = error;
      else if (!this.#closingFeed) this.#stopped = true;
      this.#resolveFirstBar();
      this.#wakeUp();
    });
  }

  /** The clock the processor follows. */
  get clock(): LiveClock {
    return this.#o.clock;
  }

  /** The base interval (1m). */
  get baseInterval(): Interval {
    return this.#streams[0] as Interval;
  }

  /** Symbols streaming now (config symbols, then added ones in the order they joined). */
  get symbols(): string[] {
    return this.#symbols.map((s) => s.symbol);
  }

  /** The trading session in progress, if any. */
  get session(): TradingSession | undefined {
    return this.#session;
  }

  /**
   * Subscribes the symbols and connects the feed (authenticated within its connect timeout).
   * Rejects with the feed's FeedError (refused credentials, unreachable URL).
   */
  async connect(): Promise<void> {
    void this.#o.feed.subscribe(this.symbols);
    await this.#o.feed.connect();
    const announced = this.#o.feed.announcedSpeed;
    if (this.#o.useAnnouncedSpeed && announced !== undefined) this.#o.clock.setSpeed?.(announced);
  }

  /** Resolves when the first bar arrives (the feed clock knows the time from then on), or the run ends first. */
  firstBar(): Promise<void> {
    return this.#firstBar;
  }

  /**
   * Adds a symbol mid-session: it is subscribed on the feed and streams from the next minute. The
   * live feed has no history, so its earlier minutes of the session count as missing in its
   * quality. Adding a symbol already streaming does nothing.
   */
  addSymbol(symbol: string): boolean {
    if (this.#bySymbol.has(symbol)) return false;
    const clock = this.#o.clock;
    const joinStep = clock.started
      ? Math.max(this.#processedUntil, Math.floor(clock.now() / this.#baseMs) * this.#baseMs)
      : Number.NEGATIVE_INFINITY;
    const joined = this.#join(symbol, joinStep);
    const session = this.#session;
    if (session !== undefined) {
      joined.aggregator.startSession(session.open, session.close);
      if (Number.isFinite(this.#lastDelivered)) joined.aggregator.advanceTo(this.#lastDelivered);
    }
    const feed = this.#o.feed;
    if (feed.state !== 'idle') {
      feed.subscribe([symbol]).catch((error: FeedError) => {
        joined.joinStep = Number.POSITIVE_INFINITY;
        this.#problem(`cannot subscribe ${symbol}: ${error.message}`);
      });
    }
    return true;
  }

  /** Ends the run after the current time step and closes the feed. */
  stop(): void {
    this.#stopped = true;
    // Not running yet: closing the feed ends a connect or a wait for the first bar at once.
    if (!this.#running) void this.#o.feed.close();
    this.#resolveFirstBar();
    this.#wakeUp();
  }

  /** Progress so far (the total is unknown live: it equals the bars done). */
  progress(): ProcessorProgress {
    const now = this.#o.clock.now();
    return {
      barsDone: this.#barsDone,
      barsTotal: this.#barsDone,
      time: Number.isFinite(now) ? now : Number.isFinite(this.#lastDelivered) ? this.#lastDelivered : 0,
      sessionDate: this.#session?.date ?? '',
    };
  }

  /** Bars received, skipped (late, outside sessions, malformed) and the first problems. */
  report(): SourceReport {
    return this.#report.snapshot();
  }

  /** Bar quality per session and series so far (sessions in time order). */
  getQualityReport(): SessionQualityReport[] {
    return mergeQualityReports(this.#symbols.map((s) => s.aggregator.getQualityReport()));
  }

  /** Bar quality per series summed over every session so far. */
  getQualitySummary(): SeriesQualityRecord[] {
    return summarizeQuality(this.getQualityReport());
  }

  /**
   * Follows the feed until `stop()`, the end date's session close, or a fatal feed error (which
   * rejects). Connects first when `connect()` was not called. The feed is closed at the end.
   */
  async run(): Promise<LiveProcessorSummary> {
    if (this.#running)
      throw new StratError('PROCESSOR_RUNNING', 'the live data processor is already running');
    this.#running = true;
    const started = performance.now();
    try {
      if (this.#o.feed.state === 'idle') await this.connect();
      for (;;) {
        await this.#processReady();
        if (this.#stopped || this.#done || this.#fatal !== undefined) break;
        await this.#sleep();
      }
    } finally {
      clearTimeout(this.#timer);
      this.#closingFeed = true;
      await this.#o.feed.close();
      this.#running = false;
    }
    if (this.#fatal !== undefined && !this.#stopped) throw this.#fatal;
    this.#o.onProgress?.(this.progress());
    return {
      barsDone: this.#barsDone,
      barsPublished: this.#barsPublished,
      barsOutsideSessions: this.#barsOutside,
      sessions: this.#sessionsStarted,
      stopped: this.#stopped,
      wallMs: performance.now() - started,
      replayMs: Number.isFinite(this.#firstBarAt) ? performance.now() - this.#firstBarAt : 0,
      lateBars: this.#lateBars,
      barsReceived: this.#report.rowsRead,
      firstSessionDate: this.#firstSessionDate,
      lastSessionDate: this.#session?.date ?? this.#lastSessionDate,
    };
  }

  #join(symbol: string, joinStep: number): LiveSymbol {
    const rank = this.#symbols.length;
    const aggregator = new SymbolBarAggregator({
      store: this.#o.store,
      symbol,
      streams: this.#streams,
      gapFill: this.#o.gapFill,
      onBar: (sym, interval, index, closeTime) => this.#closed.pushBar(rank, sym, interval, index, closeTime),
      onQuality: (sym, interval, quality) =>
        this.#closed.pushQuality(rank, sym, interval, quality, this.#lastDelivered),
    });
    const state: LiveSymbol = {
      symbol,
      rank,
      aggregator,
      queue: [],
      head: 0,
      lastReceived: Number.NEGATIVE_INFINITY,
      joinStep,
    };
    this.#symbols.push(state);
    this.#bySymbol.set(symbol, state);
    return state;
  }

  #onBars(bars: LiveBar[]): void {
    const base = this.#baseMs;
    let queued = false;
    for (const bar of bars) {
      this.#report.rowsRead++;
      const s = this.#bySymbol.get(bar.symbol);
      if (s === undefined) {
        this.#skip(`a bar of ${bar.symbol}, which the session does not stream`);
        continue;
      }
      if (bar.time % base !== 0) {
        this.#skip(`bar ${bar.symbol} at ${iso(bar.time)} does not start on a whole minute`);
        continue;
      }
      if (bar.time <= s.lastReceived || bar.time < this.#processedUntil) {
        this.#lateBars++;
        this.#skip(
          bar.time <= s.lastReceived
            ? `bar ${bar.symbol} at ${iso(bar.time)} repeats or precedes an earlier bar (dropped)`
            : `bar ${bar.symbol} at ${iso(bar.time)} arrived after its minute was handed over (late, dropped)`,
        );
        continue;
      }
      s.queue.push(bar);
      s.lastReceived = bar.time;
      this.#o.clock.observeBar(bar.time + base);
      queued = true;
    }
    if (!queued) return;
    this.#lastArrivalWall = Date.now();
    if (Number.isNaN(this.#firstBarAt)) this.#firstBarAt = performance.now();
    this.#resolveFirstBar();
    this.#wakeUp();
  }

  /** Handles every step that is ready, and session ends that are due. */
  async #processReady(): Promise<void> {
    while (!this.#stopped) {
      const t = this.#earliestPending();
      const current = this.#session;
      if (current === undefined && t >= this.#endAt && t !== Number.POSITIVE_INFINITY) {
        this.#done = true;
        return;
      }
      if (current !== undefined && t >= current.close) {
        if (t === Number.POSITIVE_INFINITY && !this.#sessionOver(current)) return;
        await this.#endSession(current);
        continue;
      }
      if (t === Number.POSITIVE_INFINITY) {
        if (current === undefined && this.#timeUp(this.#endAt + this.#graceMs)) this.#done = true;
        return;
      }
      if (!this.#stepReady(t)) return;
      await this.#processStep(t);
    }
  }

  #earliestPending(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const s of this.#symbols) {
      const bar = s.queue[s.head];
      if (bar !== undefined && bar.time < t) t = bar.time;
    }
    return t;
  }

  #stepReady(t: number): boolean {
    for (const s of this.#symbols) {
      if (s.joinStep <= t && s.lastReceived < t) return this.#timeUp(t + this.#baseMs + this.#graceMs);
    }
    return true;
  }

  /** No more bars can come for the session: every symbol had its last minute, or the grace after the close passed. */
  #sessionOver(session: TradingSession): boolean {
    const lastSlot =
      session.open + (Math.ceil((session.close - session.open) / this.#baseMs) - 1) * this.#baseMs;
    let evidence = true;
    for (const s of this.#symbols) if (s.joinStep <= lastSlot && s.lastReceived < lastSlot) evidence = false;
    return evidence || this.#timeUp(session.close + this.#graceMs);
  }

  #timeUp(time: number): boolean {
    const clock = this.#o.clock;
    return clock.wallMsUntil(time) === 0 && Date.now() - this.#lastArrivalWall >= this.#minWallGraceMs;
  }

  async #processStep(t: number): Promise<void> {
    const session = this.#o.calendar.sessionAt(t);
    if (session === undefined) {
      for (const s of this.#symbols) {
        if (s.queue[s.head]?.time === t) {
          this.#pop(s);
          this.#barsOutside++;
        }
      }
      this.#processedUntil = Math.max(this.#processedUntil, t + this.#baseMs);
      return;
    }
    if (this.#session?.open !== session.open) this.#startSession(session);
    for (const s of this.#symbols) s.aggregator.advanceTo(t);
    for (const s of this.#symbols) {
      const bar = s.queue[s.head];
      if (bar === undefined || bar.time !== t) continue;
      s.aggregator.pushBase(t, bar.open, bar.high, bar.low, bar.close, bar.volume);
      this.#pop(s);
      this.#barsDone++;
    }
    this.#processedUntil = t + this.#baseMs;
    await this.#deliver(Math.min(t + this.#baseMs, session.close));
    const wall = Date.now();
    if (wall - this.#lastProgressAt >= (this.#o.progressEveryMs ?? 1000)) {
      this.#lastProgressAt = wall;
      this.#o.onProgress?.(this.progress());
    }
  }

  #startSession(session: TradingSession): void {
    this.#session = session;
    this.#sessionsStarted++;
    if (this.#firstSessionDate === '') this.#firstSessionDate = session.date;
    for (const s of this.#symbols) s.aggregator.startSession(session.open, session.close);
    this.#o.consumer?.onSessionStart?.(session);
  }

  async #endSession(session: TradingSession): Promise<void> {
    for (const s of this.#symbols) {
      s.aggregator.advanceTo(session.close);
      s.aggregator.endSession();
    }
    this.#session = undefined;
    this.#lastSessionDate = session.date;
    this.#processedUntil = Math.max(this.#processedUntil, session.close);
    await this.#deliver(session.close);
    await this.#o.consumer?.onSessionEnd?.(session);
    if (session.close >= this.#endAt) this.#done = true;
  }

  async #deliver(time: number): Promise<void> {
    this.#lastDelivered = time;
    const consumer = this.#o.consumer;
    const q = this.#closed;
    this.#barsPublished += q.length;
    if (consumer !== undefined) {
      q.sortIfNeeded();
      for (let i = 0; i < q.length; i++) {
        if (q.kind(i) === 0) consumer.onBar(q.symbol(i), q.interval(i), q.index(i), q.closeTime(i));
        else consumer.onQuality?.(q.symbol(i), q.interval(i), q.quality(i));
      }
    }
    q.clear();
    const wait = consumer?.onStep?.(time);
    if (wait !== undefined) await wait;
  }

  #pop(s: LiveSymbol): void {
    s.head++;
    if (s.head === s.queue.length) {
      s.queue.length = 0;
      s.head = 0;
    } else if (s.head > 1024) {
      s.queue.splice(0, s.head);
      s.head = 0;
    }
  }

  #skip(message: string): void {
    this.#report.recordSkip({ message });
    this.#o.onProblem?.(message);
  }

  #problem(message: string): void {
    this.#o.onProblem?.(message);
  }

  /** Waits for bars, a stop, a fatal feed error, or the next deadline (at most a second). */
  #sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => this.#wakeUp(), this.#nextDeadlineMs());
    });
  }

  #wakeUp(): void {
    clearTimeout(this.#timer);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #nextDeadlineMs(): number {
    const clock = this.#o.clock;
    const t = this.#earliestPending();
    let due = Number.POSITIVE_INFINITY;
    if (t !== Number.POSITIVE_INFINITY) due = t + this.#baseMs + this.#graceMs;
    else if (this.#session !== undefined) due = this.#session.close + this.#graceMs;
    else if (Number.isFinite(this.#endAt)) due = this.#endAt + this.#graceMs;
    const wallFloor = this.#lastArrivalWall + this.#minWallGraceMs - Date.now();
    const ms = Math.max(clock.wallMsUntil(due), wallFloor);
    return Math.min(1000, Math.max(1, Math.ceil(ms)));
  }
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
