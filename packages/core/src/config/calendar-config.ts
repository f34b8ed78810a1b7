import { z } from 'zod';
import { ConfigError } from '../errors/config-error';
import {
  clockTimeSchema,
  isClockTime,
  isKnownTimeZone,
  isoDateSchema,
  timeZoneSchema,
  unknownTimeZoneMessage,
} from './config-fields';

/**
 * Calendar presets: `us_equities` (NYSE/Nasdaq: New York, 09:30-16:00, Monday to Friday, NYSE
 * holidays and early closes), `cme_globex_equity` (CME Globex equity futures: New York, 18:00 the
 * evening before to 17:00, sessions Monday to Friday, US holiday closures and early halts), `24x7`
 * (UTC, all day, every day) and `custom` (no built-in holidays; give `timezone`, `open` and `close`).
 * The holiday rules live in @strat/data (one file per exchange under src/calendar/calendars).
 */
export type CalendarPreset = 'us_equities' | 'cme_globex_equity' | '24x7' | 'custom';

/** The preset names, in the order the docs list them. */
export const CALENDAR_PRESET_NAMES = ['us_equities', 'cme_globex_equity', '24x7', 'custom'] as const;

/** A calendar with every field filled in: the trading days and session hours of a session. */
export interface ResolvedCalendarConfig {
  /** IANA time zone the session hours are given in. */
  timezone: string;
  /** Session open, `HH:MM` local time. */
  open: string;
  /** Session close, `HH:MM` local time (`24:00` = midnight at the end of the day). */
  close: string;
  /** Trading weekdays of the session date (the day a session ends), 0 = Sunday ... 6 = Saturday, ascending. */
  weekdays: number[];
  /** Extra closed dates `YYYY-MM-DD` (beyond the preset's holidays), when given. */
  holidays?: string[];
  /** Extra early closes `{ "YYYY-MM-DD": "HH:MM" }`, when given. */
  early_closes?: Record<string, string>;
}

/** The defaults each calendar preset fills in. */
export const CALENDAR_PRESETS: Readonly<Record<CalendarPreset, Readonly<ResolvedCalendarConfig>>> = {
  us_equities: { timezone: 'America/New_York', open: '09:30', close: '16:00', weekdays: [1, 2, 3, 4, 5] },
  cme_globex_equity: {
    timezone: 'America/New_York',
    open: '18:00',
    close: '17:00',
    weekdays: [1, 2, 3, 4, 5],
  },
  '24x7': { timezone: 'UTC', open: '00:00', close: '24:00', weekdays: [0, 1, 2, 3, 4, 5, 6] },
  // The schema requires timezone, open and close with `custom`; only weekdays default from here.
  custom: { timezone: 'UTC', open: '00:00', close: '24:00', weekdays: [1, 2, 3, 4, 5] },
};

function minutesOfDay(clockTime: string): number {
  return Number(clockTime.slice(0, 2)) * 60 + Number(clockTime.slice(3, 5));
}

/** `session_data_config.calendar`: which days the market trades and its session hours. */
export const calendarConfigSchema = z
  .strictObject({
    preset: z.enum(CALENDAR_PRESET_NAMES).default('us_equities').meta({
      description:
        'Fills the fields not given and brings its holidays: us_equities (NYSE), cme_globex_equity (CME Globex equity futures), 24x7, or custom (no holidays; give timezone, open and close).',
    }),
    timezone: timeZoneSchema.optional().meta({ description: 'IANA time zone of open and close.' }),
    open: clockTimeSchema.optional().meta({
      description:
        'Session open, HH:MM local time. Later than close: the session starts the evening before its date (18:00 with close 17:00 is a Globex session).',
    }),
    close: clockTimeSchema
      .optional()
      .meta({ description: 'Session close, HH:MM local time (24:00 = end of day).' }),
    holidays: z
      .array(isoDateSchema)
      .optional()
      .meta({ description: "More closed dates, YYYY-MM-DD (added to the preset's holidays)." }),
    early_closes: z
      .record(isoDateSchema, clockTimeSchema)
      .optional()
      .meta({ description: 'More early closes: { "YYYY-MM-DD": "HH:MM" } local time.' }),
    weekdays: z
      .array(z.int().min(0).max(6))
      .superRefine((days, ctx) => {
        days.forEach((day, index) => {
          if (days.indexOf(day) !== index) {
            ctx.addIssue({
              code: 'custom',
              input: day,
              path: [index],
              message: `weekday ${day} is listed twice`,
            });
          }
        });
      })
      .optional()
      .meta({
        description:
          'Trading weekdays of the session date (the day a session ends), 0 = Sunday ... 6 = Saturday.',
      }),
  })
  .superRefine((calendar, ctx) => {
    if (calendar.preset === 'custom') {
      for (const field of ['timezone', 'open', 'close'] as const) {
        if (calendar[field] === undefined) {
          ctx.addIssue({
            code: 'custom',
            input: calendar,
            path: [field],
            message: `preset "custom" has no default ${field}: give one`,
          });
        }
      }
    }
    const preset = CALENDAR_PRESETS[calendar.preset];
    const open = calendar.open ?? preset.open;
    const close = calendar.close ?? preset.close;
    if (isClockTime(open) && isClockTime(close)) {
      const openMinutes = minutesOfDay(open);
      const closeMinutes = minutesOfDay(close);
      if (openMinutes === closeMinutes || openMinutes >= 24 * 60) {
        ctx.addIssue({
          code: 'custom',
          input: close,
          path: [calendar.close === undefined ? 'open' : 'close'],
          message: `the session must close at another time than it opens, and open before 24:00 (open ${open}, close ${close}); a close before the open starts the session the evening before`,
        });
      }
      const overnight = closeMinutes < openMinutes;
      for (const [date, time] of Object.entries(calendar.early_closes ?? {})) {
        if (!isClockTime(time)) continue;
        const at = minutesOfDay(time);
        if (at >= closeMinutes || (!overnight && at <= openMinutes)) {
          ctx.addIssue({
            code: 'custom',
            input: time,
            path: ['early_closes', date],
            message: `early close ${time} must fall inside the session (${open}-${close})`,
          });
        }
      }
    }
  });

/** A parsed `session_data_config.calendar` (preset defaulted; other fields as written). */
export type CalendarConfig = z.output<typeof calendarConfigSchema>;

/**
 * Fills a calendar's missing fields from its preset (default `us_equities`).
 * @throws ConfigError at `session_data_config.calendar.timezone` for a time zone the runtime does not know.
 */
export function resolveCalendarConfig(cfg?: CalendarConfig): ResolvedCalendarConfig {
  const preset = CALENDAR_PRESETS[cfg?.preset ?? 'us_equities'];
  const timezone = cfg?.timezone ?? preset.timezone;
  if (!isKnownTimeZone(timezone)) {
    throw new ConfigError([
      {
        path: 'session_data_config.calendar.timezone',
        message: unknownTimeZoneMessage(timezone),
      },
    ]);
  }
  const resolved: ResolvedCalendarConfig = {
    timezone,
    open: cfg?.open ?? preset.open,
    close: cfg?.close ?? preset.close,
    weekdays: [...(cfg?.weekdays ?? preset.weekdays)].sort((a, b) => a - b),
  };
  if (cfg?.holidays !== undefined) resolved.holidays = [...cfg.holidays];
  if (cfg?.early_closes !== undefined) resolved.early_closes = { ...cfg.early_closes };
  return resolved;
}
