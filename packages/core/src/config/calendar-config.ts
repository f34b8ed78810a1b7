import { z } from 'zod';
import { ConfigError } from '../errors/config-error';
import {
  clockTimeSchema,
  isClockTime,
  isKnownTimeZone,
  timeZoneSchema,
  unknownTimeZoneMessage,
} from './config-fields';

/** Calendar presets: `us_equities` (New York, 09:30-16:00, Monday to Friday) and `24x7` (UTC, all day, every day). */
export type CalendarPreset = 'us_equities' | '24x7';

/** A calendar with every field filled in: the trading days and session hours of a session. */
export interface ResolvedCalendarConfig {
  /** IANA time zone the session hours are given in. */
  timezone: string;
  /** Session open, `HH:MM` local time. */
  open: string;
  /** Session close, `HH:MM` local time (`24:00` = midnight at the end of the day). */
  close: string;
  /** Trading weekdays, 0 = Sunday ... 6 = Saturday, ascending. */
  weekdays: number[];
}

/** The defaults each calendar preset fills in. */
export const CALENDAR_PRESETS: Readonly<Record<CalendarPreset, Readonly<ResolvedCalendarConfig>>> = {
  us_equities: { timezone: 'America/New_York', open: '09:30', close: '16:00', weekdays: [1, 2, 3, 4, 5] },
  '24x7': { timezone: 'UTC', open: '00:00', close: '24:00', weekdays: [0, 1, 2, 3, 4, 5, 6] },
};

function minutesOfDay(clockTime: string): number {
  return Number(clockTime.slice(0, 2)) * 60 + Number(clockTime.slice(3, 5));
}

/** `session_data_config.calendar`: which days the market trades and its session hours. */
export const calendarConfigSchema = z
  .strictObject({
    preset: z
      .enum(['us_equities', '24x7'])
      .default('us_equities')
      .meta({ description: 'Fills the fields not given: us_equities or 24x7.' }),
    timezone: timeZoneSchema.optional().meta({ description: 'IANA time zone of open and close.' }),
    open: clockTimeSchema.optional().meta({ description: 'Session open, HH:MM local time.' }),
    close: clockTimeSchema
      .optional()
      .meta({ description: 'Session close, HH:MM local time (24:00 = end of day).' }),
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
      .meta({ description: 'Trading weekdays, 0 = Sunday ... 6 = Saturday.' }),
  })
  .superRefine((calendar, ctx) => {
    const preset = CALENDAR_PRESETS[calendar.preset];
    const open = calendar.open ?? preset.open;
    const close = calendar.close ?? preset.close;
    if (isClockTime(open) && isClockTime(close) && minutesOfDay(open) >= minutesOfDay(close)) {
      ctx.addIssue({
        code: 'custom',
        input: close,
        path: [calendar.close === undefined ? 'open' : 'close'],
        message: `the session must close after it opens (open ${open}, close ${close})`,
      });
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
  return {
    timezone,
    open: cfg?.open ?? preset.open,
    close: cfg?.close ?? preset.close,
    weekdays: [...(cfg?.weekdays ?? preset.weekdays)].sort((a, b) => a - b),
  };
}
