import { type BarSeries, type Interval, Signal, SignalAction, timeZoneSchema, z } from '@strat/core';
import { EVEN_WITH_INVALID_KEYS, perSymbolFields, requireSymbols } from './config/per-symbol-config';
import { SessionVwap } from './indicators/session-vwap';
import { NO_SIGNALS } from './no-signals';
import { PerSymbolStrategy } from './per-symbol-strategy';
import { LocalCalendarDay } from './time/local-calendar-day';

/** Defaults of {@link VwapConfig}. */
export const VWAP_DEFAULTS = {
  interval: '1m',
  threshold_pct: 0.1,
  min_quality: 95,
  follow_added_symbols: false,
} as const;

const SESSION_START_REMOVED =
  "session_start was removed: the VWAP starts over with each session date of the session's trading calendar " +
  '(session_data_config.calendar); for CME Globex (sessions from 18:00 the evening before) use ' +
  '"calendar": { "preset": "cme_globex_equity" }';

const SESSION_TIMEZONE_DEPRECATED =
  "Deprecated: the VWAP starts over with each session date of the session's trading calendar " +
  '(session_data_config.calendar), the date the session uses for quality and daily bars. Given, the ' +
  'VWAP keeps the old rule instead (a new session on each calendar day of this IANA time zone) and a warning says so.';

/** The schema of {@link VwapStrategy}'s config (the `config` object of its session config entry). */
export const vwapConfigSchema = z
  .strictObject({
    ...perSymbolFields(VWAP_DEFAULTS),
    threshold_pct: z.number().min(0).lt(100).default(VWAP_DEFAULTS.threshold_pct).meta({
      description:
        'Distance of the bands from the VWAP in percent (0.1 = 0.1 %); 0 trades plain VWAP crosses.',
    }),
    session_timezone: timeZoneSchema.optional().meta({
      deprecated: true,
      description: SESSION_TIMEZONE_DEPRECATED,
    }),
    session_start: z
      .never({ error: SESSION_START_REMOVED })
      .optional()
      .meta({ deprecated: true, description: SESSION_START_REMOVED }),
  })
  .superRefine(requireSymbols, EVEN_WITH_INVALID_KEYS);

/** Config of {@link VwapStrategy} as written (keys with defaults optional). */
export type VwapConfig = z.input<typeof vwapConfigSchema>;

/** Per-symbol state, created once per symbol. */
interface VwapTrack {
  readonly vwap: SessionVwap;
  /** Absolute index of the newest bar folded in; -1 before the first. */
  lastIndex: number;
  close: number;
  upper: number;
  lower: number;
  previousClose: number;
  previousUpper: number;
  previousLower: number;
}

/**
 * Trend following around the session VWAP: BUY when the close breaks above the VWAP by more than
 * `threshold_pct` percent, SELL when it breaks below by more than that.
 *
 * On each closed bar of a traded symbol:
 * - skip the bar while the series' quality is below `min_quality`;
 * - add the bar to the session VWAP (typical price `(h + l + c) / 3` weighted by volume; bars with
 *   zero volume add nothing); the VWAP starts over with the first bar of each session date, the
 *   session calendar's (`context.sessionDate` of the bar's start time: with `cme_globex_equity`
 *   a bar from 18:00 New York time on belongs to the next day's session);
 * - with `upper = vwap * (1 + threshold_pct / 100)` and `lower = vwap * (1 - threshold_pct / 100)`:
 *   BUY when the previous close was at or below the previous upper band and the close is above
 *   the upper band; SELL when the previous close was at or above the previous lower band and the
 *   close is below the lower band. The first bar of a session has no previous bar (nothing to
 *   compare with yesterday's VWAP), and there is no VWAP before some volume traded;
 * - never the same action twice in a row for a symbol.
 *
 * State is kept incrementally per symbol; when a notification is not the bar right after the
 * previous one it is rebuilt from the visible window (a window that starts mid-session gives a
 * VWAP of the visible part of that session only).
 *
 * Signals carry the close as `price` and `{ vwap, interval }` as metadata.
 *
 * @example
 * ```json
 * { "module": "strategies.examples.vwap_strategy",
 *   "config": { "symbols": ["AAPL"], "interval": "1m", "threshold_pct": 0.1 } }
 * ```
 */
