import { DataError, type Interval, intervalToMs, StratError } from '@strat/core';
import { type GapFillOptions, SymbolBarAggregator } from '../aggregation/symbol-bar-aggregator';
import type { TradingCalendar, TradingSession } from '../calendar/trading-calendar';
import { Pacer } from '../clock/pacer';
import { SimulatedClock } from '../clock/simulated-clock';
import {
  mergeQualityReports,
  type SeriesQualityRecord,
  type SessionQualityReport,
  summarizeQuality,
} from '../quality/quality-report';
import type { BarChunk, BarSource } from '../sources/bar-source';
import type { SessionData } from '../store/session-data';
import type { BarConsumer } from './bar-consumer';
import { ClosedBarQueue } from './closed-bar-queue';

/** Options of {@link DataProcessor}. */
export interface DataProcessorOptions {
  /** The store bars are written to. */
  store: SessionData;
  /** Where base bars come from. Its interval must equal the shortest stream. */
  source: BarSource;
  /** Session hours: bars outside every session are skipped and counted. */
  calendar: TradingCalendar;
  /** The session's symbols, in config order. */
  symbols: readonly string[];
  /** Streams to build (the shortest is the base). */
  streams: readonly Interval[];
  /** First and last session date, `YYYY-MM-DD`, inclusive. */
  startDate: string;
  endDate: string;
  /** 0 = as fast as the consumer allows; > 0 = simulated time at that multiple of wall time. */
  speedMultiplier?: number;
  /** The simulated clock to drive (one is made when absent). */
  clock?: SimulatedClock;
  gapFill?: GapFillOptions;
  consumer?: BarConsumer;
  /** Called every `progressEvery` base bars and at the end. */
  onProgress?: (progress: ProcessorProgress) => void;
  /** Base bars between progress reports (default 50,000). */
  progressEvery?: number;
}

/** How far a replay has come. */
export interface ProcessorProgress {
  /** Base bars read from the source and written to the store. */
  barsDone: number;
  /** Estimated base bars in the whole replay (sessions x slots x symbols). */
  barsTotal: number;
  /** Simulated time (epoch ms): the close of the newest bar delivered. */
  time: number;
  /** The current session's date, `YYYY-MM-DD`. */
  sessionDate: string;
}

/** What a replay did, returned by {@link DataProcessor.run}. */
export interface ProcessorSummary {
  barsDone: number;
  /** Bars published in every stream (base, filled and derived). */
  barsPublished: number;
  /** Source bars outside every session of the calendar (skipped). */
  barsOutsideSessions: number;
  sessions: number;
  /** True when `stop()` ended the replay early. */
  stopped: boolean;
  /** Wall time of the replay in ms. */
  wallMs: number;
  /** Wall time from the first bar on, in ms: `wallMs` without opening the sources (start-up). */
  replayMs: number;
}

/** Options of {@link DataProcessor.addSymbol}. */
export interface AddSymbolOptions {
  /** Base bars of history from earlier sessions to load before streaming (default 0). */
  warmupBars?: number;
}

interface Cursor {
  symbol: string;
  aggregator: SymbolBarAggregator;
  iterator: AsyncIterator<BarChunk>;
  chunk: BarChunk | undefined;
  pos: number;
  /** Start time of the next bar, +Infinity when the source is exhausted. */
  next: number;
}

/**
 * Replays bars from a source into the store, session by session, and tells a consumer about every
 * closed bar in a deterministic order (close time, then symbol, then interval).
 *
 * Base bars of all symbols are merged by time (a k-way merge over per-symbol cursors). For each
 * base time step T: derived buckets that ended by T are closed first, then the base bars at T are
 * written, their derived bars updated (and closed when T covers the bucket's last slot), the clock
 * moves to T + base interval, pacing waits in clock-driven mode, the closed bars go to the consumer
 * and `onStep` lets it apply backpressure.
 */
export class DataProcessor {
  readonly #o: DataProcessorOptions;
  readonly #clock: SimulatedClock;
  readonly #baseInterval: Interval;
  readonly #baseMs: number;
  readonly #streams: readonly Interval[];
  readonly #cursors: Cursor[] = [];
  readonly #pendingSymbols: { symbol: string; options: AddSymbolOptions }[] = [];
  readonly #closed = new ClosedBarQueue();
  #sessions: TradingSession[] = [];
  #session: TradingSession | undefined;
  #barsDone = 0;
  #barsPublished = 0;
  #barsOutside = 0;
  #stopped = false;
  #running = false;
  #barsTotal = 0;

