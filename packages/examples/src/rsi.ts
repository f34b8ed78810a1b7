import {
  type BarSeries,
  BaseStrategy,
  type Interval,
  Signal,
  SignalAction,
  type StrategyConfig,
  type StrategyContext,
  type Subscription,
} from '@strat/core';
import { ConfigReader } from './config/config-reader';
import { WilderRsi } from './indicators/wilder-rsi';
import { NO_SIGNALS } from './no-signals';

/** Config of {@link RsiStrategy} (the `config` object of its session config entry). */
export interface RsiConfig extends StrategyConfig {
  /** Symbols to trade. Required, non-empty (may be empty only with `follow_added_symbols`). */
  symbols?: readonly string[];
  /** Bar interval to read (default `1m`). */
  interval?: Interval;
  /** Price changes in Wilder's smoothing (default 14). */
  rsi_period?: number;
  /** BUY when the RSI rises through this level (default 30). */
  oversold?: number;
  /** SELL when the RSI falls through this level (default 70); must be above `oversold`. */
  overbought?: number;
  /** Skip bars while the series' quality (percent of expected bars received) is below this (default 95). */
  min_quality?: number;
  /** Also trade symbols added mid-session, for example by a scanner (default false). */
  follow_added_symbols?: boolean;
}

/** Defaults of {@link RsiConfig}. */
export const RSI_DEFAULTS = {
  interval: '1m',
  rsi_period: 14,
  oversold: 30,
  overbought: 70,
  min_quality: 95,
  follow_added_symbols: false,
} as const satisfies RsiConfig;

/** Per-symbol indicator state, created once per symbol. */
interface RsiTrack {
  readonly rsi: WilderRsi;
  /** Absolute index of the newest bar folded into `rsi`; -1 before the first. */
  lastIndex: number;
  /** The RSI one bar before the newest. */
  previous: number;
  lastAction: SignalAction | undefined;
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
export class RsiStrategy extends BaseStrategy<RsiConfig> {
  #symbols: string[] = [];
  #interval: Interval = RSI_DEFAULTS.interval;
  #period: number = RSI_DEFAULTS.rsi_period;
  #oversold: number = RSI_DEFAULTS.oversold;
  #overbought: number = RSI_DEFAULTS.overbought;
  #minQuality: number = RSI_DEFAULTS.min_quality;
  #followAddedSymbols: boolean = RSI_DEFAULTS.follow_added_symbols;
  readonly #tracks = new Map<string, RsiTrack>();

  /** Checks the config (logging every problem and returning false when there is one). */
  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const read = new ConfigReader(this.config);
    this.#followAddedSymbols = read.boolean('follow_added_symbols', RSI_DEFAULTS.follow_added_symbols);
    this.#symbols = read.symbols('symbols', { allowEmpty: this.#followAddedSymbols });
    this.#interval = read.interval('interval', RSI_DEFAULTS.interval);
    this.#period = read.positiveInteger('rsi_period', RSI_DEFAULTS.rsi_period);
    this.#oversold = read.number('oversold', RSI_DEFAULTS.oversold, { above: 0, below: 100 });
    this.#overbought = read.number('overbought', RSI_DEFAULTS.overbought, { above: 0, below: 100 });
    this.#minQuality = read.number('min_quality', RSI_DEFAULTS.min_quality, { min: 0, max: 100 });
    const levelsValid = !read.hasProblem('oversold') && !read.hasProblem('overbought');
    if (levelsValid && this.#oversold >= this.#overbought) {
      read.problem('oversold', `must be below overbought (${this.#overbought}), got ${this.#oversold}`);
    }
    if (!read.ok) {
      this.logger.error(`invalid config: ${read.describeIssues()}`, { issues: read.issues });
      return false;
    }
    const unknown = read.unknownKeys();
    if (unknown.length > 0) this.logger.warn(`ignoring unknown config keys: ${unknown.join(', ')}`);
    this.#tracks.clear();
    return true;
  }

  /** One subscription per traded symbol at the configured interval. */
  getSubscriptions(): ReadonlyArray<Subscription> {
    return this.#symbols.map((symbol) => [symbol, this.#interval] as const);
  }

  /** With `follow_added_symbols`, starts trading `symbol` too. */
  override onSymbolAdded(symbol: string): void {
    if (!this.#followAddedSymbols || this.#symbols.includes(symbol)) return;
    this.#symbols.push(symbol);
    this.logger.info(`now trading ${symbol} (added mid-session)`);
  }

  /** Updates the RSI of `symbol` with its newest bar and looks for a level cross. */
  onBars(symbol: string, interval: Interval): Signal[] {
    if (interval !== this.#interval) return NO_SIGNALS;
    const ctx = this.context;
    if (ctx.getBarQuality(symbol, interval) < this.#minQuality) return NO_SIGNALS;
    const bars = ctx.getBars(symbol, interval);
    if (bars.length === 0) return NO_SIGNALS;

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
    if (action === undefined || track.lastAction === action) return NO_SIGNALS;
    track.lastAction = action;

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
        lastAction: undefined,
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
