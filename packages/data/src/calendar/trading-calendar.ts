import { ConfigError, type ConfigIssue } from '@strat/core';
import { CALENDAR_DEFINITIONS, US_EQUITIES } from './calendars';
import { civilWeekday, DAY_MS, formatCivilDate, parseCivilDate } from './civil-date';
import { civilYear } from './holiday-rules';
import type { SpecialDayRule } from './special-day';
import { assertTimeZone, parseTimeOfDayText, timeZoneOffset, zonedWallTimeToUtc } from './zoned-time';

/**
 * One trading session: its date (the local date it ends on) and its open and close instants
 * (epoch ms UTC, close exclusive).
 */
export interface TradingSession {
  /** The session date, `YYYY-MM-DD`: the local date the session ends on. */
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
  /**
   * Local opening time, `HH:MM`. Later than `close`: the session starts the evening before its date
   * (CME Globex: open `18:00`, close `17:00`).
   */
  open: string;
  /** Local closing time, `HH:MM`; `24:00` is midnight at the end of the day. */
  close: string;
  /** Trading weekdays of the session date (the day a session ends), 0 = Sunday .. 6 = Saturday. */
  weekdays: readonly number[];
  /** Holidays and early closes by rule (an exchange calendar's), per year. */
  specialDays?: SpecialDayRule;
  /** More closed dates, `YYYY-MM-DD` (a config's `holidays`). */
  holidays?: readonly string[];
  /** More early closes, `YYYY-MM-DD` to `HH:MM` (a config's `early_closes`); they win over the rule's. */
  earlyCloses?: Readonly<Record<string, string>>;
}

/** The `session_data_config.calendar` section of a session config. */
export interface CalendarConfig {
  /** Fills the fields not given: `us_equities` (the default), `cme_globex_equity`, `24x7` or `custom`. */
  preset?: CalendarPresetName;
  timezone?: string;
  open?: string;
  close?: string;
  weekdays?: number[];
  /** Extra closed dates, `YYYY-MM-DD`. */
  holidays?: string[];
  /** Extra early closes, `{ "YYYY-MM-DD": "HH:MM" }`. */
  early_closes?: Record<string, string>;
}

/** The calendar presets. */
export type CalendarPresetName = 'us_equities' | 'cme_globex_equity' | '24x7' | 'custom';

/** A date on which a {@link TradingCalendar} has no session although it is a trading weekday. */
export interface TradingHoliday {
  /** The local date, `YYYY-MM-DD` (for sessions crossing midnight: the date the session would end). */
  readonly date: string;
  /** What the day is, e.g. `Good Friday`, or `holiday` for a config's own date. */
  readonly name: string;
}

const DEFAULT_CONFIG_PATH = 'session_data_config.calendar';
const CONFIG_HOLIDAY = 'holiday (config)';
const CONFIG_EARLY_CLOSE = 'early close (config)';

/** A special day resolved to this calendar: closed (`closeMs` undefined) or an early close. */
interface ResolvedSpecialDay {
  readonly name: string;
  readonly closeMs: number | undefined;
}

/**
 * Trading sessions: local hours on chosen weekdays in one time zone, with daylight-saving changes
 * applied (New York opens at 14:30Z in winter and 13:30Z in summer), an exchange's holidays (no
 * session) and early closes (a shorter one).
 *
 * **Session date.** Every session has one date, `YYYY-MM-DD`, the local date it **ends** on. A
 * calendar whose `open` is later than its `close` has sessions that start the evening before their
 * date (CME Globex: Monday's session runs from Sunday 18:00 to Monday 17:00 New York time).
 * {@link sessionDay} tells the session date of any instant; it is the one notion of "day" used for
 * quality per session, daily bars, VWAP resets, the clock's session boundaries and results per day.
 */
