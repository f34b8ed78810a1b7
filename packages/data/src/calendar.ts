/**
 * `@strat/data/calendar`: the trading calendars alone (exchange presets, holidays, early closes,
 * overnight sessions, the session date), the same exports as the package root has for them. It loads
 * nothing but `@strat/core`, so a strategy thread can build its session's calendar without the
 * sources' dependencies (Arrow, Parquet, WebSocket).
 * @packageDocumentation
 */
export {
  ALWAYS_OPEN,
  CALENDAR_DEFINITIONS,
  CME_GLOBEX_EQUITY,
  CUSTOM,
  cmeGlobexEquitySpecialDays,
  NYSE_ONE_OFF_EARLY_CLOSES,
  NYSE_UNSCHEDULED_CLOSURES,
  nyseSpecialDays,
  US_EQUITIES,
} from './calendar/calendars';
export {
  easterSunday,
  nthWeekday,
  observedNearestWeekday,
  observedSundayToMonday,
} from './calendar/holiday-rules';
export type { ExchangeCalendarDefinition, SpecialDay, SpecialDayRule } from './calendar/special-day';
export {
  type CalendarConfig,
  type CalendarPresetName,
  TradingCalendar,
  type TradingCalendarOptions,
  type TradingHoliday,
  type TradingSession,
} from './calendar/trading-calendar';
export {
  assertTimeZone,
  timeZoneOffset,
  utcToZonedParts,
  type ZonedParts,
  zonedTimeToUtc,
  zonedWallTimeToUtc,
} from './calendar/zoned-time';
