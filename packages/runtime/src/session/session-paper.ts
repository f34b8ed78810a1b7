import type { Interval, SessionConfig, StrategyEntry } from '@strat/core';
import type { SessionData, TradingCalendar } from '@strat/data';
import type {
  EquityPoint,
  ExecutionSettings,
  Fill,
  SessionResults,
  StrategyResult,
} from '../execution/execution-types';
import { PaperBroker } from '../execution/paper-broker';
import { resolveExecutionSettings } from '../execution/resolve-execution-settings';
import { combineResults } from '../results/combine-results';
import { computeStats } from '../results/compute-stats';
import type { StampedSignal } from '../thread/stamped-signal';
import { PaperFeed } from './paper-feed';
import type { SessionResultsSummary } from './session-types';

/** Where one strategy's account stands (the `equity` event). */
export type StrategyEquity = { strategy: string } & EquityPoint;

/** The `equity` event comes at most this often (wall time), and once at the end. */
const EQUITY_EVERY_MS = 1000;

/**
 * A session's paper execution, in the session's thread whatever the executor: a {@link PaperFeed}
 * logs which bars the processor published and hands them, read from the store, with the signals
 * the sequencer released, in bar-time order to a {@link PaperBroker} (one account per strategy with
 * execution settings). The results are computed from the accounts when the session ends. Exists
 * only when the config or a strategy entry has an `execution` section.
 *
 * (It used to run in a thread of its own, fed copies of every bar: the copies, and a third busy
 * thread competing for the cores the processor and the strategies need, cost more than the
 * accounting itself.)
 */
export class SessionPaper {
  readonly #feed: PaperFeed<ReturnType<PaperBroker['series']>>;
  readonly #broker: PaperBroker;
  readonly #calendar: TradingCalendar;
  readonly #settings: ReadonlyMap<string, ExecutionSettings>;
  readonly #onEquity: (points: StrategyEquity[]) => void;
  /** When the last `equity` event went (a double from the start: see `PaperAccount`'s money). */
  #equityToldAt = Number.NEGATIVE_INFINITY;
  #results: SessionResults | undefined;

  /**
   * The session's paper execution, or undefined when no strategy has execution settings.
   * @param strategies - each running strategy's name and config entry, in config order
   * @param onFill - each fill, as it happens
   * @param onEquity - where the accounts stand, at most once a second and at the end
   */
  static create(
    config: SessionConfig,
    strategies: ReadonlyArray<{ name: string; entry: StrategyEntry }>,
    store: SessionData,
    calendar: TradingCalendar,
    onFill: (fill: Fill) => void,
    onEquity: (points: StrategyEquity[]) => void,
  ): SessionPaper | undefined {
    const settings = new Map<string, ExecutionSettings>();
    for (const { name, entry } of strategies) {
      const resolved = resolveExecutionSettings(config.execution, entry.execution);
      if (resolved !== undefined) settings.set(name, resolved);
    }
    return settings.size === 0 ? undefined : new SessionPaper(settings, store, calendar, onFill, onEquity);
  }

  private constructor(
    settings: ReadonlyMap<string, ExecutionSettings>,
    store: SessionData,
    calendar: TradingCalendar,
    onFill: (fill: Fill) => void,
    onEquity: (points: StrategyEquity[]) => void,
  ) {
    this.#settings = settings;
    this.#calendar = calendar;
    this.#onEquity = onEquity;
    this.#broker = new PaperBroker(settings, onFill);
    this.#feed = new PaperFeed(this.#broker, (symbol: string, interval: Interval) => {
      const buffers = store.getSeries(symbol, interval);
      if (buffers === undefined)
        throw new Error(`paper execution: no series ${symbol} ${interval} in the store`);
      return buffers;
    });
  }

  /** A bar the processor published. */
  bar(symbol: string, interval: Interval, index: number, closeTime: number): void {
    this.#feed.bar(symbol, interval, index, closeTime);
  }

  /** Every bar closing at `closeTime` was published. */
  step(closeTime: number): void {
    this.#feed.step(closeTime);
  }

  /** Signals the sequencer released. */
  signals(signals: readonly StampedSignal[]): void {
    this.#feed.signals(signals);
  }

  /** The sequencer released everything stamped at or before `time`: paper execution settles up to it. */
  released(time: number): void {
    if (this.#results !== undefined) return;
    this.#feed.released(time);
    const now = performance.now();
    if (now - this.#equityToldAt >= EQUITY_EVERY_MS) {
      this.#equityToldAt = now;
      const points = this.#broker.snapshot();
      if (points.length > 0) this.#onEquity(points);
    }
  }

  /** The session ended: settles what waits, closes the books and computes the results (once). */
  async finish(): Promise<SessionResults> {
    if (this.#results !== undefined) return this.#results;
    this.#feed.released(Number.POSITIVE_INFINITY);
    const last = this.#broker.snapshot();
    if (last.length > 0) this.#onEquity(last);
    const accounts = [...this.#broker.finish().values()];
    const calendar = this.#calendar;
    // Results per day go by session date (a Globex evening belongs to the next day's session); a bar
    // closing at the session's end (midnight on a 24-hour calendar) belongs to the day it ran in.
    const dayOf = (time: number) => calendar.sessionDay(time - 1);
    const strategies: StrategyResult[] = [];
    for (const account of accounts) {
      const { commissions, notional, ...rest } = account;
      const settings = this.#settings.get(account.strategy) ?? account.settings;
      const stats = computeStats({
        equity: account.equity,
        trades: account.trades,
        commissions,
        notional,
        initialCash: settings.initialCash,
        riskFreeRate: settings.riskFreeRate,
        dayOf,
      });
      strategies.push({ ...rest, settings, stats });
    }
    this.#results = { strategies, total: combineResults(strategies, dayOf) };
    return this.#results;
  }

  /** The results once the session ended. */
  get results(): SessionResults | undefined {
    return this.#results;
  }
}

/** What a session's summary tells of its results: the stats, not the columns. */
export function summarizeResults(results: SessionResults): SessionResultsSummary {
  return {
    strategies: results.strategies.map((s) => ({
      strategy: s.strategy,
      stats: s.stats,
      unfilled: s.unfilled,
      open_positions: s.openPositions,
    })),
    total: results.total,
  };
}
