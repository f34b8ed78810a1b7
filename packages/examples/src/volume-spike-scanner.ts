import { BaseScanner, intervalSchema, type StrategyContext, symbolSchema, z } from '@strat/core';

/** Defaults of {@link VolumeSpikeConfig}. */
export const VOLUME_SPIKE_DEFAULTS = {
  interval: '1m',
  lookback: 20,
  multiple: 3,
} as const;

/** The schema of {@link VolumeSpikeScanner}'s config (the `config` object of its session config entry). */
export const volumeSpikeConfigSchema = z.strictObject({
  universe: z
    .array(symbolSchema)
    .min(1)
    .meta({ description: 'Symbols to watch; only those the session holds bars for are looked at.' }),
  interval: intervalSchema
    .default(VOLUME_SPIKE_DEFAULTS.interval)
    .meta({ description: 'Bar interval whose volumes are compared.' }),
  lookback: z
    .int()
    .min(1)
    .default(VOLUME_SPIKE_DEFAULTS.lookback)
    .meta({ description: 'Bars before the newest whose mean volume is the baseline.' }),
  multiple: z
    .number()
    .gt(0)
    .default(VOLUME_SPIKE_DEFAULTS.multiple)
    .meta({ description: 'How many times the baseline the newest volume must exceed.' }),
});

/** Config of {@link VolumeSpikeScanner} as written (keys with defaults optional). */
export type VolumeSpikeConfig = z.input<typeof volumeSpikeConfigSchema>;

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
export class VolumeSpikeScanner extends BaseScanner<typeof volumeSpikeConfigSchema> {
  static override readonly configSchema = volumeSpikeConfigSchema;

  /** The universe symbols whose newest volume spikes above `multiple` times their recent mean. */
  scan(ctx: StrategyContext): string[] {
    const spiking: string[] = [];
    const { interval, lookback, multiple } = this.config;
    for (const symbol of this.config.universe) {
      if (!ctx.hasBars(symbol, interval)) continue;
      const volume = ctx.getBars(symbol, interval).volume;
      const count = volume.length;
      if (count < lookback + 1) continue;
      const baseline = volume.meanOfLast(lookback, count - 1);
      if (volume.get(count - 1) > multiple * baseline) spiking.push(symbol);
    }
    return spiking;
  }
}
