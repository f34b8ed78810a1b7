import { z } from 'zod';
import { type Interval, parseInterval } from '../time/interval';
import { validateModulePath } from './module-path';

const SYMBOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-:/]*$/;
const MAX_SYMBOL_LENGTH = 32;

/** A ticker symbol such as `AAPL`, `BRK.B`, `BTC/USD` or `ES:CME`. */
export const symbolSchema = z
  .string()
  .max(MAX_SYMBOL_LENGTH)
  .regex(SYMBOL_PATTERN, {
    error: (issue) =>
      `expected a symbol of letters, digits and . _ - : / starting with a letter or digit, got ${JSON.stringify(issue.input)}`,
  })
  .meta({ description: 'A ticker symbol such as AAPL, BRK.B or BTC/USD (at most 32 characters).' });

function isIntervalWithSafeLength(text: string): boolean {
  try {
    parseInterval(text);
    return true;
  } catch {
    return false;
  }
}

const INTERVAL_SHAPE = /^[1-9][0-9]*[smhdw]$/;

/** A bar interval such as `1m`, `5m`, `1h`, `1d`. */
export const intervalSchema = z
  .string()
  .regex(INTERVAL_SHAPE, {
    error: (issue) =>
      `expected an interval such as "1m", "5m", "1h" or "1d" (a positive whole count and a unit s, m, h, d or w), got ${JSON.stringify(issue.input)}`,
  })
  // A malformed interval is reported by the pattern above (string checks do not stop at the first failure).
  .refine((text): text is Interval => !INTERVAL_SHAPE.test(text) || isIntervalWithSafeLength(text), {
    error: (issue) => `interval ${JSON.stringify(issue.input)} is too long`,
  })
  .meta({
    description: 'A bar interval: a positive whole count and a unit s, m, h, d or w (1m, 5m, 1h, 1d).',
  });

/** A calendar date written `YYYY-MM-DD` that exists (no `2023-02-29`). */
export const isoDateSchema = z.iso.date({
  error: (issue) => `expected a real calendar date written YYYY-MM-DD, got ${JSON.stringify(issue.input)}`,
});

/** True when `text` is a `YYYY-MM-DD` date that exists in the calendar. */
export function isCalendarDate(text: unknown): text is string {
  const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const CLOCK_TIME_PATTERN = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

/** True when `text` is a time of day `HH:MM` (00:00 to 24:00). */
export function isClockTime(text: unknown): text is string {
  return typeof text === 'string' && CLOCK_TIME_PATTERN.test(text);
}

/** A time of day `HH:MM` on the 24-hour clock; `24:00` means the end of the day. */
export const clockTimeSchema = z.string().regex(CLOCK_TIME_PATTERN, {
  error: (issue) =>
    `expected a time of day written HH:MM (00:00 to 24:00), got ${JSON.stringify(issue.input)}`,
});

/** True when `timeZone` is an IANA time zone name the runtime knows (`America/New_York`, `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone === '') return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The problem statement for a time zone that {@link isKnownTimeZone} refuses. */
export function unknownTimeZoneMessage(timeZone: string): string {
  return `unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as "America/New_York", "Europe/London" or "UTC"`;
}

/** An IANA time zone name such as `America/New_York`, `Europe/London` or `UTC`. */
export const timeZoneSchema = z.string().superRefine((timeZone, ctx) => {
  if (!isKnownTimeZone(timeZone)) {
    ctx.addIssue({ code: 'custom', input: timeZone, message: unknownTimeZoneMessage(timeZone) });
  }
});

/** A strategy or scanner module path: dotted, a package specifier or relative; never absolute. */
export const modulePathSchema = z
  .string()
  .superRefine((spec, ctx) => {
    const problem = validateModulePath(spec);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', input: spec, message: problem });
  })
  .meta({
    description:
      'The module to load: a dotted path under the strategy roots (strategies.examples.simple_ma_cross), ' +
      'a package specifier (@strat/examples/rsi) or a path relative to this file (./my_strategy.ts).',
  });

/** Where a strategy's `onBars` runs: its own worker thread or the session's thread. */
export const executorSchema = z.enum(['worker', 'inline']);

/** A per-notification time budget in milliseconds (clock-driven and live runs). */
export const timeBudgetSchema = z.number().gt(0);

/** Default of `streaming.notification_limit_ms`: how long one notification may run before its strategy is ended. */
export const DEFAULT_NOTIFICATION_LIMIT_MS = 30_000;

/** The longest time, in milliseconds, a strategy may spend on one notification while the session waits for it. */
export const notificationLimitSchema = z.number().gt(0);

/** A free-form object handed to a strategy or scanner as its config. */
export const freeFormConfigSchema = z.record(z.string(), z.unknown());

/**
 * Runs a list refinement even when some items are invalid (the item schema reports those), so
 * that every problem is listed at once. Pass as the second argument of `superRefine`.
 */
export const evenWithInvalidItems = {
  when: (payload: z.core.ParsePayload): boolean => Array.isArray(payload.value),
};

/** A list refinement reporting each repeated value (by `keyOf`) at the path of the repeat. */
export function reportDuplicates(what: string, keyOf: (item: unknown) => string | undefined) {
  return (items: unknown, ctx: z.core.$RefinementCtx): void => {
    if (!Array.isArray(items)) return;
    const firstIndex = new Map<string, number>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      if (key === undefined) return;
      const first = firstIndex.get(key);
      if (first === undefined) firstIndex.set(key, index);
      else {
        ctx.addIssue({
          code: 'custom',
          input: item,
          path: [index],
          message: `${what} ${JSON.stringify(key)} is listed twice (first at index ${first})`,
        });
      }
    });
  };
}
