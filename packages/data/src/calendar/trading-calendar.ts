import { ConfigError, type ConfigIssue } from '@strat/core';
import { civilWeekday, DAY_MS, formatCivilDate, parseCivilDate } from './civil-date';
import { assertTimeZone, parseTimeOfDayText, timeZoneOffset, zonedWallTimeToUtc } from './zoned-time';

/** One trading session: a local date and its open and close instants (epoch ms UTC, close exclusive). */
export interface TradingSession {
  /** The local trading date, `YYYY-MM-DD`. */
  readonly date: string;
  /** First instant of the session, epoch ms UTC. */
  readonly open: number;
  /** First instant after the session, epoch ms UTC. */
  readonly close: number;
}

/** The hours of a {@link TradingCalendar}. */
export interface TradingCalendarOptions {
  /** IANA time zone of the exchange, e.g. `America/New_York`. */
  timezone: string;
  /** Local opening time, `HH:MM`. */
  open: string;
  /** Local closing time, `HH:MM`, after `open`; `24:00` is midnight at the end of the day. */
  close: string;
  /** Trading weekdays, 0 = Sunday .. 6 = Saturday. */
  weekdays: readonly number[];
}

/** The `session_data_config.calendar` section of a session config. */
export interface CalendarConfig {
  /** Fills the fields not given: `us_equities` (the default) or `24x7`. */
  preset?: 'us_equities' | '24x7';
  timezone?: string;
  open?: string;
  close?: string;
  weekdays?: number[];
}

const US_EQUITIES: TradingCalendarOptions = {
  timezone: 'America/New_York',
  open: '09:30',
  close: '16:00',
  weekdays: [1, 2, 3, 4, 5],
};
const ALWAYS: TradingCalendarOptions = {
  timezone: 'UTC',
  open: '00:00',
  close: '24:00',
  weekdays: [0, 1, 2, 3, 4, 5, 6],
};
const DEFAULT_CONFIG_PATH = 'session_data_config.calendar';

/**
 * Trading sessions: the same local hours on chosen weekdays in one time zone, with daylight-saving
 * changes applied (New York opens at 14:30Z in winter and 13:30Z in summer).
 *
 * Exchange holidays and half days are not modelled: a holiday still yields a session here, and the
 * data for it is simply missing (zero bars), which bar quality reports. Sessions cannot cross
 * local midnight.
 */
export class TradingCalendar {
  /** IANA time zone of the local hours. */
  readonly timezone: string;
  /** Local opening time, `HH:MM`. */
  readonly open: string;
  /** Local closing time, `HH:MM` (`24:00` = end of day). */
  readonly close: string;
  /** Trading weekdays, ascending, 0 = Sunday. */
  readonly weekdays: readonly number[];
  private readonly openMs: number;
  private readonly closeMs: number;
  private readonly sessionByDay = new Map<number, TradingSession | null>();