export class TradingCalendar {
  /** IANA time zone of the local hours. */
  readonly timezone: string;
  /** Local opening time, `HH:MM`. */
  readonly open: string;
  /** Local closing time, `HH:MM` (`24:00` = end of day). */
  readonly close: string;
  /** Trading weekdays of the session date, ascending, 0 = Sunday. */
  readonly weekdays: readonly number[];
  /** True when sessions start the evening before their date (`open` later than `close`). */
  readonly overnight: boolean;
  private readonly openMs: number;
  private readonly closeMs: number;
  private readonly rule: SpecialDayRule | undefined;
  private readonly ownDays = new Map<number, ResolvedSpecialDay>();
  private readonly specialByDay = new Map<number, ResolvedSpecialDay>();
  private readonly yearsLoaded = new Set<number>();
  private readonly sessionByDay = new Map<number, TradingSession | null>();
  private lastDay = Number.NaN;
  private lastDate = '';
  /** The instants [spanFrom, spanTo) whose session date is spanDate (sessionDateOf's cache). */
  private spanFrom = Number.POSITIVE_INFINITY;
  private spanTo = Number.NEGATIVE_INFINITY;
  private spanDate = '';

  /**
   * @param configPath JSON path prefix used in error messages.
   * @throws ConfigError for an unknown time zone, malformed hours, close equal to open, bad weekdays,
   *   malformed holidays or early closes outside the session.
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
    } else if (openMs !== undefined && closeMs === openMs) {
      issues.push({
        path: `${configPath}.close`,
        message: `close ${options.close} must differ from open ${options.open} (a close before the open starts the session the evening before)`,
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
    const overnight = openMs !== undefined && closeMs !== undefined && closeMs < openMs;
    (options.holidays ?? []).forEach((date, index) => {
      const day = parseCivilDate(date);
      if (day === undefined) {
        issues.push({
          path: `${configPath}.holidays[${index}]`,
          message: `expected a real date as YYYY-MM-DD, got "${date}"`,
        });
      } else {
        this.ownDays.set(day, { name: CONFIG_HOLIDAY, closeMs: undefined });
      }
    });
    for (const [date, time] of Object.entries(options.earlyCloses ?? {})) {
      const day = parseCivilDate(date);
      const at = parseTimeOfDayText(time);
      const path = `${configPath}.early_closes.${date}`;
      if (day === undefined) {
        issues.push({ path, message: `expected a real date as YYYY-MM-DD, got "${date}"` });
      } else if (at === undefined) {
        issues.push({ path, message: `expected HH:MM from 00:00 to 24:00, got "${time}"` });
      } else if (
        closeMs !== undefined &&
        openMs !== undefined &&
        (at >= closeMs || (!overnight && at <= openMs))
      ) {
        issues.push({
          path,
          message: `early close ${time} must fall inside the session (${options.open}-${options.close})`,
        });
      } else {
        this.ownDays.set(day, { name: CONFIG_EARLY_CLOSE, closeMs: at });
      }
    }
    if (issues.length > 0) throw new ConfigError(issues, { summary: 'Invalid trading calendar' });
    this.timezone = options.timezone;
    this.open = options.open;
    this.close = options.close;
    this.weekdays = weekdays;
    this.openMs = openMs as number;
    this.closeMs = closeMs as number;
    this.overnight = overnight;
    this.rule = options.specialDays;
  }

  /** US equity regular hours with NYSE holidays and early closes: America/New_York, 09:30-16:00, Monday to Friday. */
  static usEquities(): TradingCalendar {
    return TradingCalendar.fromConfig({ preset: 'us_equities' });
  }

  /** Round the clock: one UTC session per day, 00:00-24:00, every day. */
  static always(): TradingCalendar {
    return TradingCalendar.fromConfig({ preset: '24x7' });
  }

  /**
   * Builds the calendar of a session config's `calendar` section: the preset (default `us_equities`)
   * supplies every field the section leaves out and its holidays and early closes; the section's
   * `holidays` and `early_closes` add to them.
   * @throws ConfigError naming `configPath` fields.
   */
  static fromConfig(config: CalendarConfig = {}, configPath = DEFAULT_CONFIG_PATH): TradingCalendar {
    const preset = CALENDAR_DEFINITIONS[config.preset ?? 'us_equities'] ?? US_EQUITIES;
    const options: TradingCalendarOptions = {
      timezone: config.timezone ?? preset.timezone,
      open: config.open ?? preset.open,
      close: config.close ?? preset.close,
      weekdays: config.weekdays ?? preset.weekdays,
      specialDays: preset.specialDays,
    };
    if (config.holidays !== undefined) options.holidays = config.holidays;
    if (config.early_closes !== undefined) options.earlyCloses = config.early_closes;
    return new TradingCalendar(options, configPath);
  }

