import type { Interval } from '@strat/core';
import {
  type BarRegister,
  type BarRing,
  CLOSE_TIME,
  createBarRegister,
  createScratchRing,
} from './bar-register';
import type { EquityPoint, ExecutionSettings, Fill, PaperSignal } from './execution-types';
import { MarketBook, type MarketSeries } from './market-book';
import { objectList } from './object-list';
import { type AccountResult, PaperAccount } from './paper-account';

/**
 * Paper execution for a session: one {@link PaperAccount} per strategy with execution settings,
 * fed the closed bars, the step ends and the released signals, in time order. A bar reaches only
 * the accounts with an order waiting on its series or a position opened through it; for the rest
 * the broker keeps the last close of each series and symbol. Rules: the runtime README, "Paper execution".
 */
export class PaperBroker {
  readonly #accounts: PaperAccount[] = objectList();
  readonly #byStrategy = new Map<string, PaperAccount>();
  readonly #market = new MarketBook();
  /** The close time of the bar being handed over, in `bar[CLOSE_TIME]` (see {@link barClosed}). */
  readonly bar: BarRegister = createBarRegister();
  /** Where {@link onBar} puts the bar it is given (slot 0). */
  readonly #scratch = createScratchRing();

  /**
   * @param settings - per strategy name, its effective settings (see `resolveExecutionSettings`);
   *   the map's order is the accounts' order (fills at one bar, equity rows)
   * @param onFill - called with each fill, as it happens
   */
  constructor(settings: ReadonlyMap<string, ExecutionSettings>, onFill?: (fill: Fill) => void) {
    for (const [strategy, accountSettings] of settings) {
      const account = new PaperAccount(strategy, accountSettings, this.#accounts.length, onFill);
      this.#accounts.push(account);
      this.#byStrategy.set(strategy, account);
    }
  }

  /** One bar, in time order; for one close time, in the processor's delivery order. */
  onBar(
    symbol: string,
    interval: Interval,
    barTime: number,
    closeTime: number,
    open: number,
    high: number,
    low: number,
    close: number,
  ): void {
    const ring = this.#scratch;
    ring.time[0] = barTime;
    ring.open[0] = open;
    ring.high[0] = high;
    ring.low[0] = low;
    ring.close[0] = close;
    this.bar[CLOSE_TIME] = closeTime;
    this.barClosed(this.#market.series(symbol, interval), ring, 0);
  }

  /** The broker's handle of a series, for {@link barClosed} (created when new). */
  series(symbol: string, interval: Interval): MarketSeries {
    return this.#market.series(symbol, interval);
  }

  /**
   * {@link onBar} by the series' handle: the bar is at `slot` of `ring`, its close time in
   * `bar[CLOSE_TIME]`. No lookup, no allocation, and only what an account needs is read.
   */
  barClosed(series: MarketSeries, ring: BarRing, slot: number): void {
    series.barCount++;
    const watchers = series.watchers;
    if (watchers.length > 0) {
      let kept = 0;
      for (let i = 0; i < watchers.length; i++) {
        const account = watchers[i] as PaperAccount;
        if (account.onSeriesBar(series, ring, slot)) {
          if (kept !== i) watchers[kept] = account;
          kept++;
        }
      }
      if (kept !== watchers.length) watchers.length = kept;
    }
    const close = ring.close[slot] as number;
    series.lastClose = close;
    series.lastCloseTime = this.bar[CLOSE_TIME] as number;
    series.symbol.lastClose = close;
  }

  /** Every bar of this close time has been given: each account records one equity row. */
  endStep(closeTime: number): void {
    this.bar[CLOSE_TIME] = closeTime;
    this.stepEnded();
  }

  /** {@link endStep} for the close time in {@link bar}. */
  stepEnded(): void {
    const accounts = this.#accounts;
    const bar = this.bar;
    for (let i = 0; i < accounts.length; i++) (accounts[i] as PaperAccount).recordEquity(bar);
  }

  /** A released signal: its bar and every earlier bar were given, no later bar yet. Unknown strategy: ignored. */
  onSignal(signal: PaperSignal): void {
    const account = this.#byStrategy.get(signal.strategy);
    if (account === undefined || signal.action === 'HOLD') return;
    const series =
      account.settings.fill === 'close'
        ? this.#market.find(signal.symbol, signal.interval)
        : this.#market.series(signal.symbol, signal.interval);
    account.submit(signal, series);
    if (series !== undefined && account.isWatching(series)) watch(series, account);
  }

  /** Where each account stands: its last equity row, in account order (those without a row yet left out). */
  snapshot(): Array<{ strategy: string } & EquityPoint> {
    const out: Array<{ strategy: string } & EquityPoint> = [];
    for (const account of this.#accounts) {
      const last = account.lastEquity();
      if (last !== undefined) out.push({ strategy: account.strategy, ...last });
    }
    return out;
  }

  /** The session ended: per strategy, everything but stats (stats come from results/). */
  finish(): Map<string, AccountResult> {
    const results = new Map<string, AccountResult>();
    for (const account of this.#accounts) results.set(account.strategy, account.finish());
    return results;
  }
}

/** Adds `account` to the series' watchers, keeping account order. */
function watch(series: MarketSeries, account: PaperAccount): void {
  const watchers = series.watchers;
  if (watchers.includes(account)) return;
  let at = watchers.length;
  while (at > 0 && (watchers[at - 1] as PaperAccount).index > account.index) at--;
  watchers.splice(at, 0, account);
}