  /**
   * @param configPath JSON path prefix used in error messages.
   * @throws ConfigError for an unknown time zone, malformed hours, close not after open, or bad weekdays.
   */
  constructor(options: TradingCalendarOptions, configPath = DEFAULT_CONFIG_PATH) {
    const issues: ConfigIssue[] = [];
    const openMs = parseTimeOfDayText(options.open);
    const closeMs = parseTimeOfDayText(options.close);
    if (openMs === undefined || openMs >= DAY_MS) {
      issues.push({
        path: `${configPath}.open`,
        message: `expected HH:MM from 00:00 to 23:59, got "${options.open}"`,
      });
    }
    if (closeMs === undefined) {
      issues.push({
        path: `${configPath}.close`,
        message: `expected HH:MM from 00:00 to 24:00, got "${options.close}"`,
      });
    } else if (openMs !== undefined && closeMs <= openMs) {
      issues.push({
        path: `${configPath}.close`,
        message: `close ${options.close} must be after open ${options.open} (sessions cannot cross midnight)`,
      });
    }
    const weekdays = [...new Set(options.weekdays)].sort((a, b) => a - b);
    if (weekdays.length === 0) {
      issues.push({
        path: `${configPath}.weekdays`,
        message: 'name at least one trading weekday (0 = Sunday .. 6)',
      });
    }
    for (const weekday of weekdays) {
      if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
        issues.push({
          path: `${configPath}.weekdays`,
          message: `weekday ${weekday} is not a whole number 0..6`,
        });
      }
    }
    try {
      assertTimeZone(options.timezone, `${configPath}.timezone`);
    } catch (error) {
      if (!ConfigError.isInstance(error)) throw error;
      issues.push(...error.issues);
    }
    if (issues.length > 0) throw new ConfigError(issues, { summary: 'Invalid trading calendar' });
    this.timezone = options.timezone;
    this.open = options.open;
    this.close = options.close;
    this.weekdays = weekdays;
    this.openMs = openMs as number;
    this.closeMs = closeMs as number;
  }

  /** US equity regular hours: America/New_York, 09:30-16:00, Monday to Friday (holidays not modelled). */
  static usEquities(): TradingCalendar {
    return new TradingCalendar(US_EQUITIES);
  }

  /** Round the clock: one UTC session per day, 00:00-24:00, every day. */
  static always(): TradingCalendar {
    return new TradingCalendar(ALWAYS);
  }

  /**
   * Builds the calendar of a session config's `calendar` section: the preset (default `us_equities`)
   * supplies every field the section leaves out.
   * @throws ConfigError naming `configPath` fields.
   */
  static fromConfig(config: CalendarConfig = {}, configPath = DEFAULT_CONFIG_PATH): TradingCalendar {
    const preset = config.preset === '24x7' ? ALWAYS : US_EQUITIES;
    return new TradingCalendar(
      {
        timezone: config.timezone ?? preset.timezone,
        open: config.open ?? preset.open,
        close: config.close ?? preset.close,
        weekdays: config.weekdays ?? preset.weekdays,
      },
      configPath,
    );
  }

  /** True when `date` (`YYYY-MM-DD`) falls on a trading weekday. */
  isTradingDay(date: string): boolean {
    return this.weekdays.includes(civilWeekday(requireDate(date, 'date')));
  }

  /** The session on local date `date` (`YYYY-MM-DD`), or `undefined` when it is not a trading weekday. */
  sessionOn(date: string): TradingSession | undefined {
    return this.sessionOnDay(requireDate(date, 'date'));
  }

  /**
   * The hours this calendar would have on `date`, whether or not it is a trading weekday. Daily bars
   * from files are labelled at this open, so they line up with the sessions.
   */
  hoursOn(date: string): TradingSession {
    return this.hoursOnDay(requireDate(date, 'date'));
  }

  /** Every session with local date from `fromDate` to `toDate`, both inclusive, in order. */
  sessions(fromDate: string, toDate: string): TradingSession[] {
    const first = requireDate(fromDate, 'fromDate');
    const last = requireDate(toDate, 'toDate');
    const out: TradingSession[] = [];
    for (let day = first; day <= last; day++) {
      const session = this.sessionOnDay(day);
      if (session !== undefined) out.push(session);
    }
    return out;
  }

  /** Every session overlapping the instants [fromTime, toTime) (epoch ms UTC), in order. */
  sessionsBetween(fromTime: number, toTime: number): TradingSession[] {
    if (!Number.isFinite(fromTime) || !Number.isFinite(toTime)) {
      throw new ConfigError([{ path: 'fromTime', message: 'sessionsBetween needs a finite time range' }], {
        summary: 'Invalid calendar query',
      });
    }
    const out: TradingSession[] = [];
    if (toTime <= fromTime) return out;
    // A session lies within its local date, so only the local dates of the range's ends can hold one.
    const first = this.localDay(fromTime);
    const last = this.localDay(toTime);
    for (let day = first; day <= last; day++) {
      const session = this.sessionOnDay(day);
      if (session !== undefined && session.open < toTime && session.close > fromTime) out.push(session);
    }
    return out;
  }

  /** The session in progress at `time` (open <= time < close), or `undefined` outside trading hours. */
  sessionAt(time: number): TradingSession | undefined {
    const session = this.sessionOnDay(this.localDay(time));
    return session !== undefined && time >= session.open && time < session.close ? session : undefined;
  }

  /** The local day number (days since 1970-01-01) of the instant `time`, in the calendar's time zone. */
  localDay(time: number): number {
    return Math.floor((time + timeZoneOffset(time, this.timezone)) / DAY_MS);
  }

  private sessionOnDay(day: number): TradingSession | undefined {
    let session = this.sessionByDay.get(day);
    if (session === undefined) {
      session = this.weekdays.includes(civilWeekday(day)) ? this.hoursOnDay(day) : null;
      this.sessionByDay.set(day, session);
    }
    return session ?? undefined;
  }

  private hoursOnDay(day: number): TradingSession {
    const midnight = day * DAY_MS;
    return {
      date: formatCivilDate(day),
      open: zonedWallTimeToUtc(midnight + this.openMs, this.timezone),
      close: zonedWallTimeToUtc(midnight + this.closeMs, this.timezone),
    };
  }
}

function requireDate(date: string, path: string): number {
  const day = parseCivilDate(date);
  if (day === undefined) {
    throw new ConfigError([{ path, message: `expected a real date as YYYY-MM-DD, got "${date}"` }], {
      summary: 'Invalid calendar query',
    });
  }
  return day;
}
