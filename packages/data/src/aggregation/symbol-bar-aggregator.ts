import { ConfigError, type ConfigIssue, type Interval, intervalToMs, StratError } from '@strat/core';
import {
  appendBar,
  BAR_FLAG_FILLED,
  LONGEST_STREAM_MS,
  type SeriesBuffers,
  streamTooLongMessage,
} from '@strat/core/internal';
import type { SeriesQualityRecord, SessionQualityReport } from '../quality/quality-report';
import { type QualityListener, SeriesQuality } from '../quality/series-quality';
import type { BarChunk } from '../sources/bar-source';
import type { SessionData } from '../store/session-data';
import { DerivedStream } from './derived-stream';

/**
 * Receives every bar the aggregator publishes: its series, its absolute index in that series and
 * its close time (bar start + interval, clipped at the session close), epoch ms.
 */
export type BarSink = (symbol: string, interval: Interval, index: number, closeTime: number) => void;

/** Gap filler settings (the session config's `gap_filler`). */
export interface GapFillOptions {
  /** Fill gaps at all. */
  enabled: boolean;
  /** Longest run of missing base bars that is filled; longer gaps stay gaps. */
  maxGapBars: number;
  /**
   * Also fill from the last bar of a session to its close, at `endSession` (default false: a
   * feed that stops early, a halt or an unexpected early close should show as missing bars, not
   * as a flat price the market never printed).
   */
  fillToSessionClose?: boolean;
}

/** Options of {@link SymbolBarAggregator}. */
export interface SymbolBarAggregatorOptions {
  /** The store the series are written to (created there when missing). */
  store: SessionData;
  /** The symbol whose bars are built. */
  symbol: string;
  /** The streams to build; the shortest is the base stream, every other one a whole multiple of it. */
  streams: readonly Interval[];
  /** Called for every published bar, base and derived. */
  onBar: BarSink;
  /** Called when a series' integer-rounded quality percent changes. */
  onQuality?: QualityListener;
  gapFill?: GapFillOptions;
}

const STREAMS_PATH = 'session_data_config.streams';

/**
 * Builds the bars of ONE symbol: writes its base stream (say 1m) and derives the longer streams
 * (5m, 15m, 1h, 1d, ...) into the store, session by session.
 *
 * Buckets align to the session open: bucket k of a derived interval D covers
 * [open + k·D, open + (k+1)·D), clipped at the close, labelled by its start; an interval at least
 * as long as the session gives one bar per session labelled at the open. A derived bar is
 * published only once its bucket is over (a base bar covering the bucket's last slot arrived, or
 * time moved past the bucket's end, or the session ended), so no reader ever sees a forming bar.
 * Buckets without base bars publish nothing.
 *
 * Derived bars aggregate the REAL base bars only: bars made up by the gap filler stay in the base
 * stream. Thus a derived bar never depends on when the clock advanced, and never mixes made-up
 * prices into a real bar.
 *
 * Emission order: by close time; at equal close times the base bar first, then derived bars from
 * the shortest interval up. One exception: filled base bars are only known once the next real bar
 * arrives, so they can follow a derived bar that `advanceTo` already closed past them.
 *
 * Quality (in each series header, readable with `readQuality` from any thread, reset per session):
 * - base: expected = base slots elapsed in the session (ended by the clock, or up to the newest bar),
 *   received = real bars, filled = gap-filled bars;
 * - derived: expected = base slots inside the buckets that are over, received = real base bars
 *   inside those buckets (so a 5m series with one minute in five missing reads 80%, even though
 *   every 5m bar exists); filled stays 0.
 * Besides, each series counts its bars in its own interval (`expectedBars`, `receivedBars`,
 * `partialBars` of the report): buckets that are over, bars published, bars published from fewer
 * real base bars than their bucket's slots.
 */
export class SymbolBarAggregator {
  /** The symbol whose bars this aggregator builds. */
  readonly symbol: string;
  /** The base (shortest) interval. */
  readonly baseInterval: Interval;
  /** Every interval built, shortest first. */
  readonly intervals: readonly Interval[];
  readonly #onBar: BarSink;
  readonly #base: SeriesBuffers;
  readonly #baseMs: number;
  readonly #baseQuality: SeriesQuality;
  /** Shortest first. */
  readonly #derived: DerivedStream[];
  readonly #gapFill: boolean;
  readonly #maxGapBars: number;
  readonly #fillToSessionClose: boolean;
  readonly #finishedSessions: SessionQualityReport[] = [];
  #inSession = false;
  #sessionOpen = Number.NaN;
  #sessionClose = Number.NaN;
  #slotCount = 0;
  /** Slot of the newest base bar (real or filled) this session, -1 before the first. */
  #lastSlot = -1;
  #lastTime = Number.NEGATIVE_INFINITY;
  /** Close of the newest real base bar, the price the gap filler carries forward. */
  #lastClose = Number.NaN;
  /**
   * The earliest time at which {@link #closeBucketsEndingBy} has anything to do: the soonest
   * moment a derived stream's count of buckets that are over grows (a forming bucket never ends
   * before it). Before it, the per-bar call returns at once.
   */
  #bucketWatch = Number.NEGATIVE_INFINITY;
  /** One row for {@link pushBase}'s loose values. */
  readonly #one: BarChunk;

