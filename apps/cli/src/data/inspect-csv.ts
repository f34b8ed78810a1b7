import { resolve } from 'node:path';
import type { CalendarPreset, Interval } from '@strat/core';
import { intervalToMs } from '@strat/core';
import {
  type ClosedDayWithBars,
  CsvBarSource,
  type CsvFileSpec,
  DataProcessor,
  SessionData,
  type SourceProblem,
  TradingCalendar,
  type TradingHoliday,
} from '@strat/data';

/** How to read the file: the CSV `data_config.files` settings that matter for one file. */
export interface InspectCsvOptions {
  file: string;
  interval: Interval;
  calendar: CalendarPreset;
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

/** What `strat data inspect` reports about a CSV file. */
export interface CsvInspection {
  file: string;
  interval: Interval;
  timezone: string;
  calendar: CalendarPreset;
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
  /** Bars received over bars expected in the sessions with bars, percent. */
  quality: number;
  /** A likely cause of what was found, such as end-labelled rows read as start-labelled. */
  hint: string | undefined;
}

const SYMBOL = 'CSV';

function sourceFor(options: InspectCsvOptions, calendar: TradingCalendar): CsvBarSource {
  const spec: CsvFileSpec = {
    path: options.file,
    absolutePath: resolve(options.file),
    symbol: SYMBOL,
    interval: options.interval,
    timezone: options.timezone,
    time_label: options.timeLabel,
    timestamp_format: options.timestampFormat,
    date_format: options.dateFormat,
    delimiter: options.delimiter,
  };
  return new CsvBarSource({ files: [spec], calendar, onBadRow: 'skip' });
}

/** Gaps of one session from its bar start times (ascending, all inside the session). */
function sessionGaps(open: number, slots: number, times: readonly number[], barMs: number) {
  const gaps: { from: number; bars: number }[] = [];
  let expectedNext = open;
  for (const t of [...times, open + slots * barMs]) {
    const missing = Math.round((t - expectedNext) / barMs);
    if (missing > 0) gaps.push({ from: expectedNext, bars: missing });
    expectedNext = t + barMs;
  }
  return gaps;
}

/**
 * Reads a CSV file of bars the way a session would (bad rows skipped and reported) and describes
 * it: rows, date range, the trading sessions it covers, bar quality per session (through the
 * `DataProcessor`, so the numbers match `strat run`'s), gaps inside sessions, and bad rows.
 * @throws DataError when the file cannot be opened or its columns are not found; ConfigError for bad settings.
 */
export async function inspectCsv(options: InspectCsvOptions): Promise<CsvInspection> {
  const calendar = TradingCalendar.fromConfig({ preset: options.calendar });
  const timezone = options.timezone ?? calendar.timezone;
  const barMs = intervalToMs(options.interval);
  const source = sourceFor(options, calendar);
  let bars = 0;
  let first: number | undefined;
  let last: number | undefined;
  for await (const chunk of source.read(SYMBOL, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)) {
    if (chunk.length === 0) continue;
    first ??= chunk.time[0];
    last = chunk.time[chunk.length - 1];
    bars += chunk.length;
  }
  const report = source.report();
  const inspection: CsvInspection = {
    file: options.file,
    interval: options.interval,
    timezone,
    calendar: options.calendar,
    rows: report.rowsRead,
    bars,
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
  const barStarts: number[] = [];
  const processor = new DataProcessor({
    store: new SessionData({ window: 64 }),
    source: sourceFor(options, calendar),
    calendar,
    symbols: [SYMBOL],
    streams: [options.interval],
    startDate: localDate(first),
    endDate: localDate(last),
    consumer: { onBar: (_symbol, _interval, _index, closeTime) => barStarts.push(closeTime - barMs) },
  });
  const replay = await processor.run();
  inspection.barsOutsideSessions = replay.barsOutsideSessions;
  inspection.barsOnClosedDays = replay.barsOnClosedDays;
  inspection.closedDaysWithBars = replay.closedDaysWithBars;
  inspection.holidays = calendar.holidays(localDate(first), localDate(last));

  const reports = new Map(processor.getQualityReport().map((r) => [r.sessionOpen, r]));
  let cursor = 0;
  let sessionsOpeningWithBar = 0;
  let expectedTotal = 0;
  let receivedTotal = 0;
  for (const session of calendar.sessions(localDate(first), localDate(last))) {
    const slots = Math.ceil((session.close - session.open) / barMs);
    const times: number[] = [];
    while (cursor < barStarts.length && (barStarts[cursor] as number) < session.close) {
      const t = barStarts[cursor++] as number;
      if (t >= session.open) times.push(t);
    }
    if (times.length === 0) {
      inspection.emptySessions.push(session.date);
      continue;
    }
    if (times[0] === session.open) sessionsOpeningWithBar++;
    const record = reports.get(session.open)?.series[0];
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
  if (
    options.timeLabel !== 'end' &&
    inspection.barsOutsideSessions > 0 &&
    inspection.sessions.length > 0 &&
    sessionsOpeningWithBar === 0
  ) {
    inspection.hint =
      'no session has a bar at its open and some bars fall outside the sessions: the rows may be labelled ' +
      'by bar end (try --time-label end)';
  }
  const closed = inspection.closedDaysWithBars[0];
  if (inspection.hint === undefined && closed !== undefined) {
    inspection.hint =
      `${inspection.barsOnClosedDays} bar${inspection.barsOnClosedDays === 1 ? '' : 's'} fall on days the exchange is closed ` +
      `(first ${closed.date}, ${closed.name}): the time zone may be wrong (try --timezone) or the calendar (--calendar)`;
  }
  inspection.quality = expectedTotal === 0 ? 100 : Math.min(100, (receivedTotal / expectedTotal) * 100);
  return inspection;
}
