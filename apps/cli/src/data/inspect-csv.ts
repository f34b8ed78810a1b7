import { resolve } from 'node:path';
import type { CalendarPreset, Interval } from '@strat/core';
import { intervalToMs } from '@strat/core';
import {
  type ClosedDayWithBars,
  CsvBarSource,
  type CsvFileSpec,
  DataProcessor,
  SessionData,
  type SessionQualityReport,
  type SourceProblem,
  TradingCalendar,
  type TradingHoliday,
} from '@strat/data';
import type { CalendarOption } from './calendar-option';
import { inferInterval } from './infer-interval';

/** How to read the file: the CSV `data_config.files` settings that matter for one file. */
export interface InspectCsvOptions {
  file: string;
  /** The bar interval (default: inferred from the bar times, see {@link inferInterval}). */
  interval?: Interval;
  /** The sessions to measure against: a preset's name, or a calendar section (`--calendar FILE`). */
  calendar: CalendarPreset | CalendarOption;
  /** Time zone of times written without an offset (default: the calendar's). */
  timezone?: string;
  timeLabel?: 'start' | 'end';
  timestampFormat?: CsvFileSpec['timestamp_format'];
  dateFormat?: CsvFileSpec['date_format'];
  delimiter?: string;
}

/** A run of missing bars inside a session. */
export interface BarGap {
  /** Session date. */
  date: string;
  /** Start of the first missing bar, ISO UTC. */
  from: string;
  /** Missing bars in a row. */
  bars: number;
}

/** One trading session of the file. */
export interface SessionInspection {
  date: string;
  bars: number;
  expected: number;
  /** Bars received over bars expected, percent (as `strat run` reports it). */
  quality: number;
  gaps: number;
  largestGap: number;
}

/**
 * Where the interval of an inspection came from: `--interval`, the bar times (the most common
 * spacing of bars within a session; `1d` for one bar per session), or assumed (`1m`: fewer than two bars).
 */
export type IntervalSource = 'option' | 'inferred' | 'assumed';

/** What `strat data inspect` reports about a CSV file. */
export interface CsvInspection {
  file: string;
  interval: Interval;
  intervalSource: IntervalSource;
  timezone: string;
  /** The calendar's name: a preset, or `PRESET (FILE)` for one read from a file. */
  calendar: string;
  /** Data rows read (bad ones included). */
  rows: number;
  /** Valid bars. */
  bars: number;
  rowsSkipped: number;
  /** Bad rows with file, line and reason (the first 100). */
  problems: SourceProblem[];
  /** First and last bar start, ISO UTC. */
  first: string | undefined;
  last: string | undefined;
  /** Sessions of the calendar from the first bar's date to the last one's, in order. */
  sessions: SessionInspection[];
  /** Sessions with no bar at all: missing days (holidays have no session; see `holidays`). */
  emptySessions: string[];
  /** The calendar's holidays from the first bar's date to the last one's: closed, not missing. */
  holidays: TradingHoliday[];
  barsOutsideSessions: number;
  /** Of those, bars on dates the exchange is closed (holidays, weekends): often a wrong time zone. */
  barsOnClosedDays: number;
  /** The closed dates with bars (the first 100) and the holiday's name. */
  closedDaysWithBars: ClosedDayWithBars[];
  /** Runs of missing bars inside sessions that have bars. */
  gapCount: number;
  largestGap: BarGap | undefined;
  /** Bars received over bars expected in the sessions with bars, percent (0 when no session has a bar). */
  quality: number;
  /** A likely cause of what was found, such as end-labelled rows read as start-labelled. */
  hint: string | undefined;
}

const SYMBOL = 'CSV';
const DAY_MS = 86_400_000;

function sourceFor(options: InspectCsvOptions, interval: Interval, calendar: TradingCalendar): CsvBarSource {
  const spec: CsvFileSpec = {
    path: options.file,
    absolutePath: resolve(options.file),
    symbol: SYMBOL,
    interval,
    timezone: options.timezone,
    time_label: options.timeLabel,
    timestamp_format: options.timestampFormat,
    date_format: options.dateFormat,
    delimiter: options.delimiter,
  };
  return new CsvBarSource({ files: [spec], calendar, onBadRow: 'skip' });
}

/**
 * Gaps of one session from its bar start times (ascending, all inside the session), by base slot as
 * the processor counts them: slot k covers [open + k·bar, open + (k+1)·bar), the last one clipped at the close.
 */