  constructor(options: SymbolBarAggregatorOptions) {
    const intervals = sortStreams(options.streams);
    const baseInterval = intervals[0] as Interval;
    const baseMs = intervalToMs(baseInterval);
    this.symbol = options.symbol;
    this.#one = {
      symbol: options.symbol,
      length: 1,
      time: new Float64Array(1),
      open: new Float64Array(1),
      high: new Float64Array(1),
      low: new Float64Array(1),
      close: new Float64Array(1),
      volume: new Float64Array(1),
    };
    this.baseInterval = baseInterval;
    this.intervals = intervals;
    this.#onBar = options.onBar;
    this.#baseMs = baseMs;
    this.#base = options.store.ensureSeries(options.symbol, baseInterval);
    this.#baseQuality = new SeriesQuality(options.symbol, baseInterval, this.#base, options.onQuality);
    this.#derived = intervals.slice(1).map((interval) => {
      const buffers = options.store.ensureSeries(options.symbol, interval);
      const quality = new SeriesQuality(options.symbol, interval, buffers, options.onQuality, baseInterval);
      return new DerivedStream(interval, intervalToMs(interval), baseMs, buffers, quality);
    });
    const gapFill = options.gapFill;
    this.#gapFill = gapFill?.enabled ?? false;
    this.#maxGapBars = gapFill?.maxGapBars ?? 0;
    this.#fillToSessionClose = gapFill?.fillToSessionClose ?? false;
    if (this.#gapFill && !(Number.isInteger(this.#maxGapBars) && this.#maxGapBars >= 1)) {
      throw new ConfigError([
        {
          path: 'session_data_config.gap_filler.max_gap_bars',
          message: `must be a whole number of at least 1, got ${this.#maxGapBars}`,
        },
      ]);
    }
  }

  /** True between `startSession` and `endSession`. */
  get inSession(): boolean {
    return this.#inSession;
  }

  /**
   * Starts a trading session (epoch ms): resets the quality counters and aligns buckets to `open`.
   * Ends the running session first, if any.
   * @throws StratError `SESSION_INVALID` when `close <= open` or the session starts before the previous one closed
   */
  startSession(open: number, close: number): void {
    if (!(Number.isFinite(open) && Number.isFinite(close) && close > open)) {
      throw new StratError(
        'SESSION_INVALID',
        `Invalid session for ${this.symbol}: open ${formatTime(open)} must be before close ${formatTime(close)}`,
      );
    }
    const previousClose = this.#sessionClose;
    if (open < previousClose) {
      throw new StratError(
        'SESSION_INVALID',
        `Session for ${this.symbol} opening ${formatTime(open)} starts before the previous session closed (${formatTime(previousClose)})`,
      );
    }
    if (this.#inSession) this.endSession();
    this.#sessionOpen = open;
    this.#sessionClose = close;
    this.#slotCount = Math.ceil((close - open) / this.#baseMs);
    this.#lastSlot = -1;
    this.#lastClose = Number.NaN;
    this.#baseQuality.reset();
    for (let i = 0; i < this.#derived.length; i++) {
      const stream = this.#derived[i] as DerivedStream;
      stream.beginSession(close - open);
      stream.quality.reset();
    }
    this.#inSession = true;
    this.#watchBuckets();
  }

  /**
   * Adds the base bar starting at `time`: publishes it (after any gap-filled bars before it and any
   * derived bar whose bucket ended before it), then publishes every derived bar it completes.
   * `time` must lie inside the session and be later than the previous bar; values are trusted.
   * @throws StratError `SESSION_NOT_STARTED` outside a session, `BAR_OUT_OF_ORDER` for a misplaced bar
   */
  pushBase(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const one = this.#one;
    one.time[0] = time;
    one.open[0] = open;
    one.high[0] = high;
    one.low[0] = low;
    one.close[0] = close;
    one.volume[0] = volume;
    this.pushBaseAt(one, 0);
  }

  /**
   * {@link pushBase} with the bar read from row `i` of `chunk` (a source's chunk; its symbol is not
   * checked): the replay's per-bar call. Its prices travel as typed-array reads, never as call
   * arguments, which V8 would box (a heap number each) whenever it does not inline the call.
   * @throws StratError `SESSION_NOT_STARTED` outside a session, `BAR_OUT_OF_ORDER` for a misplaced bar
   */
  pushBaseAt(chunk: BarChunk, i: number): void {
    const time = chunk.time[i] as number;
    if (
      !(this.#inSession && time > this.#lastTime && time >= this.#sessionOpen && time < this.#sessionClose)
    ) {
      throw this.#rejectBar(time);
    }
    const sessionOpen = this.#sessionOpen;
    const slot = Math.floor((time - sessionOpen) / this.#baseMs);
    if (this.#gapFill && slot > this.#lastSlot + 1 && this.#lastSlot >= 0)
      this.#fillSlots(this.#lastSlot + 1, slot);
    this.#closeBucketsEndingBy(time);

    const high = chunk.high[i] as number;
    const low = chunk.low[i] as number;
    const close = chunk.close[i] as number;
    const volume = chunk.volume[i] as number;
    const index = appendBar(this.#base, time, chunk.open[i] as number, high, low, close, volume, 0);
    this.#lastSlot = slot;
    this.#lastTime = time;
    this.#lastClose = close;
    this.#baseQuality.update(slot + 1, 1, 0);
    const closeTime = Math.min(time + this.#baseMs, this.#sessionClose);
    this.#onBar(this.symbol, this.baseInterval, index, closeTime);

    const derived = this.#derived;
    for (let d = 0; d < derived.length; d++) {
      const stream = derived[d] as DerivedStream;
      if (stream.forming) stream.extendBucket(high, low, close, volume);
      else stream.startBucketAt(sessionOpen, this.#sessionClose, chunk, i);
      if (closeTime >= stream.end) this.#publish(stream);
    }
  }

  /**
   * Tells the aggregator the clock reached `time` (epoch ms) even if this symbol got no bar: every
   * derived bucket that ended by then is published, and the base quality counts the slots elapsed.
   * Does nothing outside a session.
   */
  advanceTo(time: number): void {
    if (!this.#inSession) return;
    this.#closeBucketsEndingBy(time);
    this.#baseQuality.update(this.#slotsEndedBy(time), 0, 0);
  }

  /**
   * Ends the session: fills to the close when configured, publishes every forming derived bar and
   * records the session's quality. Does nothing outside a session.
   */
  endSession(): void {
    if (!this.#inSession) return;
    if (this.#gapFill && this.#fillToSessionClose && this.#lastSlot >= 0) {
      this.#fillSlots(this.#lastSlot + 1, this.#slotCount);
    }
    this.#closeBucketsEndingBy(this.#sessionClose);
    this.#baseQuality.update(this.#slotCount, 0, 0);
    this.#finishedSessions.push(this.#sessionReport(true));
    this.#inSession = false;
  }

  /**
   * Quality per session (oldest first; the running session last, with its numbers so far) and per
   * series (base first, then derived from the shortest interval up).
   */
  getQualityReport(): SessionQualityReport[] {
    const report = [...this.#finishedSessions];
    if (this.#inSession) report.push(this.#sessionReport(false));
    return report;
  }

  /** Forward-fills slots [from, to) when the gap is short enough; each filled bar is published like a real one. */
  #fillSlots(from: number, to: number): void {
    const missing = to - from;
    if (missing < 1 || missing > this.#maxGapBars) return;
    const price = this.#lastClose;
    for (let slot = from; slot < to; slot++) {
      const time = this.#sessionOpen + slot * this.#baseMs;
      this.#closeBucketsEndingBy(time);
      const index = appendBar(this.#base, time, price, price, price, price, 0, BAR_FLAG_FILLED);
      this.#lastSlot = slot;
      this.#lastTime = time;
      this.#baseQuality.update(slot + 1, 0, 1);
      this.#onBar(this.symbol, this.baseInterval, index, Math.min(time + this.#baseMs, this.#sessionClose));
    }
  }

  /** Publishes every forming derived bar whose bucket ended by `time`, in close-time order, and counts elapsed buckets. */
  #closeBucketsEndingBy(time: number): void {
    if (time < this.#bucketWatch) return;
    const derived = this.#derived;
    for (;;) {
      let next: DerivedStream | undefined;
      for (let i = 0; i < derived.length; i++) {
        const stream = derived[i] as DerivedStream;
        // Strict `<` keeps the shorter interval first on equal close times.
        if (stream.forming && stream.end <= time && (next === undefined || stream.end < next.end)) {
          next = stream;
        }
      }
      if (next === undefined) break;
      this.#publish(next);
    }
    for (let i = 0; i < derived.length; i++) {
      const stream = derived[i] as DerivedStream;
      const ended = this.#bucketsEndedBy(stream, time);
      if (ended > stream.closedBuckets) {
        stream.closedBuckets = ended;
        stream.quality.update(Math.min(this.#slotCount, ended * stream.slotsPerBucket), 0, 0);
        stream.quality.countBars(ended, 0, 0);
      }
    }
    this.#watchBuckets();
  }

  /**
   * Sets {@link #bucketWatch}: the soonest time a stream's `closedBuckets` grows (the next bucket
   * boundary after those over, or the session close for the clipped last one). A forming bucket
   * is never earlier than the buckets already over, so its end is never before this time.
   */
  #watchBuckets(): void {
    let watch = Number.POSITIVE_INFINITY;
    const open = this.#sessionOpen;
    const close = this.#sessionClose;
    const derived = this.#derived;
    for (let i = 0; i < derived.length; i++) {
      const stream = derived[i] as DerivedStream;
      if (stream.closedBuckets >= stream.bucketCount) continue;
      const boundary = Math.min(open + (stream.closedBuckets + 1) * stream.bucketMs, close);
      if (boundary < watch) watch = boundary;
    }
    this.#bucketWatch = watch;
  }

  #publish(stream: DerivedStream): void {
    const index = appendBar(
      stream.buffers,
      stream.start,
      stream.open,
      stream.high,
      stream.low,
      stream.close,
      stream.volume,
      0,
    );
    stream.forming = false;
    if (stream.bucket + 1 > stream.closedBuckets) {
      stream.closedBuckets = stream.bucket + 1;
      this.#watchBuckets();
    }
    stream.quality.update(
      Math.min(this.#slotCount, stream.closedBuckets * stream.slotsPerBucket),
      stream.realBars,
      0,
    );
    // The last bucket of a session may be clipped at the close: it has fewer slots.
    const slots = Math.min(stream.slotsPerBucket, this.#slotCount - stream.bucket * stream.slotsPerBucket);
    stream.quality.countBars(stream.closedBuckets, 1, stream.realBars < slots ? 1 : 0);
    this.#onBar(this.symbol, stream.interval, index, stream.end);
  }

  #slotsEndedBy(time: number): number {
    if (time >= this.#sessionClose) return this.#slotCount;
    return Math.max(0, Math.floor((time - this.#sessionOpen) / this.#baseMs));
  }

  #bucketsEndedBy(stream: DerivedStream, time: number): number {
    if (time >= this.#sessionClose) return stream.bucketCount;
    return Math.max(0, Math.floor((time - this.#sessionOpen) / stream.bucketMs));
  }

  #sessionReport(complete: boolean): SessionQualityReport {
    const series: SeriesQualityRecord[] = [this.#baseQuality.snapshot()];
    for (const stream of this.#derived) series.push(stream.quality.snapshot());
    return { sessionOpen: this.#sessionOpen, sessionClose: this.#sessionClose, complete, series };
  }

  #rejectBar(time: number): StratError {
    return this.#inSession ? this.#misplacedBar(time) : this.#notInSession(time);
  }

  #notInSession(time: number): StratError {
    return new StratError(
      'SESSION_NOT_STARTED',
      `Bar ${this.symbol} ${this.baseInterval} at ${formatTime(time)} arrived outside a session: call startSession first`,
    );
  }

  #misplacedBar(time: number): StratError {
    const reason =
      time <= this.#lastTime
        ? `not after the previous bar (${formatTime(this.#lastTime)})`
        : `outside the session ${formatTime(this.#sessionOpen)} to ${formatTime(this.#sessionClose)}`;
    return new StratError(
      'BAR_OUT_OF_ORDER',
      `Bar ${this.symbol} ${this.baseInterval} at ${formatTime(time)} is ${reason}`,
    );
  }
}

/** Validates the streams and sorts them shortest first. */
function sortStreams(streams: readonly Interval[]): Interval[] {
  if (streams.length === 0)
    throw new ConfigError([{ path: STREAMS_PATH, message: 'needs at least one interval' }]);
  const withMs = streams.map((interval) => ({ interval, ms: intervalToMs(interval) }));
  withMs.sort((a, b) => a.ms - b.ms);
  const base = withMs[0] as { interval: Interval; ms: number };
  const issues: ConfigIssue[] = [];
  for (let i = 1; i < withMs.length; i++) {
    const { interval, ms } = withMs[i] as { interval: Interval; ms: number };
    if (ms === (withMs[i - 1] as { ms: number }).ms) {
      issues.push({
        path: STREAMS_PATH,
        message: `${interval} is listed twice (or equals another interval)`,
      });
    } else if (ms % base.ms !== 0) {
      issues.push({
        path: STREAMS_PATH,
        message: `${interval} is not a whole multiple of the base stream ${base.interval}`,
      });
    }
  }
  // Buckets are clipped at the session's close: a longer stream would hold one session's bars under its label.
  for (const { interval, ms } of withMs) {
    if (ms > LONGEST_STREAM_MS)
      issues.push({ path: STREAMS_PATH, message: streamTooLongMessage(interval, '1d') });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return withMs.map((s) => s.interval);
}

function formatTime(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString() : String(time);
}