  /** True when `date` (`YYYY-MM-DD`) has a session: a trading weekday that is not a holiday. */
  isTradingDay(date: string): boolean {
    return this.sessionOnDay(requireDate(date, 'date')) !== undefined;
  }

  /**
   * The name of the holiday on `date` (`YYYY-MM-DD`) when it is a trading weekday without a
   * session, e.g. `Good Friday`; `undefined` on trading days and weekends.
   */
  holidayOn(date: string): string | undefined {
    const day = requireDate(date, 'date');
    if (!this.weekdays.includes(civilWeekday(day))) return undefined;
    const special = this.specialDay(day);
    return special !== undefined && special.closeMs === undefined ? special.name : undefined;
  }

  /** The early close on `date` (`YYYY-MM-DD`), `{ name, close: 'HH:MM' }`, or `undefined` on a regular or closed day. */
  earlyCloseOn(date: string): { name: string; close: string } | undefined {
    const day = requireDate(date, 'date');
    if (!this.weekdays.includes(civilWeekday(day))) return undefined;
    const special = this.specialDay(day);
    if (special?.closeMs === undefined) return undefined;
    const minutes = Math.round(special.closeMs / 60_000);
    const close = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return { name: special.name, close };
  }

  /** The holidays from `fromDate` to `toDate` (both inclusive): trading weekdays without a session, in order. */
  holidays(fromDate: string, toDate: string): TradingHoliday[] {
    const first = requireDate(fromDate, 'fromDate');
    const last = requireDate(toDate, 'toDate');
    const out: TradingHoliday[] = [];
    for (let day = first; day <= last; day++) {
      if (!this.weekdays.includes(civilWeekday(day))) continue;
      const special = this.specialDay(day);
      if (special !== undefined && special.closeMs === undefined) {
        out.push({ date: formatCivilDate(day), name: special.name });
      }
    }
    return out;
  }

  /** The session on local date `date` (`YYYY-MM-DD`), or `undefined` on a weekend or holiday. */
  sessionOn(date: string): TradingSession | undefined {
    return this.sessionOnDay(requireDate(date, 'date'));
  }

  /**
   * The hours this calendar has on `date` (with its early close, if any), whether or not it is a
   * trading day. Daily bars from files are labelled at this open, so they line up with the sessions.
   */
  hoursOn(date: string): TradingSession {
    const day = requireDate(date, 'date');
    return this.hoursOnDay(day, this.specialDay(day)?.closeMs);
  }

