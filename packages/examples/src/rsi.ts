import { type BarSeries, type Interval, Signal, SignalAction, z } from '@strat/core';
import { EVEN_WITH_INVALID_KEYS, perSymbolFields, requireSymbols } from './config/per-symbol-config';
import { WilderRsi } from './indicators/wilder-rsi';
import { NO_SIGNALS } from './no-signals';
import { PerSymbolStrategy } from './per-symbol-strategy';

/** Defaults of {@link RsiConfig}. */
export const RSI_DEFAULTS = {
  interval: '1m',
  rsi_period: 14,
  oversold: 30,
  overbought: 70,
  min_quality: 95,
  follow_added_symbols: false,
} as const;

const levelSchema = z.number().gt(0).lt(100);

/** The schema of {@link RsiStrategy}'s config (the `config` object of its session config entry). */
export const rsiConfigSchema = z
  .strictObject({
    ...perSymbolFields(RSI_DEFAULTS),
    rsi_period: z
      .int()
      .min(1)
      .default(RSI_DEFAULTS.rsi_period)
      .meta({ description: "Price changes in Wilder's smoothing." }),
    oversold: levelSchema
      .default(RSI_DEFAULTS.oversold)
      .meta({ description: 'BUY when the RSI rises through this level.' }),
    overbought: levelSchema
      .default(RSI_DEFAULTS.overbought)
      .meta({ description: 'SELL when the RSI falls through this level; must be above oversold.' }),
  })
  .superRefine((config, ctx) => {
    requireSymbols(config, ctx);
    // Defaults are in place here; a level that failed its own check is not compared.
    const { oversold, overbought } = config;
    const valid = (level: unknown): level is number => levelSchema.safeParse(level).success;
    if (valid(oversold) && valid(overbought) && oversold >= overbought) {
      ctx.addIssue({
        code: 'custom',
        input: oversold,
        path: ['oversold'],
        message: `must be below overbought (${overbought}), got ${oversold}`,
      });
    }
  }, EVEN_WITH_INVALID_KEYS);

/** Config of {@link RsiStrategy} as written (keys with defaults optional). */
export type RsiConfig = z.input<typeof rsiConfigSchema>;

/** Per-symbol indicator state, created once per symbol. */
interface RsiTrack {
  readonly rsi: WilderRsi;
  /** Absolute index of the newest bar folded into `rsi`; -1 before the first. */
  lastIndex: number;
  /** The RSI one bar before the newest. */
  previous: number;
}

/**
 * Mean reversion on Wilder's RSI: BUY when the RSI crosses up through `oversold` (the selling
 * looks exhausted), SELL when it crosses down through `overbought`.
 *
 * On each closed bar of a traded symbol:
 * - skip the bar while the series' quality is below `min_quality`;
 * - update the symbol's RSI with the new close (see `WilderRsi`: 100 with only gains, 50 on a
 *   perfectly flat window); the first RSI needs `rsi_period + 1` closes, a cross one more;
 * - BUY when `prevRsi <= oversold` and `rsi > oversold`; SELL when `prevRsi >= overbought` and
 *   `rsi < overbought`;
 * - never the same action twice in a row for a symbol.
 *
 * The RSI is kept incrementally per symbol (one update per bar, no allocation). When a
 * notification is not the bar right after the previous one (bars skipped for low quality, a
 * restart), it is recomputed from the visible window; with a window shorter than the history
 * that recomputation starts its smoothing at the window's first bar.
 *
 * Signals carry the close as `price` and `{ rsi, interval }` as metadata.
 *
 * @example
 * ```json
 * { "module": "strategies.examples.rsi_strategy",
 *   "config": { "symbols": ["AAPL"], "interval": "1m", "rsi_period": 14, "oversold": 30, "overbought": 70 } }
 * ```
 */
export class RsiStrategy extends PerSymbolStrategy<typeof rsiConfigSchema> {
  static override readonly configSchema = rsiConfigSchema;
  #period: number = RSI_DEFAULTS.rsi_period;
  #oversold: number = RSI_DEFAULTS.oversold;
  #overbought: number = RSI_DEFAULTS.overbought;
  readonly #tracks = new Map<string, RsiTrack>();

  protected override start(): void {
    this.#period = this.config.rsi_period;
    this.#oversold = this.config.oversold;
    this.#overbought = this.config.overbought;
    this.#tracks.clear();
  }

  /** Updates the RSI of `symbol` with its newest bar and looks for a level cross. */
  protected applyRule(symbol: string, interval: Interval, bars: BarSeries): Signal[] {
    const track = this.#trackOf(symbol);
    const newest = bars.lastIndex;
    if (newest === track.lastIndex) return NO_SIGNALS; // this bar was already handled
    if (newest === track.lastIndex + 1) {
      track.previous = track.rsi.value;
      track.rsi.update(bars.close.get(bars.length - 1));
    } else {
      recompute(track, bars);
    }
    track.lastIndex = newest;

    const rsi = track.rsi.value;
    const previous = track.previous;
    let action: SignalAction | undefined;
    if (previous <= this.#oversold && rsi > this.#oversold) action = SignalAction.BUY;
    else if (previous >= this.#overbought && rsi < this.#overbought) action = SignalAction.SELL;
    if (action === undefined || !this.recordAction(symbol, action)) return NO_SIGNALS;

    const reason =
      action === SignalAction.BUY
        ? `RSI(${this.#period}) crossed up through oversold ${this.#oversold}`
        : `RSI(${this.#period}) crossed down through overbought ${this.#overbought}`;
    return [
      new Signal({
        symbol,
        action,
        price: bars.close.get(bars.length - 1),
        reason,
        metadata: { rsi, interval },
      }),
    ];
  }

  #trackOf(symbol: string): RsiTrack {
    let track = this.#tracks.get(symbol);
    if (track === undefined) {
      track = {
        rsi: new WilderRsi(this.#period),
        lastIndex: -1,
        previous: Number.NaN,
      };
      this.#tracks.set(symbol, track);
    }
    return track;
  }
}

/** Rebuilds a track's RSI from every visible close. */
function recompute(track: RsiTrack, bars: BarSeries): void {
  const close = bars.close;
  const newest = bars.length - 1;
  track.rsi.reset();
  for (let i = 0; i < newest; i++) track.rsi.update(close.get(i));
  track.previous = track.rsi.value;
  track.rsi.update(close.get(newest));
}
