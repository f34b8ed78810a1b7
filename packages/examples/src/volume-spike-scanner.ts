import { BaseScanner, type Interval, type ScannerConfig, type StrategyContext } from '@strat/core';
import { ConfigReader } from './config/config-reader';

/** Config of {@link VolumeSpikeScanner} (the `config` object of its session config entry). */
export interface VolumeSpikeConfig extends ScannerConfig {
  /** Symbols to watch. Required, non-empty. Only those the session holds bars for are looked at. */
  universe?: readonly string[];
  /** Bar interval whose volumes are compared (default `1m`). */
  interval?: Interval;
  /** Bars before the newest whose mean volume is the baseline (default 20). */
  lookback?: number;
  /** How many times the baseline the newest volume must exceed (default 3). */
  multiple?: number;
}

/** Defaults of {@link VolumeSpikeConfig}. */
export const VOLUME_SPIKE_DEFAULTS = {
  interval: '1m',
  lookback: 20,
  multiple: 3,
} as const satisfies VolumeSpikeConfig;

/**
 * Finds unusual activity: on its schedule, returns the symbols of `universe` whose newest bar's
 * volume is more than `multiple` times the mean volume of the `lookback` bars before it. The
 * session adds them, and strategies with `follow_added_symbols` start trading them.
 *
 * A symbol needs `lookback + 1` visible bars to be judged; a symbol without a series in the
 * session is skipped. With a baseline of zero (no volume at all before), any volume is a spike.
 *
 * @example
 * ```json
 * { "module": "@strat/examples/volume-spike-scanner", "schedule": "5m",
 *   "config": { "universe": ["AAPL", "MSFT", "NVDA"], "interval": "1m", "lookback": 20, "multiple": 3 } }
 * ```
 */
export class VolumeSpikeScanner extends BaseScanner<VolumeSpikeConfig> {
  #universe: string[] = [];
  #interval: Interval = VOLUME_SPIKE_DEFAULTS.interval;
  #lookback: number = VOLUME_SPIKE_DEFAULTS.lookback;
  #multiple: number = VOLUME_SPIKE_DEFAULTS.multiple;

  /** Checks the config (logging every problem and returning false when there is one). */
  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const read = new ConfigReader(this.config);
    this.#universe = read.symbols('universe');
    this.#interval = read.interval('interval', VOLUME_SPIKE_DEFAULTS.interval);
    this.#lookback = read.positiveInteger('lookback', VOLUME_SPIKE_DEFAULTS.lookback);
    this.#multiple = read.number('multiple', VOLUME_SPIKE_DEFAULTS.multiple, { above: 0 });
    if (!read.ok) {
      this.logger.error(`invalid config: ${read.describeIssues()}`, { issues: read.issues });
      return false;
    }
    const unknown = read.unknownKeys();
    if (unknown.length > 0) this.logger.warn(`ignoring unknown config keys: ${unknown.join(', ')}`);
    return true;
  }

  /** The universe symbols whose newest volume spikes above `multiple` times their recent mean. */
  scan(ctx: StrategyContext): string[] {
    const spiking: string[] = [];
    const interval = this.#interval;
    const lookback = this.#lookback;
    for (const symbol of this.#universe) {
      if (!ctx.hasBars(symbol, interval)) continue;
      const volume = ctx.getBars(symbol, interval).volume;
      const count = volume.length;
      if (count < lookback + 1) continue;
      const baseline = volume.meanOfLast(lookback, count - 1);
      if (volume.get(count - 1) > this.#multiple * baseline) spiking.push(symbol);
    }
    return spiking;
  }
}