  /** Every session with date from `fromDate` to `toDate`, both inclusive, in order. */
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
    // A session lies within the span of its date's instants (see sessionDay), so only the session
    // dates of the range's ends and those between can hold one.
    const first = this.sessionDay(fromTime);
    const last = this.sessionDay(toTime);
    for (let day = first; day <= last; day++) {
      const session = this.sessionOnDay(day);
      if (session !== undefined && session.open < toTime && session.close > fromTime) out.push(session);
    }
    return out;
  }

  /** The session in progress at `time` (open <= time < close), or `undefined` outside trading hours. */
  sessionAt(time: number): TradingSession | undefined {
    const session = this.sessionOnDay(this.sessionDay(time));
    return session !== undefined && time >= session.open && time < session.close ? session : undefined;
  }

  /** The local day number (days since 1970-01-01) of the instant `time`, in the calendar's time zone. */
  localDay(time: number): number {
    return Math.floor((time + timeZoneOffset(time, this.timezone)) / DAY_MS);
  }

  /**
   * The session date (as a day number, days since 1970-01-01) the instant `time` belongs to: its
   * local date, or for a calendar whose sessions start the evening before, the next local date
   * from the opening time on (Globex: Sunday 18:00 and later is Monday). Between sessions, on
   * weekends and holidays it is the date a session would have. Allocation-free (runs per bar).
   */
  sessionDay(time: number): number {
    const local = time + timeZoneOffset(time, this.timezone);
    const day = Math.floor(local / DAY_MS);
    return this.overnight && local - day * DAY_MS >= this.openMs ? day + 1 : day;
  }

  /**
   * The instants whose session date (see {@link sessionDay}) lies from `fromDate` to `toDate`, both
   * inclusive: [midnight starting `fromDate`, midnight ending `toDate`) for a calendar within the day;
   * for one whose sessions start the evening before, from that evening's opening time.
   */
  dateSpan(fromDate: string, toDate: string): { from: number; to: number } {
    const first = requireDate(fromDate, 'fromDate');
    const last = requireDate(toDate, 'toDate');
    return { from: this.dayStart(first), to: this.dayStart(last + 1) };
  }

  /** True when the session date `day` (a day number, see {@link sessionDay}) has a session. Allocation-free once cached. */
  isSessionDay(day: number): boolean {
    return this.sessionOnDay(day) !== undefined;
  }

  /**
   * A day number as `YYYY-MM-DD`. The last answer is kept: asking again for the same day (every bar
   * of a session) returns the same string without making a new one.
   */
  dateOfDay(day: number): string {
    if (day !== this.lastDay) {
      this.lastDate = formatCivilDate(day);
      this.lastDay = day;
    }
    return this.lastDate;
  }

  /**
   * {@link sessionDay} as `YYYY-MM-DD`: the session date a bar starting at `time` belongs to. Made for
   * per-bar use: the span of instants of the last answer's date is kept, so a time within it costs two
   * comparisons and allocates nothing; one outside computes the date (and its span) again.
   */
  sessionDateOf(time: number): string {
    if (time >= this.spanFrom && time < this.spanTo) return this.spanDate;
    const day = this.sessionDay(time);
    const date = formatCivilDate(day);
    const from = this.dayStart(day);
    const to = this.dayStart(day + 1);
    // Keep the span only when its ends check out against sessionDay (a zone whose DST change skips
    // the opening time or midnight could make it inexact): then the cache never answers differently.
    const exact =
      from <= time &&
      time < to &&
      this.sessionDay(from) === day &&
      this.sessionDay(to - 1) === day &&
      this.sessionDay(to) === day + 1;
    this.spanFrom = exact ? from : Number.POSITIVE_INFINITY;
    this.spanTo = exact ? to : Number.NEGATIVE_INFINITY;
    this.spanDate = date;
    return date;
  }

  /** First instant whose session date is `day`. */
  private dayStart(day: number): number {
    return zonedWallTimeToUtc(
      this.overnight ? (day - 1) * DAY_MS + this.openMs : day * DAY_MS,
      this.timezone,
    );
  }

  private sessionOnDay(day: number): TradingSession | undefined {
    let session = this.sessionByDay.get(day);
    if (session === undefined) {
      const special = this.weekdays.includes(civilWeekday(day)) ? this.specialDay(day) : undefined;
      session =
        !this.weekdays.includes(civilWeekday(day)) || (special !== undefined && special.closeMs === undefined)
          ? null
          : this.hoursOnDay(day, special?.closeMs);
      if (this.sessionByDay.size > 200_000) this.sessionByDay.clear();
      this.sessionByDay.set(day, session);
    }
    return session ?? undefined;
  }

  private specialDay(day: number): ResolvedSpecialDay | undefined {
    const own = this.ownDays.get(day);
    if (own !== undefined) return own;
    const rule = this.rule;
    if (rule === undefined) return undefined;
    const year = civilYear(day);
    if (!this.yearsLoaded.has(year)) {
      this.yearsLoaded.add(year);
      for (const special of rule(year)) {
        const closeMs = special.close === undefined ? undefined : parseTimeOfDayText(special.close);
        // An early close at or after the configured close (hours overridden) changes nothing.
        if (closeMs !== undefined && closeMs >= this.closeMs) continue;
        this.specialByDay.set(special.day, { name: special.name, closeMs });
      }
    }
    return this.specialByDay.get(day);
  }

  private hoursOnDay(day: number, earlyCloseMs: number | undefined): TradingSession {
    const midnight = day * DAY_MS;
    return {
      date: formatCivilDate(day),
      open: zonedWallTimeToUtc(midnight + this.openMs - (this.overnight ? DAY_MS : 0), this.timezone),
      close: zonedWallTimeToUtc(midnight + (earlyCloseMs ?? this.closeMs), this.timezone),
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