  constructor(options: DataProcessorOptions) {
    this.#o = options;
    const streams = [...new Set(options.streams)].sort((a, b) => intervalToMs(a) - intervalToMs(b));
    if (streams.length === 0) throw new StratError('STREAMS_EMPTY', 'a session needs at least one stream');
    this.#streams = streams;
    this.#baseInterval = streams[0] as Interval;
    this.#baseMs = intervalToMs(this.#baseInterval);
    if (intervalToMs(options.source.interval) !== this.#baseMs) {
      throw new DataError(
        `the source gives ${options.source.interval} bars but the shortest stream is ${this.#baseInterval}: ` +
          'streams must start at the source interval',
        {},
        { code: 'SOURCE_INTERVAL_MISMATCH' },
      );
    }
    this.#clock = options.clock ?? new SimulatedClock();
    this.#sessions = options.calendar.sessions(options.startDate, options.endDate);
  }

  /** The simulated clock this processor drives. */
  get clock(): SimulatedClock {
    return this.#clock;
  }

  /** The base (shortest) interval. */
  get baseInterval(): Interval {
    return this.#baseInterval;
  }

  /** Trading sessions in the replay range. */
  get sessions(): readonly TradingSession[] {
    return this.#sessions;
  }

  /** Symbols streaming now (config symbols, then added ones in the order they joined). */
  get symbols(): string[] {
    return this.#cursors.map((c) => c.symbol);
  }