function sessionGaps(open: number, slots: number, times: readonly number[], barMs: number) {
  const gaps: { from: number; bars: number }[] = [];
  let previousSlot = -1;
  for (const slot of [...times.map((t) => Math.floor((t - open) / barMs)), slots]) {
    const missing = slot - previousSlot - 1;
    if (missing > 0) gaps.push({ from: open + (previousSlot + 1) * barMs, bars: missing });
    previousSlot = Math.max(previousSlot, slot);
  }
  return gaps;
}

/** The valid bars of the file: their start times, and what the source reported. */
interface CsvScan {
  times: Float64Array;
  report: ReturnType<CsvBarSource['report']>;
}

async function scanCsv(
  options: InspectCsvOptions,
  interval: Interval,
  calendar: TradingCalendar,
): Promise<CsvScan> {
  const source = sourceFor(options, interval, calendar);
  let times = new Float64Array(1024);
  let count = 0;
  for await (const chunk of source.read(SYMBOL, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)) {
    if (count + chunk.length > times.length) {
      const grown = new Float64Array(Math.max(times.length * 2, count + chunk.length));
      grown.set(times.subarray(0, count));
      times = grown;
    }
    for (let i = 0; i < chunk.length; i++) times[count++] = chunk.time[i] as number;
  }
  return { times: times.subarray(0, count), report: source.report() };
}

/**
 * Reads the file once to learn its interval when none is given. Times are read as daily bars (the
 * one reading that accepts both date-only and timestamped rows); spacings do not depend on it, and
 * only end-labelled rows, moved back by the interval, need a second read.
 */
async function scanWithInterval(
  options: InspectCsvOptions,
  calendar: TradingCalendar,
): Promise<CsvScan & { interval: Interval; intervalSource: IntervalSource }> {
  if (options.interval !== undefined) {
    return {
      ...(await scanCsv(options, options.interval, calendar)),
      interval: options.interval,
      intervalSource: 'option',
    };
  }
  const scan = await scanCsv(options, '1d', calendar);
  const inferred = inferInterval(scan.times, (time) => calendar.sessionDateOf(time));
  const interval = inferred ?? '1m';
  const intervalSource = inferred === undefined ? 'assumed' : 'inferred';
  if (interval === '1d' || options.timeLabel !== 'end') return { ...scan, interval, intervalSource };
  return { ...(await scanCsv(options, interval, calendar)), interval, intervalSource };
}

/** Sessions, gaps and quality of an inspection, from the bar times and the processor's quality per session. */
function inspectSessions(
  inspection: CsvInspection,
  calendar: TradingCalendar,
  barTimes: ArrayLike<number>,
  barMs: number,
  qualityBySessionOpen: ReadonlyMap<number, SessionQualityReport>,
  range: { from: string; to: string },
): { sessionsOpeningWithBar: number } {
  let cursor = 0;
  let sessionsOpeningWithBar = 0;
  let expectedTotal = 0;
  let receivedTotal = 0;
  for (const session of calendar.sessions(range.from, range.to)) {
    const slots = Math.ceil((session.close - session.open) / barMs);
    const times: number[] = [];
    while (cursor < barTimes.length && (barTimes[cursor] as number) < session.close) {
      const t = barTimes[cursor++] as number;
      if (t >= session.open) times.push(t);
    }
    if (times.length === 0) {
      inspection.emptySessions.push(session.date);
      continue;
    }
    if (times[0] === session.open) sessionsOpeningWithBar++;
    const record = qualityBySessionOpen.get(session.open)?.series[0];
    const gaps = sessionGaps(session.open, slots, times, barMs);
    for (const gap of gaps) {
      if (inspection.largestGap === undefined || gap.bars > inspection.largestGap.bars) {
        inspection.largestGap = {
          date: session.date,
          from: new Date(gap.from).toISOString(),
          bars: gap.bars,
        };
      }
    }
    inspection.gapCount += gaps.length;
    const expected = record?.expected ?? slots;
    const received = record?.received ?? times.length;
    expectedTotal += expected;
    receivedTotal += received;
    inspection.sessions.push({
      date: session.date,
      bars: times.length,
      expected,
      quality: record?.percent ?? (expected === 0 ? 100 : (received / expected) * 100),
      gaps: gaps.length,
      largestGap: gaps.reduce((m, g) => Math.max(m, g.bars), 0),
    });
  }
  // No bar in any session: none of the file counts, which is 0 %, not a vacuous 100 %.
  inspection.quality = expectedTotal === 0 ? 0 : Math.min(100, (receivedTotal / expectedTotal) * 100);
  return { sessionsOpeningWithBar };
}

