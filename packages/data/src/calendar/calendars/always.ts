import type { ExchangeCalendarDefinition } from '../special-day';

const NONE = Object.freeze([]);

/** `24x7`: one UTC session per day, 00:00-24:00, every day, no holidays. */
export const ALWAYS_OPEN: ExchangeCalendarDefinition = {
  preset: '24x7',
  description: 'Round the clock: 00:00-24:00 UTC every day, no holidays',
  timezone: 'UTC',
  open: '00:00',
  close: '24:00',
  weekdays: [0, 1, 2, 3, 4, 5, 6],
  specialDays: () => NONE,
};

/**
 * `custom`: no built-in holidays; the config gives `timezone`, `open`, `close` (and optionally
 * `weekdays`, default Monday-Friday, `holidays` and `early_closes`). The hours here are only
 * defaults for fields the config schema requires anyway.
 */
export const CUSTOM: ExchangeCalendarDefinition = {
  preset: 'custom',
  description: 'Your own hours, holidays and early closes',
  timezone: 'UTC',
  open: '00:00',
  close: '24:00',
  weekdays: [1, 2, 3, 4, 5],
  specialDays: () => NONE,
};
