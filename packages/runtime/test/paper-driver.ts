import { type Interval, intervalToMs, type SignalAction } from '@strat/core';
import type { ExecutionSettings, Fill } from '../src/execution/execution-types';
import type { AccountResult } from '../src/execution/paper-account';
import { PaperBroker } from '../src/execution/paper-broker';
import type { StampedSignal } from '../src/thread/stamped-signal';

/** 2024-01-02 14:30 UTC (09:30 in New York): bar 0 of the hand-built sequences. */
export const T0 = Date.UTC(2024, 0, 2, 14, 30);
export const MINUTE = 60_000;

/** Start time of the `i`-th minute bar from {@link T0}. */
export function minute(i: number): number {
  return T0 + i * MINUTE;
}

/** Settings with every default, changed by `change`. */
export function paperSettings(change: Partial<ExecutionSettings> = {}): ExecutionSettings {
  return {
    initialCash: 100_000,
    fill: 'next_open',
    slippageBps: 0,
    commission: { perUnit: 0, percent: 0, minimum: 0 },
    sizing: { kind: 'percent_equity', percent: 100, lotSize: 1 },
    allowShort: false,
    riskFreeRate: 0,
    ...change,
  };
}

export interface SignalOptions {
  symbol?: string;
  interval?: Interval;
  quantity?: number;
  price?: number;
  strategy?: string;
}

/** Feeds a {@link PaperBroker} by hand, as a session would: bars, step ends, released signals. */
export class PaperDriver {
  readonly fills: Fill[] = [];
  readonly broker: PaperBroker;
  readonly #seq = new Map<string, number>();

  /** One account `s` with `change` over the defaults, or several accounts by name. */
  constructor(change: Partial<ExecutionSettings> | Map<string, ExecutionSettings> = {}) {
    const settings = change instanceof Map ? change : new Map([['s', paperSettings(change)]]);
    this.broker = new PaperBroker(settings, (fill) => this.fills.push(fill));
  }

  /** One bar of `symbol` at `interval` starting at `barTime`. */
  bar(
    symbol: string,
    barTime: number,
    ohlc: readonly [number, number, number, number],
    interval: Interval = '1m',
  ): this {
    const [open, high, low, close] = ohlc;
    this.broker.onBar(symbol, interval, barTime, barTime + intervalToMs(interval), open, high, low, close);
    return this;
  }

  /** Ends the step of `closeTime`. */
  step(closeTime: number): this {
    this.broker.endStep(closeTime);
    return this;
  }

  /** The AAPL 1m bar `i`, then the end of its step. */
  minute(i: number, ohlc: readonly [number, number, number, number]): this {
    return this.bar('AAPL', minute(i), ohlc).step(minute(i + 1));
  }

  /** A signal released for the bar of `options.symbol` (AAPL) at `options.interval` (1m) starting at `barTime`. */
  signal(action: SignalAction, barTime: number, options: SignalOptions = {}): this {
    const strategy = options.strategy ?? 's';
    const interval = options.interval ?? '1m';
    const seq = (this.#seq.get(strategy) ?? 0) + 1;
    this.#seq.set(strategy, seq);
    const signal: StampedSignal = {
      seq,
      strategy,
      time: barTime + intervalToMs(interval),
      barTime,
      interval,
      symbol: options.symbol ?? 'AAPL',
      action,
      reason: '',
      metadata: {},
    };
    if (options.quantity !== undefined) signal.quantity = options.quantity;
    if (options.price !== undefined) signal.price = options.price;
    this.broker.onSignal(signal);
    return this;
  }

  /** The result of account `strategy` (default `s`). */
  finish(strategy = 's'): AccountResult {
    const result = this.broker.finish().get(strategy);
    if (result === undefined) throw new Error(`no account ${strategy}`);
    return result;
  }
}
