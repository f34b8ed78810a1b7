import type { Interval } from '@strat/core';
import { type GapFillOptions, SymbolBarAggregator } from '../aggregation/symbol-bar-aggregator';
import type { TradingSession } from '../calendar/trading-calendar';
import { mergeQualityReports, type SessionQualityReport } from '../quality/quality-report';
import type { SessionData } from '../store/session-data';
import type { BarConsumer } from './bar-consumer';
import { ClosedBarQueue } from './closed-bar-queue';

/**
 * One symbol in the processor: its aggregator and its rank (the order it joined; config order
 * first), which orders its bars among others closing at the same time.
 */
export interface Lane {
  readonly symbol: string;
  readonly rank: number;
  readonly aggregator: SymbolBarAggregator;
  /** While true, what the aggregator publishes is history: written to the store, never delivered. */
  silent: boolean;
}

/** Options of {@link StepAssembler}. */
export interface StepAssemblerOptions {
  store: SessionData;
  /** Every stream, shortest (the base) first. */
  streams: readonly Interval[];
  gapFill?: GapFillOptions;
  consumer?: BarConsumer;
}

/**
 * Turns the base bars of each time step into published bars, the same way whatever the bars came
 * from: one {@link SymbolBarAggregator} per lane writes the base bar and the derived bars it closes
 * into the store; the bars (and quality changes) of a step are collected and delivered to the
 * consumer in the documented order (close time, then lane rank, then interval, bars before
 * quality); sessions start and end for every lane together.
 */
export class StepAssembler {
  /** Every lane, in rank order. */
  readonly lanes: Lane[] = [];
  readonly #o: StepAssemblerOptions;
  readonly #closed = new ClosedBarQueue();
  #published = 0;
  #lastDelivered = Number.NEGATIVE_INFINITY;

  constructor(options: StepAssemblerOptions) {
    this.#o = options;
  }

  /** Bars published in every stream so far (base, filled and derived). */
  get published(): number {
    return this.#published;
  }

  /** The close time of the newest step delivered (-Infinity before the first). */
  get lastDelivered(): number {
    return this.#lastDelivered;
  }

  /** Adds a lane for `symbol`, ranked after every other; it starts silent when `silent`. */
  addLane(symbol: string, silent: boolean): Lane {
    const rank = this.lanes.length;
    const closed = this.#closed;
    const lane: Lane = {
      symbol,
      rank,
      silent,
      aggregator: new SymbolBarAggregator({
        store: this.#o.store,
        symbol,
        streams: this.#o.streams,
        gapFill: this.#o.gapFill,
        onBar: (sym, interval, index, closeTime) => {
          if (!lane.silent) closed.pushBar(rank, sym, interval, index, closeTime);
        },
        onQuality: (sym, interval, quality) => {
          if (!lane.silent) closed.pushQuality(rank, sym, interval, quality, this.#lastDelivered);
        },
      }),
    };
    this.lanes.push(lane);
    return lane;
  }

  /**
   * Queues a lane's current quality of every series in the running session: a lane that caught up
   * silently (history) moved it without telling anyone, and readers learn quality only in order
   * with the bars.
   */
  announceQuality(lane: Lane): void {
    if (!lane.aggregator.inSession) return;
    const current = lane.aggregator.getQualityReport().at(-1);
    for (const r of current?.series ?? []) {
      this.#closed.pushQuality(lane.rank, lane.symbol, r.interval, r.percent, this.#lastDelivered);
    }
  }

  /** Starts `session` for every lane and tells the consumer. */
  startSession(session: TradingSession): void {
    for (const lane of this.lanes) lane.aggregator.startSession(session.open, session.close);
    this.#o.consumer?.onSessionStart?.(session);
  }

  /** Tells every lane the clock reached `time`: derived buckets that ended by then close. */
  advanceTo(time: number): void {
    const lanes = this.lanes;
    for (let n = 0; n < lanes.length; n++) (lanes[n] as Lane).aggregator.advanceTo(time);
  }

  /** Ends the session for every lane (their last derived bars are queued, not yet delivered). */
  endSession(session: TradingSession): void {
    for (const lane of this.lanes) {
      lane.aggregator.advanceTo(session.close);
      lane.aggregator.endSession();
    }
  }

  /**
   * Hands the queued bars and quality changes to the consumer, in order, as the step closing at
   * `time`; returns the consumer's `onStep` promise when it wants the processor to wait.
   */
  deliver(time: number): Promise<void> | undefined {
    this.#lastDelivered = time;
    const consumer = this.#o.consumer;
    const q = this.#closed;
    this.#published += q.length;
    if (consumer !== undefined) {
      q.sortIfNeeded();
      for (let i = 0; i < q.length; i++) {
        if (q.kind(i) === 0) consumer.onBar(q.symbol(i), q.interval(i), q.index(i), q.closeTime(i));
        else consumer.onQuality?.(q.symbol(i), q.interval(i), q.quality(i));
      }
    }
    q.clear();
    return consumer?.onStep?.(time) as Promise<void> | undefined;
  }

  /** Bar quality per session and series so far (sessions in time order). */
  qualityReport(): SessionQualityReport[] {
    return mergeQualityReports(this.lanes.map((lane) => lane.aggregator.getQualityReport()));
  }
}
