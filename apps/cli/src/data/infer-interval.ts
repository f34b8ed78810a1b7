import type { Interval } from '@strat/core';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The interval of `ms` in the largest unit that divides it: 300,000 gives `5m`, 3,600,000 `1h`,
 * 86,400,000 `1d`; undefined for lengths that are no whole number of seconds.
 */
export function msToInterval(ms: number): Interval | undefined {
  if (!(Number.isSafeInteger(ms) && ms > 0)) return undefined;
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  if (ms % SECOND === 0) return `${ms / SECOND}s`;
  return undefined;
}

/**
 * The bar interval a series of bar start times (ascending, epoch ms) is written in: the most common
 * positive spacing of consecutive bars of the same session (`sessionOf` names a bar's session; ties
 * go to the shorter spacing, so a gap never wins over the bars around it). A series with at most one
 * bar per session is daily: `1d`. Undefined when there are fewer than two bars, or the most common
 * spacing is no whole number of seconds.
 */
export function inferInterval(
  times: ArrayLike<number>,
  sessionOf: (time: number) => string | number,
): Interval | undefined {
  if (times.length < 2) return undefined;
  const counts = new Map<number, number>();
  let previous = times[0] as number;
  let previousSession = sessionOf(previous);
  for (let i = 1; i < times.length; i++) {
    const time = times[i] as number;
    const session = sessionOf(time);
    const spacing = time - previous;
    if (session === previousSession && spacing > 0) counts.set(spacing, (counts.get(spacing) ?? 0) + 1);
    previous = time;
    previousSession = session;
  }
  if (counts.size === 0) return '1d';
  let best = 0;
  let bestCount = 0;
  for (const [spacing, count] of counts) {
    if (count > bestCount || (count === bestCount && spacing < best)) {
      best = spacing;
      bestCount = count;
    }
  }
  return msToInterval(best);
}
