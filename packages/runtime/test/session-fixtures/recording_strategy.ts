import { appendFileSync } from 'node:fs';
import { BaseStrategy, type Interval, Signal, SignalAction, type StrategyContext } from '@strat/core';

interface RecordingConfig extends Record<string, unknown> {
  /** Series to subscribe to. */
  subscriptions: [string, Interval][];
  /** Emit one HOLD signal per bar carrying what the strategy saw. */
  every_bar?: boolean;
  /** Sleep this long in every onBars (a slow strategy). */
  delay_ms?: number;
  /** Lines go here: setup, symbolAdded, teardown (real file, so tests see teardown ran). */
  log_file?: string;
  /** Also trade symbols added mid-session at this interval. */
  follow_added?: Interval;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A test strategy that records what happens to it. */
export class RecordingStrategy extends BaseStrategy<RecordingConfig> {
  #subs: [string, Interval][] = [];

  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    this.#subs = [...this.config.subscriptions];
    this.#record(`setup ${this.name}`);
    return true;
  }

  getSubscriptions() {
    return this.#subs;
  }

  override onSymbolAdded(symbol: string): void {
    this.#record(`symbolAdded ${symbol}`);
    if (this.config.follow_added !== undefined) this.#subs.push([symbol, this.config.follow_added]);
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    if (this.config.delay_ms) Atomics.wait(sleeper, 0, 0, this.config.delay_ms);
    const bars = this.context.getBars(symbol, interval);
    if (!this.config.every_bar) return [];
    return [
      new Signal({
        symbol,
        action: SignalAction.HOLD,
        price: bars.close.last(),
        metadata: { index: bars.lastIndex, now: this.context.getCurrentTime() },
      }),
    ];
  }

  override teardown(): void {
    this.#record(`teardown ${this.name}`);
  }

  #record(line: string): void {
    if (this.config.log_file) appendFileSync(this.config.log_file, `${line}\n`);
  }
}
