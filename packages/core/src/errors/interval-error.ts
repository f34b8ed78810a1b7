import { StratError } from './strat-error';

/** Thrown for an interval string that cannot be parsed (code `INTERVAL_INVALID`). */
export class IntervalError extends StratError {
  /** The kind {@link StratError.isInstance} recognises interval errors by, across copies of the package. */
  static override readonly kind: string = '@strat/core/IntervalError';

  /** @param text - The interval as given, quoted in the message. */
  constructor(text: string) {
    super(
      'INTERVAL_INVALID',
      `Invalid interval "${text}": expected a positive whole count and a unit s, m, h, d or w (for example 1m, 5m, 1h, 1d)`,
    );
  }
}