  /** Bar quality per session and series so far (sessions in time order). */
  getQualityReport(): SessionQualityReport[] {
    return mergeQualityReports(this.#cursors.map((c) => c.aggregator.getQualityReport()));
  }

  /** Bar quality per series summed over every session so far: expected, received, filled, percent. */
  getQualitySummary(): SeriesQualityRecord[] {
    return summarizeQuality(this.getQualityReport());
  }

  /** Progress so far. */
  progress(): ProcessorProgress {
    return {
      barsDone: this.#barsDone,
      barsTotal: Math.max(this.#barsTotal, this.#barsDone),
      time: this.#clock.now(),
      sessionDate: this.#session?.date ?? '',
    };
  }

  /**
   * Adds a symbol mid-session: from the next time step on, its bars stream like the others. Bars of
   * the current session before now are loaded as history (not notified), plus `warmupBars` base
   * bars of earlier sessions. Adding a symbol already streaming does nothing.
   */
  addSymbol(symbol: string, options: AddSymbolOptions = {}): boolean {
    if (
      this.#cursors.some((c) => c.symbol === symbol) ||
      this.#pendingSymbols.some((p) => p.symbol === symbol)
    ) {
      return false;
    }
    this.#pendingSymbols.push({ symbol, options });
    return true;
  }

  /** Ends the replay after the current time step (the store stays consistent). */
  stop(): void {
    this.#stopped = true;
  }

  /** Replays the whole range. Resolves when done or stopped; rejects on a data error. */
  async run(): Promise<ProcessorSummary> {
    if (this.#running) throw new StratError('PROCESSOR_RUNNING', 'the data processor is already running');
    this.#running = true;
    const started = performance.now();
    const sessions = this.#sessions;
    if (sessions.length === 0) {
      throw new DataError(
        `no trading sessions between ${this.#o.startDate} and ${this.#o.endDate} in the calendar`,
        {},
        { code: 'NO_SESSIONS' },
      );
    }
    const first = sessions[0] as TradingSession;
    const last = sessions[sessions.length - 1] as TradingSession;
    const slots = sessions.reduce((n, s) => n + Math.ceil((s.close - s.open) / this.#baseMs), 0);
    this.#barsTotal = slots * this.#o.symbols.length;
    const speed = this.#o.speedMultiplier ?? 0;
    const pacer = speed > 0 ? new Pacer(speed, first.open) : undefined;
    if (this.#clock.now() < first.open) this.#clock.set(first.open);

    for (const symbol of this.#o.symbols) await this.#openCursor(symbol, first.open, last.close);
    const replayStarted = performance.now();

    let sessionIndex = -1;
    let sessionsStarted = 0;
    const consumer = this.#o.consumer;
    const progressEvery = this.#o.progressEvery ?? 50_000;
    let nextProgress = progressEvery;

    try {
      while (!this.#stopped) {
        if (this.#pendingSymbols.length > 0) await this.#addPending(last.close);
        let t = Number.POSITIVE_INFINITY;
        for (const c of this.#cursors) if (c.next < t) t = c.next;

        // Move the session window forward: close sessions that ended before t, open the one holding t.
        while (sessionIndex < sessions.length && (this.#session === undefined || t >= this.#session.close)) {
          if (this.#session !== undefined) await this.#endSession(this.#session);
          sessionIndex++;
          this.#session = sessions[sessionIndex];
          if (this.#session === undefined) break;
          sessionsStarted++;
          for (const c of this.#cursors) c.aggregator.startSession(this.#session.open, this.#session.close);
          consumer?.onSessionStart?.(this.#session);
        }
        const session = this.#session;
        if (session === undefined || t === Number.POSITIVE_INFINITY) break;

        const stepEnd = t + this.#baseMs;
        if (t < session.open) {
          // Between sessions (or before the first): skip bars outside the calendar.
          for (const c of this.#cursors) if (c.next === t) await this.#skip(c);
          continue;
        }
        const cursors = this.#cursors;
        for (let n = 0; n < cursors.length; n++) (cursors[n] as Cursor).aggregator.advanceTo(t);
        for (let n = 0; n < cursors.length; n++) {
          const c = cursors[n] as Cursor;
          if (c.next !== t) continue;
          const k = c.chunk as BarChunk;
          const i = c.pos;
          c.aggregator.pushBase(
            t,
            k.open[i] as number,
            k.high[i] as number,
            k.low[i] as number,
            k.close[i] as number,
            k.volume[i] as number,
          );
          this.#barsDone++;
          // Awaiting only when a chunk is used up keeps the step loop free of promises.
          c.pos = i + 1;
          if (c.pos < k.length) c.next = k.time[c.pos] as number;
          else await this.#refill(c);
        }
        const closeTime = Math.min(stepEnd, session.close);
        if (pacer !== undefined) await pacer.waitUntil(closeTime);
        this.#clock.set(closeTime);
        const wait = this.#deliver(closeTime);
        if (wait !== undefined) await wait;
        if (this.#barsDone >= nextProgress) {
          nextProgress = this.#barsDone + progressEvery;
          this.#o.onProgress?.(this.progress());
        }
      }
      if (this.#session !== undefined && !this.#stopped) await this.#endSession(this.#session);
      // Sessions with no bars at all still count as sessions (quality 0 shows the gap).
    } finally {
      for (const c of this.#cursors) await c.iterator.return?.();
      this.#running = false;
    }
    this.#o.onProgress?.(this.progress());
    return {
      barsDone: this.#barsDone,
      barsPublished: this.#barsPublished,
      barsOutsideSessions: this.#barsOutside,
      sessions: sessionsStarted,
      stopped: this.#stopped,
      wallMs: performance.now() - started,
      replayMs: performance.now() - replayStarted,
    };
  }

  async #endSession(session: TradingSession): Promise<void> {
    for (const c of this.#cursors) {
      c.aggregator.advanceTo(session.close);
      c.aggregator.endSession();
    }
    if (this.#clock.now() < session.close) this.#clock.set(session.close);
    await this.#deliver(session.close);
    await this.#o.consumer?.onSessionEnd?.(session);
  }

  /** Hands the step's closed bars to the consumer; returns its `onStep` promise when it wants the replay to wait. */
  #deliver(time: number): Promise<void> | undefined {
    const consumer = this.#o.consumer;
    const q = this.#closed;
    this.#barsPublished += q.length;
    if (consumer !== undefined) {
      q.sortIfNeeded();
      for (let i = 0; i < q.length; i++) {
        const kind = q.kind(i);
        if (kind === 0) consumer.onBar(q.symbol(i), q.interval(i), q.index(i), q.closeTime(i));
        else consumer.onQuality?.(q.symbol(i), q.interval(i), q.quality(i));
      }
    }
    q.clear();
    return consumer?.onStep?.(time) as Promise<void> | undefined;
  }

  /** An aggregator whose bars go to the closed-bar queue unless `gate.silent` (history loading). */
  #makeAggregator(
    symbol: string,
    rank: number,
    gate: { silent: boolean } = { silent: false },
  ): SymbolBarAggregator {
    return new SymbolBarAggregator({
      store: this.#o.store,
      symbol,
      streams: this.#streams,
      gapFill: this.#o.gapFill,
      onBar: (sym, interval, index, closeTime) => {
        if (!gate.silent) this.#closed.pushBar(rank, sym, interval, index, closeTime);
      },
      onQuality: (sym, interval, quality) => {
        if (!gate.silent) this.#closed.pushQuality(rank, sym, interval, quality, this.#clock.now());
      },
    });
  }

  /** Starts streaming `symbol`'s bars in [from, to) through `aggregator` (a new one by default). */
  async #openCursor(
    symbol: string,
    from: number,
    to: number,
    aggregator: SymbolBarAggregator = this.#makeAggregator(symbol, this.#cursors.length),
  ): Promise<Cursor> {
    const iterator = this.#o.source.read(symbol, from, to)[Symbol.asyncIterator]();
    const cursor: Cursor = {
      symbol,
      aggregator,
      iterator,
      chunk: undefined,
      pos: 0,
      next: Number.POSITIVE_INFINITY,
    };
    await this.#refill(cursor);
    this.#cursors.push(cursor);
    return cursor;
  }

  async #refill(c: Cursor): Promise<void> {
    for (;;) {
      const r = await c.iterator.next();
      if (r.done) {
        c.chunk = undefined;
        c.next = Number.POSITIVE_INFINITY;
        return;
      }
      if (r.value.length > 0) {
        c.chunk = r.value;
        c.pos = 0;
        c.next = r.value.time[0] as number;
        return;
      }
    }
  }

  async #advance(c: Cursor): Promise<void> {
    c.pos++;
    const k = c.chunk as BarChunk;
    if (c.pos < k.length) c.next = k.time[c.pos] as number;
    else await this.#refill(c);
  }

  async #skip(c: Cursor): Promise<void> {
    this.#barsOutside++;
    await this.#advance(c);
  }

  /** Joins symbols added mid-session: history up to now is loaded silently, then they stream. */
  async #addPending(end: number): Promise<void> {
    const now = this.#clock.now();
    for (const { symbol, options } of this.#pendingSymbols.splice(0)) {
      const gate = { silent: true };
      const aggregator = this.#makeAggregator(symbol, this.#cursors.length, gate);
      // History lands in the same store series through the same aggregator (so the bucket forming
      // now carries on), without notifications: it is all in the past at this point.
      for (const s of this.#historySessions(now, options.warmupBars ?? 0)) {
        aggregator.startSession(s.open, s.close);
        for await (const k of this.#o.source.read(symbol, s.open, Math.min(s.close, now))) {
          for (let i = 0; i < k.length; i++) {
            aggregator.pushBase(
              k.time[i] as number,
              k.open[i] as number,
              k.high[i] as number,
              k.low[i] as number,
              k.close[i] as number,
              k.volume[i] as number,
            );
          }
        }
        if (s.close <= now) aggregator.endSession();
        else aggregator.advanceTo(now);
      }
      const session = this.#session;
      if (session !== undefined && !aggregator.inSession && now < session.close) {
        aggregator.startSession(session.open, session.close);
        aggregator.advanceTo(now);
      }
      gate.silent = false;
      if (aggregator.inSession) {
        // Readers learn quality only through these in-order updates, and the history moved it silently.
        const current = aggregator.getQualityReport().at(-1);
        for (const r of current?.series ?? []) {
          this.#closed.pushQuality(this.#cursors.length, symbol, r.interval, r.percent, now);
        }
      }
      await this.#openCursor(symbol, now, end, aggregator);
    }
  }

  /** Sessions whose bars before `now` are history for a symbol joining now: earlier ones for warm-up, then the current one. */
  #historySessions(now: number, warmupBars: number): TradingSession[] {
    const out: TradingSession[] = [];
    const current = this.#session;
    const earlier = this.#sessions.filter((s) => s.close <= (current?.open ?? now));
    let need = warmupBars;
    for (let i = earlier.length - 1; i >= 0 && need > 0; i--) {
      const s = earlier[i] as TradingSession;
      out.unshift(s);
      need -= Math.ceil((s.close - s.open) / this.#baseMs);
    }
    if (current !== undefined && current.open < now) out.push(current);
    return out;
  }
}