/**
 * Reads a CSV file of bars the way a session would (bad rows skipped and reported) and describes
 * it: rows, date range, the interval (given, or inferred from the bar times), the trading sessions
 * it covers, bar quality per session (through the `DataProcessor`, so the numbers match
 * `strat run`'s), gaps inside sessions, and bad rows.
 * @throws DataError when the file cannot be opened or its columns are not found; ConfigError for bad settings.
 */
export async function inspectCsv(options: InspectCsvOptions): Promise<CsvInspection> {
  const chosen =
    typeof options.calendar === 'string'
      ? { config: { preset: options.calendar }, name: options.calendar }
      : options.calendar;
  const calendar = TradingCalendar.fromConfig(chosen.config);
  const { times, report, interval, intervalSource } = await scanWithInterval(options, calendar);
  const first = times.length === 0 ? undefined : (times[0] as number);
  const last = times.length === 0 ? undefined : (times[times.length - 1] as number);
  const inspection: CsvInspection = {
    file: options.file,
    interval,
    intervalSource,
    timezone: options.timezone ?? calendar.timezone,
    calendar: chosen.name,
    rows: report.rowsRead,
    bars: times.length,
    rowsSkipped: report.rowsSkipped,
    problems: report.problems,
    first: first === undefined ? undefined : new Date(first).toISOString(),
    last: last === undefined ? undefined : new Date(last).toISOString(),
    sessions: [],
    emptySessions: [],
    holidays: [],
    barsOutsideSessions: 0,
    barsOnClosedDays: 0,
    closedDaysWithBars: [],
    gapCount: 0,
    largestGap: undefined,
    quality: 0,
    hint: undefined,
  };
  if (first === undefined || last === undefined) return inspection;

  // Session dates (a Globex evening bar belongs to the next day's session).
  const localDate = (time: number) => calendar.sessionDateOf(time);
  const range = { from: localDate(first), to: localDate(last) };
  const processor = new DataProcessor({
    store: new SessionData({ window: 64 }),
    source: sourceFor(options, interval, calendar),
    calendar,
    symbols: [SYMBOL],
    streams: [interval],
    startDate: range.from,
    endDate: range.to,
    consumer: { onBar: () => {} },
  });
  const replay = await processor.run();
  inspection.barsOutsideSessions = replay.barsOutsideSessions;
  inspection.barsOnClosedDays = replay.barsOnClosedDays;
  inspection.closedDaysWithBars = replay.closedDaysWithBars;
  inspection.holidays = calendar.holidays(localDate(first), localDate(last));
  const qualityBySessionOpen = new Map(processor.getQualityReport().map((r) => [r.sessionOpen, r]));
  const barMs = intervalToMs(interval);
  const { sessionsOpeningWithBar } = inspectSessions(
    inspection,
    calendar,
    times,
    barMs,
    qualityBySessionOpen,
    range,
  );

  const hints: string[] = [];
  if (
    options.timeLabel !== 'end' &&
    inspection.barsOutsideSessions > 0 &&
    inspection.sessions.length > 0 &&
    sessionsOpeningWithBar === 0
  ) {
    hints.push(
      'no session has a bar at its open and some bars fall outside the sessions: the rows may be labelled ' +
        'by bar end (try --time-label end)',
    );
  }
  if (inspection.sessions.length === 0 && inspection.barsOutsideSessions > 0) {
    hints.push(
      barMs >= DAY_MS
        ? `no daily bar starts inside a ${chosen.name} session: label each at its session's open ` +
            `(${calendar.timezone} time) or write the date alone`
        : `no bar falls inside a ${chosen.name} session: check --calendar and --timezone`,
    );
  }
  if (intervalSource === 'option') {
    const spacing = inferInterval(times, localDate);
    if (spacing !== undefined && intervalToMs(spacing) !== barMs) {
      hints.push(
        `the bars are mostly ${spacing} apart within a session, not ${interval} (try --interval ${spacing})`,
      );
    }
  }
  const closed = inspection.closedDaysWithBars[0];
  if (closed !== undefined) {
    hints.push(
      `${inspection.barsOnClosedDays.toLocaleString('en-US')} ${inspection.barsOnClosedDays === 1 ? 'bar falls' : 'bars fall'} on days the exchange is closed ` +
        `(first ${closed.date}, ${closed.name}): the time zone may be wrong (try --timezone) or the calendar (--calendar)`,
    );
  }
  inspection.hint = hints.length === 0 ? undefined : hints.join('; ');
  return inspection;
}
