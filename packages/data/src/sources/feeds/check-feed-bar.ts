import type { FeedBar } from './bar-feed';

/** Prices above this are taken for garbage (a feed sending 1e308), not for a quote. */
export const MAX_FEED_PRICE = 1e9;
/** Volumes above this are taken for garbage. */
export const MAX_FEED_VOLUME = 1e15;
/** Bar times outside [1970, 2200) are garbage whatever the clock says. */
export const LATEST_FEED_TIME = Date.UTC(2200, 0, 1);

/** What can be wrong with a bar from a feed; a session logs each kind once and counts them all. */
export type FeedBarProblemKind = 'price' | 'volume' | 'time';

/**
 * The first thing wrong with a bar's values, or undefined when they are usable: prices finite,
 * above 0 and at most {@link MAX_FEED_PRICE}, high at least low and holding open and close, volume
 * finite, at least 0 and at most {@link MAX_FEED_VOLUME}, the start time a date between 1970 and
 * 2200. Where the time stands against the session's clock is the session's to judge.
 */
export function feedBarProblem(bar: FeedBar): { kind: FeedBarProblemKind; message: string } | undefined {
  const { open, high, low, close, volume, time } = bar;
  const where = `bar ${bar.symbol}${Number.isFinite(time) ? ` at ${new Date(time).toISOString()}` : ''}`;
  for (const price of [open, high, low, close]) {
    if (!(Number.isFinite(price) && price > 0 && price <= MAX_FEED_PRICE)) {
      return {
        kind: 'price',
        message: `${where}: price ${price} is not a finite price above 0 and at most ${MAX_FEED_PRICE}`,
      };
    }
  }
  if (high < low || open > high || open < low || close > high || close < low) {
    return {
      kind: 'price',
      message: `${where}: high ${high} and low ${low} do not hold open ${open} and close ${close}`,
    };
  }
  if (!(Number.isFinite(volume) && volume >= 0 && volume <= MAX_FEED_VOLUME)) {
    return {
      kind: 'volume',
      message: `${where}: volume ${volume} is not a finite number from 0 to ${MAX_FEED_VOLUME}`,
    };
  }
  if (!(Number.isFinite(time) && time >= 0 && time < LATEST_FEED_TIME)) {
    return {
      kind: 'time',
      message: `bar ${bar.symbol}: start time ${time} is not a date between 1970 and 2200`,
    };
  }
  return undefined;
}
