import {
  BaseStrategy,
  type Interval,
  type Signal,
  type StrategyContext,
  type Subscription,
} from '@strat/core';

/** Config of {@link LatencyProbeStrategy}. */
export interface LatencyProbeConfig extends Record<string, unknown> {
  symbols?: readonly string[];
  interval?: Interval;
  /** Most notifications recorded (default 100,000). */
  capacity?: number;
}

/** What the probe logs at teardown (the `fields` of its `latency samples` log record). */
export interface LatencySamples {
  strategy: string;
  /** Close time (simulated, epoch ms) of each notification, in arrival order. */
  closeTimes: number[];
  /** Wall time (`performance.timeOrigin + performance.now()`, ms) at which `onBars` started for it. */
  startedAt: number[];
}

const NO_SIGNALS: Signal[] = Object.freeze([]) as unknown as Signal[];

/**
 * An empty handler that notes, first thing in `onBars`, the wall time and the bar's close time.
 * The bench joins these with the wall time each bar was published at to get publish -> onBars
 * latency. The samples leave the worker once, in a log record at teardown, so nothing is posted
 * while the latency is measured.
 */
export class LatencyProbeStrategy extends BaseStrategy<LatencyProbeConfig> {
  #closeTimes = new Float64Array(0);
  #startedAt = new Float64Array(0);
  #count = 0;

  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const capacity = this.config.capacity ?? 100_000;
    this.#closeTimes = new Float64Array(capacity);
    this.#startedAt = new Float64Array(capacity);
    return true;
  }

  getSubscriptions(): ReadonlyArray<Subscription> {
    const interval = this.config.interval ?? '1m';
    return (this.config.symbols ?? []).map((symbol) => [symbol, interval] as const);
  }

  onBars(): Signal[] {
    const now = performance.timeOrigin + performance.now();
    const i = this.#count;
    if (i < this.#startedAt.length) {
      this.#startedAt[i] = now;
      this.#closeTimes[i] = this.context.getCurrentTime();
      this.#count = i + 1;
    }
    return NO_SIGNALS;
  }

  override teardown(): void {
    const samples: LatencySamples = {
      strategy: this.name,
      closeTimes: Array.from(this.#closeTimes.subarray(0, this.#count)),
      startedAt: Array.from(this.#startedAt.subarray(0, this.#count)),
    };
    this.logger.info('latency samples', { ...samples });
  }
}
