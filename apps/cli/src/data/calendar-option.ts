import { readFileSync } from 'node:fs';
import {
  CALENDAR_PRESET_NAMES,
  type CalendarConfig,
  type CalendarPreset,
  calendarConfigSchema,
  formatJsonPath,
} from '@strat/core';
import { InvalidArgumentError } from 'commander';

/** A `--calendar` value: the calendar section to build, and how reports name it. */
export interface CalendarOption {
  config: CalendarConfig;
  /** A preset's name, or `custom (FILE)` / `PRESET (FILE)` for a calendar read from a file. */
  name: string;
}

/**
 * `--calendar us_equities` (a preset), or `--calendar FILE`: a JSON file holding a calendar section
 * (`{ "preset": "custom", "timezone": ..., "open": ..., "close": ..., "holidays": [...] }`) or a session
 * config (its `session_data_config.calendar`), so a user's own calendar works here as in a session.
 */
export function parseCalendarOption(value: string): CalendarOption {
  if ((CALENDAR_PRESET_NAMES as readonly string[]).includes(value) && value !== 'custom') {
    return { config: { preset: value as CalendarConfig['preset'] }, name: value };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(value, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InvalidArgumentError(
      `expected a preset (${CALENDAR_PRESET_NAMES.filter((p) => p !== 'custom').join(', ')}) or a JSON file ` +
        `with a calendar section or a session config; ${value}: ${reason}.`,
    );
  }
  const fromSession =
    json !== null && typeof json === 'object' && 'session_data_config' in json
      ? ((json as { session_data_config?: { calendar?: unknown } }).session_data_config?.calendar ?? {})
      : json;
  const parsed = calendarConfigSchema.safeParse(fromSession);
  if (!parsed.success) {
    const prefix = fromSession === json ? '' : 'session_data_config.calendar';
    const issues = parsed.error.issues
      .map(
        (issue) =>
          `${formatJsonPath([...(prefix === '' ? [] : [prefix]), ...issue.path]) || '(the calendar)'}: ${issue.message}`,
      )
      .join('; ');
    throw new InvalidArgumentError(`${value} has no valid calendar: ${issues}.`);
  }
  const config = parsed.data as CalendarConfig;
  return { config, name: `${config.preset ?? 'us_equities'} (${value})` };
}

/** The calendar section of a preset's name or of a {@link CalendarOption}. */
export function calendarConfigOf(calendar: CalendarPreset | CalendarOption): CalendarConfig {
  return typeof calendar === 'string' ? { preset: calendar } : calendar.config;
}

/** How reports name a preset or a {@link CalendarOption}. */
export function calendarNameOf(calendar: CalendarPreset | CalendarOption): string {
  return typeof calendar === 'string' ? calendar : calendar.name;
}

/**
 * The `calendar` a session config needs for data made on this calendar: none for the default, the
 * preset for another one, the whole section for a calendar read from a file.
 */
export function calendarForConfig(calendar: CalendarPreset | CalendarOption): string | undefined {
  const config = calendarConfigOf(calendar);
  const fromFile = typeof calendar !== 'string' && calendar.name !== config.preset;
  if (!fromFile) return config.preset === '24x7' ? '{ "preset": "24x7" }' : undefined;
  return JSON.stringify(config);
}
