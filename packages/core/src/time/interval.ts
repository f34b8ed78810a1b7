import { IntervalError } from '../errors/interval-error';

/** A bar interval written as a count and a unit: `1m`, `5m`, `15m`, `30m`, `1h`, `4h`, `1d`, `1w`. */
export type Interval = `${number}${IntervalUnit}`;

/** Interval units: seconds, minutes, hours, days, weeks. */
export type IntervalUnit = 's' | 'm' | 'h' | 'd' | 'w';

/** A parsed interval. */
export interface ParsedInterval {
  /** The canonical text, e.g. `5m`. */
  text: Interval;
  /** How many units. */
  count: number;
  /** The unit. */
  unit: IntervalUnit;
  /** Length in milliseconds (a day is 86,400,000 ms; session-aware code treats `d` as one session). */
  ms: number;
}

const UNIT_MS: Record<IntervalUnit, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const INTERVAL_PATTERN = /^([1-9][0-9]*)([smhdw])$/;

/** True when `text` is a well-formed interval such as `5m`. */
export function isInterval(text: unknown): text is Interval {
  return typeof text === 'string' && INTERVAL_PATTERN.test(text);
}

/**
 * Parses an interval such as `1m`, `5m`, `1h` or `1d`.
 * @throws IntervalError for anything else (`0m`, `5x`, `m5`, `1.5h`, ``).
 */
export function parseInterval(text: string): ParsedInterval {
  const match = INTERVAL_PATTERN.exec(text);
  if (!match) throw new IntervalError(text);
  const count = Number(match[1]);
  const unit = match[2] as IntervalUnit;
  const ms = count * UNIT_MS[unit];
  if (!Number.isSafeInteger(ms)) throw new IntervalError(text);
  return { text: text as Interval, count, unit, ms };
}

/** The length of an interval in milliseconds. */
export function intervalToMs(interval: string): number {
  return parseInterval(interval).ms;
}

/** Sorts intervals from shortest to longest (stable for equal lengths). */
export function compareIntervals(a: string, b: string): number {
  return intervalToMs(a) - intervalToMs(b);
}