export class VwapStrategy extends PerSymbolStrategy<typeof vwapConfigSchema> {
  static override readonly configSchema = vwapConfigSchema;
  #thresholdPct: number = VWAP_DEFAULTS.threshold_pct;
  /** Only with the deprecated `session_timezone`: its calendar days instead of the session dates. */
  #days: LocalCalendarDay | undefined;
  readonly #tracks = new Map<string, VwapTrack>();

  protected override start(): void {
    this.#thresholdPct = this.config.threshold_pct;
    const timeZone = this.config.session_timezone;
    if (timeZone === undefined) {
      this.#days = undefined;
    } else {
      if (this.#days?.timeZone !== timeZone) this.#days = new LocalCalendarDay(timeZone);
      this.logger.warn(
        `session_timezone is deprecated: the VWAP starts over on each calendar day of ${timeZone}, not with the ` +
          "session dates of the session's calendar (session_data_config.calendar); remove it to use the calendar",
      );
    }
    this.#tracks.clear();
  }

  /** Adds the newest bar of `symbol` to its session VWAP and looks for a band break. */
  protected applyRule(symbol: string, interval: Interval, bars: BarSeries): Signal[] {
    const track = this.#trackOf(symbol);
    const newest = bars.lastIndex;
    if (newest === track.lastIndex) return NO_SIGNALS; // this bar was already handled
    if (newest !== track.lastIndex + 1) {
      // Rebuild from the visible window: every bar but the newest, which is added below.
      track.vwap.reset();
      track.close = track.upper = track.lower = Number.NaN;
      for (let i = 0; i < bars.length - 1; i++) this.#advance(track, bars, i);
    }
    this.#advance(track, bars, bars.length - 1);
    track.lastIndex = newest;

    const brokeAbove = track.previousClose <= track.previousUpper && track.close > track.upper;
    const brokeBelow = track.previousClose >= track.previousLower && track.close < track.lower;
    const action = brokeAbove ? SignalAction.BUY : brokeBelow ? SignalAction.SELL : undefined;
    if (action === undefined || !this.recordAction(symbol, action)) return NO_SIGNALS;

    const band =
      action === SignalAction.BUY
        ? `above VWAP + ${this.#thresholdPct}%`
        : `below VWAP - ${this.#thresholdPct}%`;
    return [
      new Signal({
        symbol,
        action,
        price: track.close,
        reason: `close crossed ${band}`,
        metadata: { vwap: track.vwap.value, interval },
      }),
    ];
  }

  /** Folds bar `i` of `bars` into `track`, keeping the bar before it as "previous". */
  #advance(track: VwapTrack, bars: BarSeries, i: number): void {
    const time = bars.time.get(i);
    const days = this.#days;
    const session = days === undefined ? this.context.sessionDate(time) : days.keyOf(time);
    const sameSession = session === track.vwap.session;
    const close = bars.close.get(i);
    const vwap = track.vwap.update(session, bars.high.get(i), bars.low.get(i), close, bars.volume.get(i));
    track.previousClose = sameSession ? track.close : Number.NaN;
    track.previousUpper = sameSession ? track.upper : Number.NaN;
    track.previousLower = sameSession ? track.lower : Number.NaN;
    const offset = this.#thresholdPct / 100;
    track.close = close;
    track.upper = vwap * (1 + offset);
    track.lower = vwap * (1 - offset);
  }

  #trackOf(symbol: string): VwapTrack {
    let track = this.#tracks.get(symbol);
    if (track === undefined) {
      track = {
        vwap: new SessionVwap(),
        lastIndex: -1,
        close: Number.NaN,
        upper: Number.NaN,
        lower: Number.NaN,
        previousClose: Number.NaN,
        previousUpper: Number.NaN,
        previousLower: Number.NaN,
      };
      this.#tracks.set(symbol, track);
    }
    return track;
  }
}
