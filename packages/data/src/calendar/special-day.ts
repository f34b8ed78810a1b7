/**
 * A day an exchange does not keep its regular hours: closed (a holiday), or closing early.
 * Exchange calendars are lists of these per year (see ./calendars).
 */
export interface SpecialDay {
  /** Local date as a day number (days since 1970-01-01). For a session crossing midnight: the date it ends. */
  readonly day: number;
  /** What the day is, e.g. `Good Friday` or `Day after Thanksgiving`. */
  readonly name: string;
  /** Early close, `HH:MM` local time; absent when the exchange is closed all day. */
  readonly close?: string;
}

/** The special days of one year, in any order. */
export type SpecialDayRule = (year: number) => readonly SpecialDay[];

/** An exchange calendar: regular hours plus its special days by rule. */
export interface ExchangeCalendarDefinition {
  /** The preset name used in session configs, e.g. `us_equities`. */
  readonly preset: string;
  /** One line for docs and reports. */
  readonly description: string;
  /** IANA time zone of the hours. */
  readonly timezone: string;
  /** Regular open, `HH:MM`; later than `close` when the session starts the evening before its date. */
  readonly open: string;
  /** Regular close, `HH:MM` (`24:00` = end of the day). */
  readonly close: string;
  /** Trading weekdays of the session date (the day a session ends), 0 = Sunday .. 6. */
  readonly weekdays: readonly number[];
  /** Holidays and early closes of a year. */
  readonly specialDays: SpecialDayRule;
}
